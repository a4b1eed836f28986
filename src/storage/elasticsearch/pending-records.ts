import type { Client } from '@elastic/elasticsearch';
import { randomUUID } from 'node:crypto';
import { type CaseHead, type CaseSource, committedCase, fenceSource } from './case-documents';
import { finalised, type PendingMark, rolledBack, type StoredChild } from './child-documents';
import { BulkBatch, readDocuments, throwUnlessExpected } from './document-io';
import { isConflict } from './errors';

/**
 * Deciding what became of the operation that left a pending mark, and acting on it. See the protocol at the top
 * of elasticsearch-store.ts for why these verdicts are sound.
 */

export type Verdict =
  /** The operation is the case's last commit: its pending bodies are real and only need finalising. */
  | 'committed'
  /** The operation can never commit (the case moved on, or its creation claim is gone or someone else's). */
  | 'dead'
  /** The operation may still commit: the case is still at its base version. Leave it alone. */
  | 'in-flight'
  /** Like in-flight, but older than the lease: fence the case, after which it is dead. */
  | 'abandoned';

export function judge(mark: PendingMark, head: CaseHead | null, leaseMs: number, now: number): Verdict {
  const expired = now - Date.parse(mark.at) > leaseMs;
  // No case (yet): a creation stages its children before its create commits the case document.
  if (head === null) return mark.base_version === 0 ? (expired ? 'abandoned' : 'in-flight') : 'dead';
  const committed = committedCase(head);
  if (committed === null) {
    // A creation claim: the operation can only commit over its own claim.
    if (head.source.state === 'pending' && head.source.pending.op === mark.op) return expired ? 'abandoned' : 'in-flight';
    return 'dead';
  }
  if (committed.commit.op === mark.op) return 'committed';
  // Once committed, an operation's children are finalised before any later commit can replace it (the next
  // writer rolls the last commit forward first), so a pending mark of an older operation never committed.
  if (committed.version > mark.base_version) return 'dead';
  return expired ? 'abandoned' : 'in-flight';
}

/**
 * Makes every operation that read `head` unable to commit, with a conditional write on the case document:
 * the same committed source written again (only its sequence number changes), or a creation claim deleted. A
 * case that does not exist (`head` null) is fenced by creating a fence document in its place (CaseFenceSource),
 * so a creation still under way cannot create it. False when the case changed in the meantime (then nothing was
 * fenced and the caller judges again later).
 */
export async function fence(client: Client, index: string, head: CaseHead | null, caseId = head?.id): Promise<boolean> {
  try {
    if (!head) {
      await client.create({ index, id: caseId!, document: fenceSource(randomUUID(), new Date()) });
      return true;
    }
    if (head.source.state === 'fenced') return true;
    const conditions = { index, id: head.id, if_seq_no: head.seqNo, if_primary_term: head.primaryTerm };
    if (head.source.state === 'committed') await client.index({ ...conditions, document: head.source });
    else await client.delete(conditions);
    return true;
  } catch (error) {
    if (isConflict(error) || (error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

/**
 * Finalises (pending body → committed) or rolls back (pending body dropped; a never-committed child deleted)
 * children, each conditional on the sequence number it was read with. A 409 or 404 means another writer or
 * the repair pass settled that child first, which is the same outcome.
 */
export async function settleChildren(client: Client, finalise: readonly StoredChild[], rollBack: readonly StoredChild[]): Promise<void> {
  const batch = new BulkBatch();
  addSettlements(batch, finalise, rollBack);
  for (const item of await batch.run(client)) throwUnlessExpected(item, [404, 409]);
}

/** The writes of settleChildren, added to a bulk request that may carry others (the commit's change markers). */
export function addSettlements(batch: BulkBatch, finalise: readonly StoredChild[], rollBack: readonly StoredChild[]): void {
  const conditions = (child: StoredChild) => ({
    _index: child.kind.index,
    _id: child.source.id,
    if_seq_no: child.seqNo,
    if_primary_term: child.primaryTerm,
  });
  for (const child of finalise) if (child.source.pending) batch.add({ index: conditions(child) }, finalised(child));
  for (const child of rollBack) {
    if (!child.source.pending) continue;
    const kept = rolledBack(child);
    if (kept) batch.add({ index: conditions(child) }, kept);
    else batch.add({ delete: conditions(child) });
  }
}

/**
 * Undoes what a refused or failed operation staged, on the way out of it. Failures are swallowed: the operation's
 * own error is what the caller must see, and the repair pass rolls back whatever this could not.
 */
export async function rollBackQuietly(client: Client, staged: readonly StoredChild[]): Promise<void> {
  await settleChildren(client, [], staged).catch(() => undefined);
}

export interface Resolution {
  settled: number;
  /** Children left pending: their operation may still commit, or their case changed while we looked. */
  unsettled: StoredChild[];
  /** Cases fenced to clear abandoned operations: every operation that read them before now cannot commit. */
  fenced: string[];
}

/** Judges pending children by their cases, fences cases with abandoned operations, and settles what it can. */
export async function resolvePending(client: Client, casesIndex: string, children: readonly StoredChild[], leaseMs: number, now = Date.now()): Promise<Resolution> {
  const pending = children.filter((child) => child.source.pending !== undefined);
  const heads = await readDocuments<CaseSource>(client, casesIndex, pending.map((child) => child.source.case_id));
  const finalise: StoredChild[] = [];
  const rollBack: StoredChild[] = [];
  const unsettled: StoredChild[] = [];
  const abandoned = new Map<string, StoredChild[]>();
  for (const child of pending) {
    const head = heads.get(child.source.case_id) ?? null;
    const verdict = judge(child.source.pending!, head, leaseMs, now);
    if (verdict === 'committed') finalise.push(child);
    else if (verdict === 'dead') rollBack.push(child);
    else if (verdict === 'in-flight') unsettled.push(child);
    else abandoned.set(child.source.case_id, [...(abandoned.get(child.source.case_id) ?? []), child]);
  }
  const fenced: string[] = [];
  for (const [caseId, stale] of abandoned) {
    if (await fence(client, casesIndex, heads.get(caseId) ?? null, caseId)) {
      fenced.push(caseId);
      rollBack.push(...stale);
    } else unsettled.push(...stale);
  }
  await settleChildren(client, finalise, rollBack);
  return { settled: finalise.length + rollBack.length, unsettled, fenced };
}
