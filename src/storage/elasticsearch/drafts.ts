import type { Client } from '@elastic/elasticsearch';
import type { Draft } from '../../cases/store';
import { BulkBatch, readDocument, throwUnlessExpected } from './document-io';

/**
 * Drafts (`<prefix>-drafts`, id = draft id): one document each, overwritten on save and read back in real time,
 * so a modal opened on one replica can be completed on another. Expired drafts are deleted as new ones are saved
 * (no _delete_by_query: it lives in a module some clusters lack), which keeps the index small without a timer.
 */

interface DraftSource {
  team_id: string;
  expires_at: string;
  data: Record<string, unknown>;
}

/** Deleted per save at most: enough to keep up with any rate at which drafts are made. */
const SWEEP_BATCH = 100;

export async function saveDraft(client: Client, index: string, draft: Draft): Promise<void> {
  await sweepExpired(client, index, new Date());
  const document: DraftSource = { team_id: draft.teamId, expires_at: draft.expiresAt, data: draft.data };
  await client.index({ index, id: draft.id, document });
}

export async function getDraft(client: Client, index: string, id: string): Promise<Draft | null> {
  const stored = await readDocument<DraftSource>(client, index, id);
  if (!stored || Date.parse(stored.source.expires_at) < Date.now()) return null;
  return { id, teamId: stored.source.team_id, data: stored.source.data, expiresAt: stored.source.expires_at };
}

async function sweepExpired(client: Client, index: string, now: Date): Promise<void> {
  const response = await client.search({
    index,
    query: { range: { expires_at: { lt: now.toISOString() } } },
    size: SWEEP_BATCH,
    _source: false,
    seq_no_primary_term: true,
  });
  const batch = new BulkBatch();
  for (const hit of response.hits.hits) {
    // Conditional, so a draft saved again under the same id since the search is not the one deleted.
    batch.add({ delete: { _index: index, _id: hit._id!, if_seq_no: hit._seq_no!, if_primary_term: hit._primary_term! } });
  }
  // 404: another replica swept it first; 409: it was saved again meanwhile.
  for (const item of await batch.run(client)) throwUnlessExpected(item, [404, 409]);
}
