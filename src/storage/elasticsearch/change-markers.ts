import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import type { BulkBatch } from './document-io';

/**
 * Read-your-writes for searches, without making writes wait for a refresh. A write is searchable only after
 * the next refresh of its index (scheduled every second); gets are real-time. So after each commit the store
 * rewrites an empty *change marker* per team in every index the operation wrote (`addChangeMarkers`): its `_version`
 * goes up by one per write, and on every shard copy it lands after the writes it follows. Before searching a
 * team's documents, a reader asks (`freshSearch`) for the marker twice at once: by a real-time get (the latest
 * version) and by a search (the version the searcher sees). Equal: every write acknowledged before the marker is
 * searchable too, and the search runs as it is. Lower: writes are waiting for a refresh, so the reader refreshes
 * the index first. A reader therefore refreshes only in the second after a change, and never waits for the
 * schedule; no clock is involved. The marker's id cannot be a case's or a child's (those are UUIDs or
 * Kibana's ids), and it holds none of the fields any query filters on, so no query ever returns it.
 *
 * The probe and the searches after it carry the same `preference`, so they go to the same copy of the shard:
 * a searcher only moves forward, so what the probe saw, the searches see. Indices have one shard
 * (manifests/elasticsearch/settings.component-template.json): with more, a marker would vouch only for its own.
 */

/** Routes the searches of one read to the shard copy its probe checked. */
export interface SearchRouting {
  preference: string;
}

export function changeMarkerId(teamId: string): string {
  return `caseops-changes:${teamId}`;
}

/**
 * After a commit: moves the team's marker in each index the commit wrote to. Added to a bulk request that may carry
 * other writes of the same moment (the commit's finalised children): a marker only vouches for writes acknowledged
 * before it, and those were, since the commit was.
 */
export function addChangeMarkers(batch: BulkBatch, indices: readonly string[], teamId: string): void {
  for (const index of new Set(indices)) batch.add({ index: { _index: index, _id: changeMarkerId(teamId) } }, {});
}

/** Makes the team's last changes in `index` searchable if they are not yet; the routing for the searches that follow. */
export async function freshSearch(client: Client, index: string, teamId: string): Promise<SearchRouting> {
  const routing = { preference: randomUUID() };
  const id = changeMarkerId(teamId);
  const [latest, searched] = await Promise.all([
    client.get({ index, id, _source: false }, { ignore: [404] }),
    client.search({ index, query: { ids: { values: [id] } }, version: true, _source: false, size: 1, ...routing }),
  ]);
  if (!latest.found || latest._version === undefined) return routing; // the team never wrote here: nothing to wait for
  const seen = searched.hits.hits[0]?._version ?? 0;
  if (seen < latest._version) await client.indices.refresh({ index });
  return routing;
}
