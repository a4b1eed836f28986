import type { ExportRequest } from './export-request';
import type { Actor, SlaLevel, SlaTarget, UserAction } from './model';

/**
 * The outbox: what a use-case owes the world outside the store (a card to post, a line in the case thread…),
 * recorded in the same transaction or commit as the change itself, and delivered afterwards by a dispatcher in
 * whichever replica holds the stream's lease. A change that is stored therefore always gets its effects, even
 * when the process dies right after the commit; effects of one stream (one case) are delivered in the order they
 * were recorded.
 */

export type EffectKind =
  /** Post the case card in the case's channel and remember the message. The "card pending" mark of a case. */
  | 'post_card'
  /** Bring the card to the case's current state (a burst of edits is delivered as one). */
  | 'edit_card'
  /** One line in the case thread saying what changed and who changed it. */
  | 'thread_line'
  /** A chart recorded on the case, drawn and uploaded into the case thread; its Slack file recorded on it. */
  | 'upload_chart'
  /** An SLA warning or breach told to one audience: the case thread, an assignee by DM, or the channel. */
  | 'sla_notice'
  /** A case untouched for its severity's period, nudged in its thread with one-tap answers (nudges.ts). */
  | 'nudge'
  /**
   * An attached Slack message written to the evidence data stream as an ECS document, or rewritten from its latest
   * snapshot after an edit or deletion; where the document is gets recorded on the attachment.
   */
  | 'index_event'
  /** A channel's daily digest (digest.ts), posted in the channel; a stream of its own. */
  | 'digest'
  /** A Kibana export, written and uploaded into the channel (or the requester's DMs). It belongs to no case: a stream of its own. */
  | 'deliver_export'
  /**
   * A change made in Slack pushed to the case's mirror in Kibana Cases (the case created there first, when it is not
   * yet). Delivered in the case's Kibana lane (`streamOfEffect`).
   */
  | 'kibana_push'
  /**
   * The case's war room opened in Slack (war-room.ts): the channel, its topic and purpose, the people, a bookmark to the
   * case, the card posted and pinned there. Each step taken is recorded on the case, so a retry goes on from there.
   */
  | 'open_room'
  /** The case's post-incident report (`/case report`), written and shared as a Markdown file in its room or thread. */
  | 'deliver_report'
  /** The case closed: its war room told so, with a summary and a button to archive the room. */
  | 'close_room';

/**
 * Whether an effect shows the person who acted their change in Slack (the card, its thread, the chart), so the
 * listener that answers them may wait for it. The cluster's copy of a message happens out of their sight.
 */
export function isSeenByActor(kind: EffectKind): boolean {
  return kind !== 'index_event' && kind !== 'kibana_push';
}

/**
 * The stream an effect of a case goes in. A case has two lanes: what it owes Slack and the cluster (the case id), and
 * what it owes Kibana (`kibana:<case id>`). Order holds within a lane, and a lane waits for nothing in the other: a
 * Kibana outage of an hour must not hold up the card, nor a refused thread line the Kibana mirror.
 */
export function streamOfEffect(caseId: string, kind: EffectKind): string {
  return kind === 'kibana_push' ? `${KIBANA_LANE}${caseId}` : caseId;
}

/** The case a stream belongs to (either of its lanes); null for a stream of one. */
export function caseOfStream(stream: string): string | null {
  if (stream.startsWith(STREAM_OF_ONE)) return null;
  return stream.startsWith(KIBANA_LANE) ? stream.slice(KIBANA_LANE.length) : stream;
}

const KIBANA_LANE = 'kibana:';

/**
 * The stream of an effect that belongs to no case (an export): its own, named after it, so it waits for nothing and
 * nothing waits for it. A case's stream is the case id.
 */
export function streamOfOne(effectId: string): string {
  return `${STREAM_OF_ONE}${effectId}`;
}

/** The effect a stream of one is made of; null for a case's stream. */
export function soleEffectOf(stream: string): string | null {
  return stream.startsWith(STREAM_OF_ONE) ? stream.slice(STREAM_OF_ONE.length) : null;
}

const STREAM_OF_ONE = 'one:';

/** A delivery still owed ('due'), delivered ('done'), or given up on after its deadline ('failed'). */
export type EffectState = 'due' | 'done' | 'failed';

/** What the use-case gives: the store adds the rest. */
export interface EffectDraft {
  /**
   * Fresh for every attempt at a use-case, never derived from the request: an attempt that died before its
   * commit may leave its effects staged (Elasticsearch) until they are cleared as orphans, and the request's
   * redelivery must not collide with them. Only an effect recorded alone (`recordAlone`), which is committed in one
   * write, may have an id derived from its work, so that it is recorded once.
   */
  id: string;
  kind: EffectKind;
  payload: EffectPayload;
}

export interface EffectPayload {
  /** Who caused it: told directly when the effect cannot be delivered where it belongs. */
  actor: Actor;
  /** thread_line: the user actions the line describes. */
  actions?: UserAction[];
  /** post_card: where the card goes when the bot cannot post in the channel (a slash command's response_url). */
  responseUrl?: string;
  /** upload_chart: the visualization attachment to draw and upload; index_event: the event attachment to index. */
  attachmentId?: string;
  /** sla_notice: which threshold, and whom to tell. */
  sla?: SlaNotice;
  /** deliver_export: what to export, and where. */
  export?: ExportRequest;
  /** open_room: the people to invite besides the one who asked and the assignees. */
  invitees?: string[];
  /** digest: the channel, the local day whose digest it is, and the instant it covers the 24 hours before. */
  digest?: { channelId: string; day: string; at: string };
}

export interface SlaNotice {
  target: SlaTarget;
  level: SlaLevel;
  dueAt: string;
  to: { thread: true } | { userId: string } | { channel: true };
}

export interface Effect extends EffectDraft {
  /** What orders delivery: a case id (effects of one case are delivered one after another, in order). */
  stream: string;
  teamId: string;
  createdAt: string;
  state: EffectState;
  /** Not delivered before this time (backoff after a failed attempt). */
  notBefore: string;
  /** Attempts started. */
  attempts: number;
  /**
   * Whether an earlier attempt may have done the work without our knowing: it started and never finished (the
   * process died), or lost Slack's answer. The next attempt then looks for what it did before doing it again.
   */
  uncertain: boolean;
  firstAttemptAt: string | null;
  lastError: string | null;
  settledAt: string | null;
}

/** The right to deliver one stream's effects, held by one replica until `expiresAt`. */
export interface Lease {
  stream: string;
  owner: string;
  expiresAt: string;
  /** How long the lease lasts each time it is taken or renewed. */
  ttlMs: number;
  /** Store-specific proof of ownership (a sequence number, a counter), checked by every write under the lease. */
  token: string;
}

export type Settlement = { state: 'done' | 'failed'; note?: string } | { state: 'due'; retryAt: Date; error: string; uncertain: boolean };

/** The part of a store the dispatcher works with. Every method under a lease fails with LeaseLostError once it is lost. */
export interface OutboxStore {
  /**
   * Records an effect that belongs to no case (an export, a digest) as a stream of its own (`streamOfOne`), committed
   * at once. Null when an effect with this id is already recorded: an id derived from the work (a channel's digest of
   * a day) records it once, whichever replicas ask.
   */
  recordAlone(teamId: string, draft: EffectDraft): Promise<Effect | null>;
  /** Streams with an effect due at `now`, not leased by anyone else (or whose lease has expired). */
  dueStreams(now: Date, limit: number): Promise<string[]>;
  /** Takes the stream's lease if it is free or expired; null when another replica holds it. */
  acquireLease(stream: string, owner: string, now: Date, ttlMs: number): Promise<Lease | null>;
  renewLease(lease: Lease, now: Date, ttlMs: number): Promise<Lease>;
  releaseLease(lease: Lease): Promise<void>;
  /** The stream's effects not yet settled, oldest first, at most `limit`. */
  pendingEffects(lease: Lease, limit: number): Promise<Effect[]>;
  /** Records that an attempt starts now; returns the effect as stored afterwards. */
  startAttempt(lease: Lease, effect: Effect, now: Date): Promise<Effect>;
  settle(lease: Lease, effect: Effect, settlement: Settlement, now: Date): Promise<void>;
  /** The stream's effects given up on, newest first, at most `limit` (what its card says could not be done). */
  failedEffects(stream: string, limit: number): Promise<Effect[]>;
  /** The effects of a stream, settled or not, oldest first (for operators and tests). */
  listEffects(stream: string): Promise<Effect[]>;
  /** Deletes effects settled before `before`; returns how many. */
  pruneSettled(before: Date): Promise<number>;
}

/** Told about writes that record effects, so the local dispatcher delivers them at once instead of at its next poll. */
export interface OutboxSignal {
  /** Effects were recorded in the stream (a write committed them). */
  due(stream: string): void;
  /**
   * A write that records effects in the stream is under way: the dispatcher may get ready beside it (take the
   * stream's lease). Followed by `due` when the write commits, and by `cancelExpected` in any case once it is over.
   */
  expect(stream: string): void;
  /** The write `expect` announced is over; if it did not commit, nothing is coming. */
  cancelExpected(stream: string): void;
}

export class LeaseLostError extends Error {
  constructor(stream: string) {
    super(`the outbox lease on ${stream} was lost`);
  }
}

/** An effect as the store first records it. */
export function newEffect(draft: EffectDraft, stream: string, teamId: string, at: string): Effect {
  return { ...draft, stream, teamId, createdAt: at, state: 'due', notBefore: at, attempts: 0, uncertain: false, firstAttemptAt: null, lastError: null, settledAt: null };
}

/** The effect after `settlement`. */
export function settledEffect(effect: Effect, settlement: Settlement, now: Date): Effect {
  if (settlement.state === 'due') return { ...effect, notBefore: settlement.retryAt.toISOString(), lastError: settlement.error, uncertain: settlement.uncertain };
  return { ...effect, state: settlement.state, settledAt: now.toISOString(), lastError: settlement.state === 'failed' ? (settlement.note ?? effect.lastError) : effect.lastError };
}

/** The effect once an attempt has started: until it settles, nobody knows whether it did the work. */
export function attemptedEffect(effect: Effect, now: Date): Effect {
  return { ...effect, attempts: effect.attempts + 1, uncertain: true, firstAttemptAt: effect.firstAttemptAt ?? now.toISOString() };
}
