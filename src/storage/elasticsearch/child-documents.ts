import type { Attachment, UserAction } from '../../cases/model';

/**
 * Attachment and user-action documents ("children" of a case; id = their own id). `committed` is what readers
 * see; `pending` is what an unfinished operation staged: a new child (no `committed` yet), the replacement of an
 * existing one, or a child of a replaced case taking over an id its previous generation used. A pending body
 * becomes visible exactly when its operation is the case's last commit, and is folded into `committed` right
 * after (finalised) or dropped (rolled back). A committed body is visible while it belongs to the case's current
 * generation: positioned at or after the version the case was last replaced at (`since_version`).
 * `case_version` + `ordinal` (the case version the child arrived with, its position in that write) order children
 * exactly as they were written, with no clock involved.
 */

export type ChildBody = Attachment | UserAction;

export interface PendingMark {
  op: string;
  /** The case version the operation started from: if the case has moved past it, the operation cannot commit. */
  base_version: number;
  at: string;
}

/** Where a child sorts among its case's children. */
export interface ChildPosition {
  case_version: number;
  ordinal: number;
}

export interface PendingBody<T extends ChildBody> extends PendingMark {
  body: T;
  /** The position the child takes if the operation commits. */
  position: ChildPosition;
}

export interface ChildSource<T extends ChildBody = ChildBody> extends IndexedChildFields, ChildPosition {
  id: string;
  case_id: string;
  created_at: string;
  committed?: T;
  pending?: PendingBody<T>;
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

/** What readers need of a case to see its children: its last commit and the start of its current generation. */
export interface CaseGeneration {
  op: string | null;
  since: number;
}

/** A child document: at `position` with its committed body, or (new) at its pending body's position. */
export function childSource<T extends ChildBody>(kind: ChildKind, state: { committed?: T; position?: ChildPosition; pending?: PendingBody<T> }): ChildSource<T> {
  const { committed, pending } = state;
  const first = committed ?? pending?.body;
  const position = state.position ?? pending?.position;
  if (!first || !position) throw new Error('a child document needs a committed body with its position, or a pending body');
  const bodies = [committed, pending?.body].filter((body): body is T => body !== undefined);
  return {
    id: first.id,
    case_id: first.caseId,
    case_version: position.case_version,
    ordinal: position.ordinal,
    created_at: first.createdAt,
    ...kind.indexed(bodies),
    ...(committed ? { committed } : {}),
    ...(pending ? { pending } : {}),
  };
}

export function positionOf(source: ChildPosition): ChildPosition {
  return { case_version: source.case_version, ordinal: source.ordinal };
}

/** What a reader sees of a child, given its case's last commit and generation. */
export function visibleBody<T extends ChildBody>(source: ChildSource<T>, generation: CaseGeneration): T | null {
  if (source.pending !== undefined && source.pending.op === generation.op) return source.pending.body;
  if (source.committed !== undefined && source.case_version >= generation.since) return source.committed;
  return null;
}

/** Where the body a reader sees sorts. */
export function visiblePosition(source: ChildSource, generation: CaseGeneration): ChildPosition {
  return source.pending !== undefined && source.pending.op === generation.op ? source.pending.position : positionOf(source);
}

/** The child with its pending body made permanent (the operation committed). */
export function finalised<T extends ChildBody>(child: StoredChild<T>): ChildSource<T> {
  const { pending } = child.source;
  if (!pending) return child.source;
  return childSource(child.kind, { committed: pending.body, position: pending.position });
}

/** The child without its pending body (the operation will never commit), or null when nothing was committed. */
export function rolledBack<T extends ChildBody>(child: StoredChild<T>): ChildSource<T> | null {
  const { committed } = child.source;
  if (!committed) return null;
  return childSource(child.kind, { committed, position: positionOf(child.source) });
}
