import { randomUUID } from 'node:crypto';
import type { Client, estypes } from '@elastic/elasticsearch';
import { type Effect, type EffectDraft, type Lease, LeaseLostError, newEffect, type OutboxStore, type Settlement, attemptedEffect, caseOfStream, settledEffect, soleEffectOf, streamOfEffect, streamOfOne } from '../../cases/outbox';
import { type CaseHead, type CaseSource, committedCase, type EffectTails } from './case-documents';
import { BulkBatch, readDocument, readDocuments, sequenceOf, throwUnlessExpected, type Versioned } from './document-io';
import { isConflict } from './errors';
import { RecentMemory } from './recent-memory';
import type { IndexNames } from './index-names';
import { fence } from './pending-records';

/**
 * The outbox on Elasticsearch (`<prefix>-outbox`, one document per effect).
 *
 * ## Recording: staged, then committed by the case document
 * An operation writes its effects (op_type=create, fresh ids) before it commits, each pointing at the one before it
 * (`prev`): the first at the case's current `commit.effect_tail`, the next at the first, and so on. The commit then
 * sets `effect_tail` to the last. So the committed effects of a case are exactly the chain that starts at its
 * document's tail, in recorded order, and an operation that loses its race or dies leaves effects nothing points
 * at (orphans: deleted once they are older than the lease, after fencing the case so that a writer slower than
 * that cannot commit them after all).
 *
 * ## Delivering: a lease per stream, real-time reads
 * The replica that holds a stream's lease (`<prefix>-outbox-leases`, id = stream, taken with op_type=create or a
 * conditional write over an expired lease) walks the chain back from the tail with real-time GETs to the first
 * settled effect: that is the backlog, oldest first. Every write under the lease is conditional on the sequence
 * number it last saw (the lease's and the effect's), so a replica that lost its lease cannot settle anything.
 * Right after a commit made by this replica, the first round needs no read at all: the commit's tails and the effects
 * as staged are remembered (`committed`), and the walk stops at an effect this replica settled (settled is final).
 * Acting on a remembered effect is as safe as on one read a moment ago: its attempt is recorded conditionally on
 * the sequence number remembered, so if anyone touched it since, the attempt is refused.
 * Search (not real-time) is only used to find streams with due effects, for replicas that did not record them.
 *
 * ## What was given up on
 * Before an effect is settled as failed, its stream's mark in `<prefix>-outbox-given-up` is written (id = stream).
 * A card is drawn with the failed effects of its case, and nearly every case has none: a real-time get of the mark
 * says so, and only a stream with a mark is searched.
 *
 * ## Streams of one
 * An effect that belongs to no case (an export) is one document, committed by its own create: its stream is named
 * after it (`streamOfOne`), and its backlog is that document while it is due.
 */

interface EffectSource {
  stream: string;
  team_id: string;
  op: string;
  prev: string | null;
  state: Effect['state'];
  created_at: string;
  not_before: string;
  settled_at: string | null;
  effect: Effect;
}

interface Seen {
  seqNo: number;
  primaryTerm: number;
  op: string;
  prev: string | null;
}

interface LeaseSource {
  owner: string;
  expires_at: string;
}

interface GivenUpSource {
  stream: string;
  team_id: string;
  last_given_up_at: string;
}

/** Streams whose last orphan check is remembered; past that the memory starts over (a few extra searches). */
const MAX_ORPHAN_CHECKS_REMEMBERED = 10_000;
/** A backlog longer than this is delivered in several rounds. */
const MAX_WALK = 10_000;
/**
 * How long after taking or renewing a lease an attempt may start without renewing it again: far below the lease's
 * life, so what held when it was written still holds when the attempt is recorded.
 */
const LEASE_PROOF_MS = 1_000;
/** Staged effects and lane tails kept for the delivery that follows a commit; it normally comes within milliseconds. */
const RECENTLY_WRITTEN = 1_000;
const RECENTLY_WRITTEN_MS = 60_000;
const SETTLED_REMEMBERED = 10_000;
/** Settled effects deleted per pruneSettled call. */
const PRUNE_BATCH = 1_000;

export class ElasticsearchOutbox implements OutboxStore {
  /** Effects this replica read under its leases, as read: its writes are conditional on their sequence numbers. */
  private readonly seen = new Map<string, Seen>();
  /** When this replica last looked for orphans of each stream. */
  private readonly orphansCheckedAt = new Map<string, number>();
  /** The latest token of each lease this replica holds: renewals inside startAttempt move it on. */
  private readonly tokens = new Map<string, string>();
  /** Effects this replica staged, as written: the first delivery of a commit made here reads none of them. */
  private readonly staged = new RecentMemory<Versioned<EffectSource>>({ maxEntries: RECENTLY_WRITTEN, maxAgeMs: RECENTLY_WRITTEN_MS });
  /** The tail of each lane a commit made here just moved, for the delivery that follows (see `committed`). */
  private readonly committedTails = new RecentMemory<string>({ maxEntries: RECENTLY_WRITTEN, maxAgeMs: RECENTLY_WRITTEN_MS });
  /** Effects this replica settled (delivered or given up on): settled never changes, so a walk back stops there. */
  private readonly settledHere = new RecentMemory<true>({ maxEntries: SETTLED_REMEMBERED });

  constructor(
    private readonly client: Client,
    private readonly names: IndexNames,
    /** How old a staged effect must be before its operation is presumed dead (the store's pending lease). */
    private readonly orphanAfterMs: number,
  ) {}

  /** Step 3 of an operation: the effects, each chained after the current tail of its lane. Returns the new tails. */
  async stage(operation: { op: string; caseId: string; teamId: string }, tails: EffectTails, drafts: readonly EffectDraft[]): Promise<EffectTails> {
    const next: EffectTails = { effect_tail: tails.effect_tail ?? null, ...(tails.kibana_tail ? { kibana_tail: tails.kibana_tail } : {}) };
    if (drafts.length === 0) return next;
    const at = new Date().toISOString();
    const batch = new BulkBatch();
    for (const draft of drafts) {
      const effect = newEffect(draft, streamOfEffect(operation.caseId, draft.kind), operation.teamId, at);
      const lane = tailOf(operation.caseId, effect.stream);
      batch.add({ create: { _index: this.names.outbox, _id: effect.id } }, sourceOf(effect, operation.op, next[lane] ?? null));
      next[lane] = effect.id;
    }
    const items = await batch.run(this.client);
    const taken = items.flatMap((item) => (item.status === 409 && item._id ? [item._id] : []));
    // A 409 on an effect of this very operation: the client repeated a bulk request that had landed.
    const ours = taken.length ? await readDocuments<EffectSource>(this.client, this.names.outbox, taken) : new Map<string, null>();
    for (const item of items) if (ours.get(item._id!)?.source.op !== operation.op) throwUnlessExpected(item, []);
    items.forEach((item, position) => {
      if (item.status < 300) this.staged.remember(item._id!, { id: item._id!, source: batch.documentAt(position) as EffectSource, ...sequenceOf(item) });
    });
    return next;
  }

  /**
   * The operation that staged effects with these tails committed: the local dispatcher, woken for the case next,
   * starts from what was just written instead of reading the case and walking its chain (`pendingEffects`).
   */
  committed(caseId: string, before: EffectTails, after: EffectTails): void {
    for (const lane of ['effect_tail', 'kibana_tail'] as const) {
      const tail = after[lane];
      if (tail && tail !== before[lane]) this.committedTails.remember(lane === 'effect_tail' ? caseId : streamOfEffect(caseId, 'kibana_push'), tail);
    }
  }

  /** An operation that did not commit: its effects go (quietly: one left behind is an orphan, cleared later). */
  async unstage(drafts: readonly EffectDraft[]): Promise<void> {
    if (drafts.length === 0) return;
    const batch = new BulkBatch();
    for (const draft of drafts) batch.add({ delete: { _index: this.names.outbox, _id: draft.id } });
    await batch.run(this.client).catch(() => undefined);
  }

  async recordAlone(teamId: string, draft: EffectDraft): Promise<Effect | null> {
    const effect = newEffect(draft, streamOfOne(draft.id), teamId, new Date().toISOString());
    // The operation names this call, so that a 409 can tell an effect recorded before from this call's own create,
    // repeated by the client after its answer was lost (as stage() does for a bulk).
    const op = randomUUID();
    try {
      await this.client.create({ index: this.names.outbox, id: effect.id, document: sourceOf(effect, op, null) });
    } catch (error) {
      if (!isConflict(error)) throw error;
      const stored = await readDocument<EffectSource>(this.client, this.names.outbox, effect.id);
      return stored?.source.op === op ? effect : null;
    }
    return effect;
  }

  async dueStreams(now: Date, limit: number): Promise<string[]> {
    const response = await this.client.search<unknown, { streams: estypes.AggregationsStringTermsAggregate }>({
      index: this.names.outbox,
      size: 0,
      query: { bool: { filter: [{ term: { state: 'due' } }, { range: { not_before: { lte: now.toISOString() } } }] } },
      aggs: { streams: { terms: { field: 'stream', size: limit, order: { oldest: 'asc' } }, aggs: { oldest: { min: { field: 'created_at' } } } } },
    });
    const streams = (response.aggregations?.streams.buckets as estypes.AggregationsStringTermsBucket[] | undefined)?.map((bucket) => String(bucket.key)) ?? [];
    if (streams.length === 0) return [];
    const leases = await this.client.mget<LeaseSource>({ index: this.names.outboxLeases, ids: streams });
    const held = new Set(leases.docs.flatMap((doc) => ('found' in doc && doc.found && doc._source && Date.parse(doc._source.expires_at) > now.getTime() ? [doc._id] : [])));
    return streams.filter((stream) => !held.has(stream));
  }

  async acquireLease(stream: string, owner: string, now: Date, ttlMs: number): Promise<Lease | null> {
    const document: LeaseSource = { owner, expires_at: new Date(now.getTime() + ttlMs).toISOString() };
    try {
      // A released lease is deleted, so the usual case is no document: create first, read only when one is there.
      const written = await this.client.create({ index: this.names.outboxLeases, id: stream, document }).catch(async (error: unknown) => {
        if (!isConflict(error)) throw error;
        const current = await readDocument<LeaseSource>(this.client, this.names.outboxLeases, stream);
        if (!current) throw error; // released in between: lost this round, the stream is due again at the next poll
        if (current.source.owner !== owner && Date.parse(current.source.expires_at) > now.getTime()) return null;
        return this.client.index({ index: this.names.outboxLeases, id: stream, document, if_seq_no: current.seqNo, if_primary_term: current.primaryTerm });
      });
      if (!written) return null;
      const token = tokenOf(sequenceOf(written));
      this.tokens.set(stream, token);
      return { stream, owner, expiresAt: document.expires_at, ttlMs, token };
    } catch (error) {
      if (isConflict(error)) return null; // another replica took it first
      throw error;
    }
  }

  async renewLease(lease: Lease, now: Date, ttlMs: number): Promise<Lease> {
    const document: LeaseSource = { owner: lease.owner, expires_at: new Date(now.getTime() + ttlMs).toISOString() };
    try {
      const written = await this.client.index({ index: this.names.outboxLeases, id: lease.stream, document, ...this.condition(lease) });
      const token = tokenOf(sequenceOf(written));
      this.tokens.set(lease.stream, token);
      return { ...lease, expiresAt: document.expires_at, token };
    } catch (error) {
      if (isConflict(error)) throw new LeaseLostError(lease.stream);
      throw error;
    }
  }

  async releaseLease(lease: Lease): Promise<void> {
    const condition = this.condition(lease);
    this.tokens.delete(lease.stream);
    await this.client.delete({ index: this.names.outboxLeases, id: lease.stream, ...condition }).catch((error: unknown) => {
      if (!isConflict(error) && (error as { statusCode?: number }).statusCode !== 404) throw error;
    });
  }

  async pendingEffects(lease: Lease, limit: number): Promise<Effect[]> {
    const sole = soleEffectOf(lease.stream);
    if (sole) return (await this.walk(sole)).map((found) => found.source.effect);
    // Just committed here: the effects as staged, and the chain before them only as far as it is not known settled.
    // The chain may have grown since (another replica's commit): that is read at the next round, which always reads.
    const justCommitted = this.committedTails.take(lease.stream);
    if (justCommitted) {
      const backlog = await this.walk(justCommitted, { fromMemory: true });
      if (backlog.length > 0) return backlog.slice(0, limit).map((found) => found.source.effect);
    }
    const head = await this.readCase(caseOfStream(lease.stream)!);
    const backlog = await this.walk(laneTail(head, lease.stream));
    if (backlog.length === 0 && head && this.orphanCheckDue(head.id)) await this.clearOrphans(head, new Set());
    return backlog.slice(0, limit).map((found) => found.source.effect);
  }

  async startAttempt(lease: Lease, effect: Effect, now: Date): Promise<Effect> {
    // Renewing proves the lease is still ours right before the attempt (conditional on its sequence number). A lease
    // this replica took or renewed a moment ago is that proof already: nobody can take it over until it expires.
    const provenAt = Date.parse(lease.expiresAt) - lease.ttlMs;
    if (now.getTime() - provenAt > LEASE_PROOF_MS) await this.renewLease(lease, now, lease.ttlMs);
    const attempted = attemptedEffect(effect, now);
    await this.write(attempted);
    return attempted;
  }

  async settle(_lease: Lease, effect: Effect, settlement: Settlement, now: Date): Promise<void> {
    // The mark first: a failed effect without one would never be found; a mark without one costs a search.
    if (settlement.state === 'failed') {
      const mark: GivenUpSource = { stream: effect.stream, team_id: effect.teamId, last_given_up_at: now.toISOString() };
      await this.client.index({ index: this.names.outboxGivenUp, id: effect.stream, document: mark });
    }
    await this.write(settledEffect(effect, settlement, now));
  }

  /**
   * None without the stream's mark (see the top of this file); with it, a search, so an effect given up on this very
   * moment may be missing until the next refresh: the give-up that edits the card names its own effect
   * (card-notes.ts). Only committed effects are ever delivered, so only they fail.
   */
  async failedEffects(stream: string, limit: number): Promise<Effect[]> {
    if (!(await readDocument<GivenUpSource>(this.client, this.names.outboxGivenUp, stream))) return [];
    const response = await this.client.search<EffectSource>({
      index: this.names.outbox,
      size: limit,
      query: { bool: { filter: [{ term: { stream } }, { term: { state: 'failed' } }] } },
      sort: [{ created_at: 'desc' }],
    });
    return response.hits.hits.flatMap((hit) => (hit._source ? [hit._source.effect] : []));
  }

  async listEffects(stream: string): Promise<Effect[]> {
    // Only committed effects (on the chain) count, and the chain is read in real time; a search would lag.
    const sole = soleEffectOf(stream);
    const tail = sole ?? laneTail(await this.readCase(caseOfStream(stream)!), stream);
    const chain = await this.walk(tail, { settledToo: true });
    return chain.map((found) => found.source.effect);
  }

  /**
   * Deletes up to PRUNE_BATCH settled effects per call (the dispatcher prunes every hour, so a larger backlog goes
   * over a few calls). Search and bulk delete rather than _delete_by_query, which lives in a module some clusters
   * lack. Conditional deletes: a settled effect never changes again, so a 409 only means another replica pruned it.
   */
  async pruneSettled(before: Date): Promise<number> {
    const response = await this.client.search({
      index: this.names.outbox,
      size: PRUNE_BATCH,
      _source: false,
      seq_no_primary_term: true,
      query: { bool: { filter: [{ terms: { state: ['done', 'failed'] } }, { range: { settled_at: { lt: before.toISOString() } } }] } },
    });
    const batch = new BulkBatch();
    for (const hit of response.hits.hits) batch.add({ delete: { _index: this.names.outbox, _id: hit._id!, if_seq_no: hit._seq_no!, if_primary_term: hit._primary_term! } });
    const items = await batch.run(this.client);
    for (const item of items) throwUnlessExpected(item, [404, 409]);
    await this.pruneGivenUpMarks(before);
    return items.filter((item) => item.result === 'deleted').length;
  }

  /**
   * The marks of streams whose last give-up is older than what is pruned: their failed effects go in this pruning.
   * Conditional deletes, so a mark written again meanwhile (a new give-up) stays.
   */
  private async pruneGivenUpMarks(before: Date): Promise<void> {
    const response = await this.client.search({
      index: this.names.outboxGivenUp,
      size: PRUNE_BATCH,
      _source: false,
      seq_no_primary_term: true,
      query: { range: { last_given_up_at: { lt: before.toISOString() } } },
    });
    const batch = new BulkBatch();
    for (const hit of response.hits.hits) batch.add({ delete: { _index: this.names.outboxGivenUp, _id: hit._id!, if_seq_no: hit._seq_no!, if_primary_term: hit._primary_term! } });
    for (const item of await batch.run(this.client)) throwUnlessExpected(item, [404, 409]);
  }

  /**
   * The chain from `tail` back to the first settled effect (or all of it with settledToo), oldest first. A pruned
   * effect ends the chain: everything before it was settled long ago.
   */
  private async walk(tail: string | null, options: { settledToo?: boolean; fromMemory?: boolean } = {}): Promise<Versioned<EffectSource>[]> {
    const chain: Versioned<EffectSource>[] = [];
    for (let id = tail; id && chain.length < MAX_WALK; ) {
      if (!options.settledToo && this.settledHere.has(id)) break; // settled for good: nothing before it is due
      const found = (options.fromMemory ? this.staged.take(id) : undefined) ?? (await readDocument<EffectSource>(this.client, this.names.outbox, id));
      if (!found || (found.source.state !== 'due' && !options.settledToo)) break;
      this.seen.set(found.id, { seqNo: found.seqNo, primaryTerm: found.primaryTerm, op: found.source.op, prev: found.source.prev });
      chain.push(found);
      id = found.source.prev;
    }
    return chain.reverse();
  }

  /**
   * Due effects of the stream that no commit reaches and that are older than the lease: their operation failed or
   * died. The case is fenced first (rewritten unchanged, which moves its sequence number), so a writer that is
   * merely slow cannot commit them afterwards; then they are deleted.
   */
  private async clearOrphans(head: CaseHead, onChain: Set<string>): Promise<void> {
    const staleBefore = new Date(Date.now() - this.orphanAfterMs).toISOString();
    const response = await this.client.search<EffectSource>({
      index: this.names.outbox,
      size: 100,
      _source: false,
      query: { bool: { filter: [{ terms: { stream: [head.id, streamOfEffect(head.id, 'kibana_push')] } }, { term: { state: 'due' } }, { range: { created_at: { lt: staleBefore } } }] } },
    });
    const orphans = response.hits.hits.map((hit) => hit._id!).filter((id) => !onChain.has(id));
    if (orphans.length === 0 || !(await fence(this.client, this.names.cases, head))) return;
    const batch = new BulkBatch();
    for (const id of orphans) batch.add({ delete: { _index: this.names.outbox, _id: id } });
    await batch.run(this.client);
  }

  private condition(lease: Lease): { if_seq_no: number; if_primary_term: number } {
    return conditionOf(this.tokens.get(lease.stream) ?? lease.token);
  }

  /**
   * Whether to look for orphans of this stream now: a run that ends with an empty backlog would otherwise search
   * every time, while nothing can turn into an orphan sooner than `orphanAfterMs` after it was staged.
   */
  private orphanCheckDue(stream: string): boolean {
    const now = Date.now();
    if (now - (this.orphansCheckedAt.get(stream) ?? 0) < this.orphanAfterMs) return false;
    if (this.orphansCheckedAt.size >= MAX_ORPHAN_CHECKS_REMEMBERED) this.orphansCheckedAt.clear();
    this.orphansCheckedAt.set(stream, now);
    return true;
  }

  private readCase(caseId: string): Promise<CaseHead | null> {
    return readDocument<CaseSource>(this.client, this.names.cases, caseId);
  }

  /** Writes the effect conditionally on the version this replica last saw; a conflict means another replica took over. */
  private async write(effect: Effect): Promise<void> {
    const seen = this.seen.get(effect.id);
    if (!seen) throw new LeaseLostError(effect.stream);
    try {
      const written = await this.client.index({
        index: this.names.outbox,
        id: effect.id,
        document: sourceOf(effect, seen.op, seen.prev),
        if_seq_no: seen.seqNo,
        if_primary_term: seen.primaryTerm,
      });
      if (effect.state === 'due') this.seen.set(effect.id, { ...seen, ...sequenceOf(written) });
      else {
        this.seen.delete(effect.id);
        this.settledHere.remember(effect.id, true);
      }
    } catch (error) {
      if (isConflict(error)) throw new LeaseLostError(effect.stream);
      throw error;
    }
  }
}

/** Which of the case document's tails heads the chain of this lane of the case. */
function tailOf(caseId: string, stream: string): keyof EffectTails {
  return stream === caseId ? 'effect_tail' : 'kibana_tail';
}

function laneTail(head: CaseHead | null, stream: string): string | null {
  return (head && committedCase(head)?.commit[tailOf(head.id, stream)]) ?? null;
}

function sourceOf(effect: Effect, op: string, prev: string | null): EffectSource {
  return {
    stream: effect.stream,
    team_id: effect.teamId,
    op,
    prev,
    state: effect.state,
    created_at: effect.createdAt,
    not_before: effect.notBefore,
    settled_at: effect.settledAt,
    effect,
  };
}

function tokenOf(sequence: { seqNo: number; primaryTerm: number }): string {
  return `${sequence.seqNo}:${sequence.primaryTerm}`;
}

function conditionOf(token: string): { if_seq_no: number; if_primary_term: number } {
  const [seqNo, primaryTerm] = token.split(':').map(Number);
  return { if_seq_no: seqNo!, if_primary_term: primaryTerm! };
}
