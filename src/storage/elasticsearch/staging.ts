import type { Client, estypes } from '@elastic/elasticsearch';
import { DuplicateAttachmentError, VersionConflictError } from '../../cases/errors';
import type { Attachment } from '../../cases/model';
import type { CaseWrite } from '../../cases/store';
import { type ChildBody, type ChildKind, type ChildSource, childSource, type PendingMark, positionOf, type StoredChild } from './child-documents';
import { BulkBatch, readChildren, storedChild, throwUnlessExpected } from './document-io';
import { resolvePending, rollBackQuietly } from './pending-records';

/**
 * Step 3 of an operation (protocol: elasticsearch-store.ts): writes its user actions and attachments as pending
 * children, invisible until the case document commits the operation. New children are created with
 * op_type=create, so an id that exists fails right there; replacements are written conditionally on the
 * sequence number they were read with. On any failure everything staged so far is rolled back before the error
 * propagates, so nothing of a refused write stays behind (and the repair pass catches a crash in between).
 */

export interface Operation {
  op: string;
  caseId: string;
  teamId: string;
  /** The case version the operation starts from: 0 when it creates the case. */
  baseVersion: number;
  /**
   * Where the case's generation begins once this operation commits: its creation's version, or this operation's
   * own when it replaces the case. Children positioned before it are no longer the case's.
   */
  since: number;
  at: Date;
}

export interface StagingContext {
  client: Client;
  casesIndex: string;
  attachments: ChildKind;
  userActions: ChildKind;
  /** How long a pending record may stay before another writer may treat its operation as abandoned. */
  leaseMs: number;
}

/** Thrown when staging had to fence the operation's own case to clear an abandoned record: start over. */
export class RestartOperation extends Error {}

interface PlannedWrite {
  kind: ChildKind;
  source: ChildSource;
  /** Set for a replacement: the stored child it replaces. Unset: a new child, created only if its id is free. */
  replaces?: StoredChild;
}

/** Enough rounds to clear a record left by a dead operation and find the id really taken, or free. */
const MAX_ROUNDS = 4;

export async function stageChildren(context: StagingContext, operation: Operation, write: CaseWrite): Promise<StoredChild[]> {
  const staged: StoredChild[] = [];
  try {
    let writes = [...newChildren(context, operation, write), ...(await replacements(context, operation, write))];
    for (let round = 0; writes.length > 0; round += 1) {
      if (round === MAX_ROUNDS) throw new VersionConflictError(operation.caseId);
      const batch = new BulkBatch();
      for (const planned of writes) batch.add(operationFor(planned), planned.source);
      // No refresh: pending children matter to readers only once committed, and the commit's change marker
      // makes them searchable for the searches that follow it (change-markers.ts).
      const items = await batch.run(context.client);
      const conflicts: PlannedWrite[] = [];
      writes.forEach((planned, position) => {
        const item = items[position]!;
        if (item.status === 409) conflicts.push(planned);
        else {
          throwUnlessExpected(item, []);
          staged.push(storedChild(planned.kind, planned.source, item));
        }
      });
      writes = await afterConflicts(context, operation, conflicts, staged);
    }
    return staged;
  } catch (error) {
    await rollBackQuietly(context.client, staged);
    throw error;
  }
}

/** The new user actions and attachments, positioned after everything the case already has. */
function newChildren(context: StagingContext, operation: Operation, write: CaseWrite): PlannedWrite[] {
  const mark = pendingMark(operation);
  const caseVersion = operation.baseVersion + 1;
  const replacedInPlace = new Map((write.replaceAttachments ?? []).map((attachment) => [attachment.id, attachment]));
  const plan = (kind: ChildKind, bodies: readonly ChildBody[]) => {
    const seen = new Set<string>();
    return bodies.map((body, ordinal): PlannedWrite => {
      assertOnCase(kind, body, operation.caseId);
      if (seen.has(body.id)) throw duplicate(context, kind, body.id);
      seen.add(body.id);
      // Added and replaced in the same write (SQLite: inserted, then updated): the replacement is what lands.
      const landed = kind === context.attachments ? (replacedInPlace.get(body.id) ?? body) : body;
      return { kind, source: childSource(kind, { pending: { ...mark, body: landed, position: { case_version: caseVersion, ordinal } } }) };
    });
  };
  return [...plan(context.userActions, write.actions ?? []), ...plan(context.attachments, write.addAttachments ?? [])];
}

/** Replacements of attachments the case already has, each conditional on the stored child it was read from. */
async function replacements(context: StagingContext, operation: Operation, write: CaseWrite): Promise<PlannedWrite[]> {
  const added = new Set((write.addAttachments ?? []).map((attachment) => attachment.id));
  const wanted = (write.replaceAttachments ?? []).filter((attachment) => !added.has(attachment.id));
  if (wanted.length === 0) return [];
  let stored = await readChildren(context.client, wanted.map((attachment) => ({ kind: context.attachments, id: attachment.id })));
  const inTheWay = stored.filter((child): child is StoredChild => child?.source.pending !== undefined);
  if (inTheWay.length > 0) {
    await clearAbandoned(context, operation, inTheWay);
    stored = await readChildren(context.client, wanted.map((attachment) => ({ kind: context.attachments, id: attachment.id })));
  }
  const mark = pendingMark(operation);
  return wanted.map((replacement: Attachment, index): PlannedWrite => {
    const existing = stored[index];
    const committed = existing?.source.committed;
    if (!existing || !committed || committed.caseId !== operation.caseId || existing.source.case_version < operation.since) {
      throw new Error(`attachment ${replacement.id} is not on case ${operation.caseId}`);
    }
    if (existing.source.pending) throw new VersionConflictError(operation.caseId);
    // Replaced in place: it keeps its position.
    const position = positionOf(existing.source);
    const source = childSource(context.attachments, { committed, position, pending: { ...mark, body: replacement, position } });
    return { kind: context.attachments, source, replaces: existing };
  });
}

/**
 * After a round's 409s: a child already pending for this very operation is ours (the client retried a write that
 * had landed); a record left by another operation is judged and cleared if it can be; a committed child of the
 * case's previous generation (before a replaceCase) gives its id up; any other committed child is a duplicate.
 * What is left goes round again.
 */
async function afterConflicts(context: StagingContext, operation: Operation, conflicts: PlannedWrite[], staged: StoredChild[]): Promise<PlannedWrite[]> {
  if (conflicts.length === 0) return [];
  const current = await readChildren(context.client, conflicts.map((planned) => ({ kind: planned.kind, id: planned.source.id })));
  const retry: PlannedWrite[] = [];
  const others: StoredChild[] = [];
  conflicts.forEach((planned, index) => {
    const existing = current[index];
    if (existing?.source.pending?.op === operation.op) staged.push(existing);
    else if (planned.replaces) throw new VersionConflictError(operation.caseId);
    else if (existing?.source.pending) {
      others.push(existing);
      retry.push(planned);
    } else if (existing?.source.committed) {
      if (!supersedes(operation, existing)) throw duplicate(context, planned.kind, planned.source.id);
      retry.push({ ...planned, source: childSource(planned.kind, { committed: existing.source.committed, position: positionOf(existing.source), pending: planned.source.pending }), replaces: existing });
    } else retry.push(planned); // deleted since the conflict: create it again
  });
  await clearAbandoned(context, operation, others);
  return retry;
}

/** Whether the operation may take over a committed child: one of its case's generation that this operation ends. */
function supersedes(operation: Operation, existing: StoredChild): boolean {
  return existing.source.case_id === operation.caseId && existing.source.case_version < operation.since;
}

/** Settles records other operations left in the way; one that may still commit means a concurrent write. */
async function clearAbandoned(context: StagingContext, operation: Operation, children: StoredChild[]): Promise<void> {
  if (children.length === 0) return;
  const { unsettled, fenced } = await resolvePending(context.client, context.casesIndex, children, context.leaseMs);
  if (fenced.includes(operation.caseId)) throw new RestartOperation(`case ${operation.caseId} was fenced to clear an abandoned write`);
  if (unsettled.length > 0) throw new VersionConflictError(operation.caseId);
}

function operationFor(planned: PlannedWrite): estypes.BulkOperationContainer {
  const target = { _index: planned.kind.index, _id: planned.source.id };
  if (!planned.replaces) return { create: target };
  return { index: { ...target, if_seq_no: planned.replaces.seqNo, if_primary_term: planned.replaces.primaryTerm } };
}

function pendingMark(operation: Operation): PendingMark {
  return { op: operation.op, base_version: operation.baseVersion, at: operation.at.toISOString() };
}

function assertOnCase(kind: ChildKind, body: ChildBody, caseId: string): void {
  if (body.caseId !== caseId) throw new Error(`${kind.noun} ${body.id} belongs to case ${body.caseId}, not to case ${caseId}`);
}

function duplicate(context: StagingContext, kind: ChildKind, id: string): Error {
  return kind === context.attachments ? new DuplicateAttachmentError(id) : new Error(`${kind.noun} ${id} already exists`);
}
