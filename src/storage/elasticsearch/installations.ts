import type { Client } from '@elastic/elasticsearch';
import type { InstallationRecord, InstallationRecords } from '../../cases/installations';
import { readDocument } from './document-io';
import { toStoreError } from './errors';

/**
 * Installations on Elasticsearch (`<prefix>-installations`, one document per key). Read by id in real time, so a
 * replica serves a workspace the moment another one stored its install. Writes wait for a refresh, so the list
 * the scheduled jobs search is current too: installs, uninstalls and token refreshes are rare.
 */

interface InstallationSource {
  key: string;
  team_id: string | null;
  enterprise_id: string | null;
  sealed: string | null;
  updated_at: string;
}

/** One deployment serves at most this many workspaces and orgs. */
const MAX_INSTALLATIONS = 10_000;

export class ElasticsearchInstallations implements InstallationRecords {
  constructor(
    private readonly client: Client,
    private readonly index: string,
  ) {}

  async save(record: InstallationRecord): Promise<void> {
    const document: InstallationSource = { key: record.key, team_id: record.teamId, enterprise_id: record.enterpriseId, sealed: record.sealed, updated_at: record.updatedAt };
    await this.guard(() => this.client.index({ index: this.index, id: record.key, document, refresh: 'wait_for' }));
  }

  async find(key: string): Promise<InstallationRecord | null> {
    const found = await this.guard(() => readDocument<InstallationSource>(this.client, this.index, key));
    return found ? recordOf(found.source) : null;
  }

  async list(): Promise<InstallationRecord[]> {
    const answer = await this.guard(() => this.client.search<InstallationSource>({ index: this.index, size: MAX_INSTALLATIONS, sort: [{ key: 'asc' }] }));
    return answer.hits.hits.flatMap((hit) => (hit._source ? [recordOf(hit._source)] : []));
  }

  async remove(key: string): Promise<boolean> {
    const answer = await this.guard(() => this.client.delete({ index: this.index, id: key, refresh: 'wait_for' }, { ignore: [404] }));
    return answer.result === 'deleted';
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toStoreError(error);
    }
  }
}

function recordOf(source: InstallationSource): InstallationRecord {
  return { key: source.key, teamId: source.team_id, enterpriseId: source.enterprise_id, sealed: source.sealed, updatedAt: source.updated_at };
}
