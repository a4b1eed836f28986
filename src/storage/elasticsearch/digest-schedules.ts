import type { Client } from '@elastic/elasticsearch';
import type { DigestSchedule, DigestSchedules } from '../../cases/digest';
import { toStoreError } from './errors';

/**
 * Digest schedules on Elasticsearch (`<prefix>-digest-schedules`, one document per channel). Setting and removing
 * wait for a refresh: they are rare, and the digest job on any replica lists them with a search.
 */

interface ScheduleSource {
  team_id: string;
  channel_id: string;
  schedule: DigestSchedule;
}

/** Channels of one team with a digest: far fewer than this. */
const MAX_SCHEDULES = 10_000;

export class ElasticsearchDigestSchedules implements DigestSchedules {
  constructor(
    private readonly client: Client,
    private readonly index: string,
  ) {}

  async set(schedule: DigestSchedule): Promise<void> {
    const document: ScheduleSource = { team_id: schedule.teamId, channel_id: schedule.channelId, schedule };
    await this.guard(() => this.client.index({ index: this.index, id: documentId(schedule.teamId, schedule.channelId), document, refresh: 'wait_for' }));
  }

  async remove(teamId: string, channelId: string): Promise<boolean> {
    const answer = await this.guard(() => this.client.delete({ index: this.index, id: documentId(teamId, channelId), refresh: 'wait_for' }, { ignore: [404] }));
    return answer.result === 'deleted';
  }

  async list(teamId: string): Promise<DigestSchedule[]> {
    const answer = await this.guard(() =>
      this.client.search<ScheduleSource>({ index: this.index, size: MAX_SCHEDULES, query: { term: { team_id: teamId } }, sort: [{ channel_id: 'asc' }] }),
    );
    return answer.hits.hits.flatMap((hit) => (hit._source ? [hit._source.schedule] : []));
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toStoreError(error);
    }
  }
}

function documentId(teamId: string, channelId: string): string {
  return `${teamId}:${channelId}`;
}
