import type { Client, estypes } from '@elastic/elasticsearch';
import type { CaseClaimSource } from './case-documents';
import type { ChildKind, ChildSource, StoredChild } from './child-documents';
import { scan, sequenceOf, storedChild } from './document-io';
import type { IndexNames } from './index-names';
import { fence, resolvePending } from './pending-records';

/**
 * The repair pass: finds what operations left pending for longer than `olderThanMs` and completes or undoes it.
 * Creation claims are released (their creator, if it is still alive, then fails to commit and cleans up);
 * pending children are finalised when their operation committed and rolled back otherwise. Run by init() and
 * callable at any time; every write it makes is conditional, so it races safely with live writers and with
 * other replicas repairing at the same moment.
 */

export interface RepairReport {
  claimsReleased: number;
  childrenSettled: number;
  childrenLeftPending: number;
}

export async function repairPending(client: Client, names: IndexNames, kinds: readonly ChildKind[], olderThanMs: number, now = Date.now()): Promise<RepairReport> {
  const cutoff = new Date(now - olderThanMs).toISOString();
  const report: RepairReport = { claimsReleased: 0, childrenSettled: 0, childrenLeftPending: 0 };
  // Roll-forwards and rollbacks are not refreshed (readers do not need it), so refresh once: the scan should
  // not find records already settled and count them again.
  await client.indices.refresh({ index: [names.cases, ...kinds.map((kind) => kind.index)] });
  const staleClaims: estypes.QueryDslQueryContainer = {
    bool: { filter: [{ term: { state: 'pending' } }, { range: { 'pending.at': { lte: cutoff } } }] },
  };
  for await (const hits of scan<CaseClaimSource>(client, names.cases, staleClaims)) {
    for (const hit of hits) {
      // Deleting the claim is what fences its creator; false: committed or taken over since the search.
      if (await fence(client, names.cases, { id: hit._id!, source: hit._source!, ...sequenceOf(hit) })) report.claimsReleased += 1;
    }
  }
  const stalePending: estypes.QueryDslQueryContainer = { range: { 'pending.at': { lte: cutoff } } };
  for (const kind of kinds) {
    for await (const hits of scan<ChildSource>(client, kind.index, stalePending)) {
      const children: StoredChild[] = hits.map((hit) => storedChild(kind, hit._source!, hit));
      const { settled, unsettled } = await resolvePending(client, names.cases, children, olderThanMs, now);
      report.childrenSettled += settled;
      report.childrenLeftPending += unsettled.length;
    }
  }
  return report;
}
