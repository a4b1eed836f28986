import type { Client } from '@elastic/elasticsearch';
import { freshSearch } from './change-markers';
import type { ChildKind, ChildSource } from './child-documents';
import { BulkBatch, scan, throwUnlessExpected } from './document-io';
import type { Operation } from './staging';

/**
 * Deletes what a replaced case had: children positioned before the generation `operation` began, except those
 * it took over (they carry its pending mark until finalised). Housekeeping only: readers no longer see them.
 * Each delete is conditional on the sequence number the scan saw, so a child written meanwhile stays.
 */
export async function dropPreviousGenerations(client: Client, kinds: readonly ChildKind[], teamId: string, caseId: string, operation: Operation): Promise<void> {
  for (const kind of kinds) {
    // The old generation's last children may have been written a moment ago: make them searchable first.
    const routing = await freshSearch(client, kind.index, teamId);
    const query = {
      bool: {
        filter: [{ term: { case_id: caseId } }, { range: { case_version: { lt: operation.since } } }],
        must_not: [{ term: { 'pending.op': operation.op } }],
      },
    };
    for await (const hits of scan<ChildSource>(client, kind.index, query, routing)) {
      const batch = new BulkBatch();
      for (const hit of hits) batch.add({ delete: { _index: kind.index, _id: hit._id!, if_seq_no: hit._seq_no!, if_primary_term: hit._primary_term! } });
      for (const item of await batch.run(client)) throwUnlessExpected(item, [404, 409]);
    }
  }
}
