import type { Attachment, UserAction } from '../../cases/model';

/**
 * Attachment and user-action documents ("children" of a case; id = their own id). `committed` is what readers
 * see; `pending` is what an unfinished operation staged: a new child (no `committed` yet) or the replacement of
 * an existing one. A pending body becomes visible exactly when its operation is the case's last commit
 * (`visibleBody`), and is folded into `committed` right after (finalised) or dropped (rolled back).
 * `case_version` + `ordinal` (the case version the child arrived with, its position in that write) order
 * children exactly as they were written, with no clock involved.
 */

export type ChildBody = Attachment | UserAction;

export interface PendingMark {
  op: string;
  /** The case version the operation started from: if the case has moved past it, the operation cannot commit. */
  base_version: number;
  at: string;
}

export interface ChildSource<T extends ChildBody = ChildBody> extends IndexedChildFields {
  id: string;
  case_id: string;
  case_version: number;
  ordinal: number;
  created_at: string;
  committed?: T;
  pending?: PendingMark & { body: T };
}

/** Fields indexed from the bodies a child holds, committed and pending alike (readers check the visible one). */
export interface IndexedChildFields {
  /** Attachments: their types (a replacement may change the type). */
  type?: string[];
  /** Attachments: `team/channel/ts` of the Slack message an event snapshots. */
  message_key?: string[];
  /** User actions: the Kibana user-action type. */
  action_type?: string[];
}

/** What differs between the two child indices. */
export interface ChildKind {
  index: string;
  /** For messages: "attachment", "user action". */
  noun: string;
  indexed(bodies: readonly ChildBody[]): IndexedChildFields;
}

/** A child document as stored, with what a conditional write on it must quote. */
export interface StoredChild<T extends ChildBody = ChildBody> {
  kind: ChildKind;
  source: ChildSource<T>;
  seqNo: number;
  primaryTerm: number;
}

export interface ChildPosition {
  caseVersion: number;
  ordinal: number;
}

export function childSource<T extends ChildBody>(
  kind: ChildKind,
  position: ChildPosition,
  state: { committed?: T; pending?: PendingMark & { body: T } },
): ChildSource<T> {
  const { committed, pending } = state;
  const first = committed ?? pending?.body;
  if (!first) throw new Error('a child document needs a committed or a pending body');
  const bodies = [committed, pending?.body].filter((body): body is T => body !== undefined);
  return {
    id: first.id,
    case_id: first.caseId,
    case_version: position.caseVersion,
    ordinal: position.ordinal,
    created_at: first.createdAt,
    ...kind.indexed(bodies),
    ...(committed ? { committed } : {}),
    ...(pending ? { pending } : {}),
  };
}

export function positionOf(source: ChildSource): ChildPosition {
  return { caseVersion: source.case_version, ordinal: source.ordinal };
}

/** What a reader sees of a child, given the operation of the case's last commit. */
export function visibleBody<T extends ChildBody>(source: ChildSource<T>, lastCommittedOp: string | null): T | null {
  if (source.pending !== undefined && source.pending.op === lastCommittedOp) return source.pending.body;
  return source.committed ?? null;
}

/** The child with its pending body made permanent (the operation committed). */
export function finalised<T extends ChildBody>(child: StoredChild<T>): ChildSource<T> {
  const { pending } = child.source;
  if (!pending) return child.source;
  return childSource(child.kind, positionOf(child.source), { committed: pending.body });
}

/** The child without its pending body (the operation will never commit), or null when nothing was committed. */
export function rolledBack<T extends ChildBody>(child: StoredChild<T>): ChildSource<T> | null {
  const { committed } = child.source;
  if (!committed) return null;
  return childSource(child.kind, positionOf(child.source), { committed });
}
