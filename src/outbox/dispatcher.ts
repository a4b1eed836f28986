import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { type Effect, type EffectKind, type Lease, LeaseLostError, type OutboxSignal, type OutboxStore, type Settlement, settledEffect } from '../cases/outbox';
import type { Logger } from '../log';
import { retryDelayMs } from './backoff';

/**
 * Delivers one kind of effect. Throwing means "not delivered": the failure policy decides whether to retry.
 * `Read`: what the handler reads before it acts (see `read`).
 */
export interface EffectHandler<Read = undefined> {
  /**
   * Reads what delivering the effect needs (the case, say), beside the attempt being recorded rather than after
   * it: one round trip fewer before the work is done. Must not act, since the attempt is not recorded yet. A failure
   * is the delivery's. `following`: as for deliver.
   */
  read?(effect: Effect, following: readonly Effect[]): Promise<Read>;
  /**
   * `retrying`: an earlier attempt may have done the work (it died, or lost Slack's answer), so look for it
   * before doing it again. `following`: the stream's effects after this one (to coalesce a burst). `read`: what
   * `read` gave, if the handler has one.
   */
  deliver(effect: Effect, context: { retrying: boolean; following: readonly Effect[]; read?: Read }): Promise<void>;
  /** The effect is given up on: tell the people concerned. Best effort. */
  giveUp?(effect: Effect, reason: string): Promise<void>;
  /**
   * After an attempt is settled (`effect` as stored now: delivered, due again for a retry, or given up on), for a
   * handler that shows the state of its lane somewhere. Best effort.
   */
  afterSettle?(effect: Effect, following: readonly Effect[]): Promise<void>;
  /** How long after it was recorded an effect of this kind is given up on; by default the dispatcher's `giveUpAfterMs`. */
  patienceMs?: number;
}

// Each handler reads its own kind of thing; the dispatcher only hands it from read to deliver.
export type EffectHandlers = Record<EffectKind, EffectHandler<unknown>>;

/** A write under way that a run waits for with the stream's lease: `end(true)` when it committed. */
interface Expectation {
  arrival: Promise<boolean>;
  end(committed: boolean): void;
}

/**
 * What a delivery failure means: try again (no sooner than `afterMs`; `uncertain` when the failed call may have
 * done its work, an answer lost on the way back), or never (the reason is recorded).
 */
export type FailureVerdict = { retry: true; afterMs?: number; uncertain?: boolean; reason: string } | { retry: false; reason: string };

export interface DispatcherOptions {
  store: OutboxStore;
  logger: Logger;
  classify(error: unknown): FailureVerdict;
  /** This replica's name on leases. Default: host, pid and a random suffix. */
  owner?: string;
  /** How often every stream is checked for due effects (those of other replicas, retries, a restart). */
  pollMs?: number;
  leaseMs?: number;
  /** Streams delivered at once. */
  concurrency?: number;
  /** An effect not delivered this long after it was recorded is given up on. */
  giveUpAfterMs?: number;
  /** Settled effects are deleted after this long. */
  retainMs?: number;
  now?: () => Date;
}

const DEFAULTS = { pollMs: 1_000, leaseMs: 30_000, concurrency: 8, giveUpAfterMs: 30 * 60_000, retainMs: 7 * 24 * 3_600_000 };
/** Effects read per round under one lease. */
const BATCH = 50;
/** The lease is renewed when less than this share of it is left. */
const RENEW_BELOW = 0.5;
const PRUNE_EVERY_MS = 3_600_000;
/**
 * How long a run started for a write under way (`expect`) holds its lease waiting for the write to end; past that it
 * goes on as a run woken by `due` would.
 */
const EXPECTED_WITHIN_MS = 5_000;
/** How many settled effects are remembered for listeners that start waiting after the fact. */
const SETTLED_REMEMBERED = 1_000;

/**
 * Delivers the outbox. Every replica runs one: it wakes at once for effects its own writes recorded (`due`) and
 * polls for the rest. A stream (a case) is delivered by whichever replica holds its lease, one effect after
 * another in recorded order; different streams run concurrently up to `concurrency`. A failed effect blocks the
 * effects after it (order is kept) until it is delivered or given up on at its deadline.
 */
export class Dispatcher implements OutboxSignal {
  private readonly options: Required<Omit<DispatcherOptions, 'store' | 'logger' | 'classify'>> & DispatcherOptions;
  private handlers: EffectHandlers | null = null;
  private readonly queued = new Set<string>();
  private readonly running = new Map<string, Promise<void>>();
  /** Streams a write under way will make due: their run takes the lease at once and waits for the write (`expect`). */
  private readonly expected = new Map<string, Expectation>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Who waits for an effect to settle, and how the last effects settled (one may settle before anyone waits). */
  private readonly settleWaiters = new Map<string, Set<(id: string, delivered: boolean) => void>>();
  private readonly settledRecently = new Map<string, boolean>();
  private poller: NodeJS.Timeout | null = null;
  private lastPrune = 0;
  private stopped = false;

  constructor(options: DispatcherOptions) {
    this.options = { ...DEFAULTS, owner: `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, now: () => new Date(), ...options };
  }

  get owner(): string {
    return this.options.owner;
  }

  /** Starts delivering with these handlers, beginning with whatever a previous process left due. */
  start(handlers: EffectHandlers): void {
    this.handlers = handlers;
    this.stopped = false;
    this.poller = setInterval(() => void this.poll(), this.options.pollMs);
    this.poller.unref();
    void this.poll();
  }

  /** Stops taking new work and waits for the streams being delivered. Leases of unfinished streams simply expire. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poller) clearInterval(this.poller);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.queued.clear();
    for (const stream of [...this.expected.keys()]) this.cancelExpected(stream);
    await Promise.allSettled([...this.running.values()]);
  }

  due(stream: string): void {
    if (this.stopped || !this.handlers) return;
    if (this.arrive(stream, true)) return; // the run that took the lease for this write delivers it
    this.queued.add(stream);
    this.pump();
  }

  /**
   * Takes the stream's lease beside the write that will make it due, so the delivery starts as the write commits
   * rather than one round trip after. Not when the stream is already being delivered or queued: that run's `due`
   * follows the usual way.
   */
  expect(stream: string): void {
    if (this.stopped || !this.handlers || this.expected.has(stream) || this.running.has(stream) || this.queued.has(stream)) return;
    let resolve!: (committed: boolean) => void;
    const arrival = new Promise<boolean>((settle) => (resolve = settle));
    const timer = setTimeout(() => this.arrive(stream, true), EXPECTED_WITHIN_MS);
    timer.unref();
    this.expected.set(stream, {
      arrival,
      end: (committed) => {
        clearTimeout(timer);
        resolve(committed);
      },
    });
    this.queued.add(stream);
    this.pump();
  }

  cancelExpected(stream: string): void {
    this.arrive(stream, false);
  }

  /**
   * Resolves true once these effects are delivered, false when one is given up on or `timeoutMs` passes first
   * (waiting for a retry, or delivered by another replica): lets a listener tell the person who acted that the
   * card is not up to date yet, rather than leave them wondering.
   */
  whenSettled(effectIds: readonly string[], timeoutMs: number): Promise<boolean> {
    const pending = effectIds.filter((id) => this.settledRecently.get(id) !== true);
    if (pending.some((id) => this.settledRecently.get(id) === false)) return Promise.resolve(false);
    if (pending.length === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiting = new Set(pending);
      const finish = (delivered: boolean) => {
        clearTimeout(timer);
        for (const id of pending) this.settleWaiters.get(id)?.delete(onSettled);
        resolve(delivered);
      };
      const onSettled = (id: string, delivered: boolean) => {
        if (!delivered) return finish(false);
        waiting.delete(id);
        if (waiting.size === 0) finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      for (const id of pending) {
        const waiters = this.settleWaiters.get(id) ?? new Set();
        waiters.add(onSettled);
        this.settleWaiters.set(id, waiters);
      }
    });
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    const now = this.options.now();
    try {
      const streams = await this.options.store.dueStreams(now, this.options.concurrency * 4);
      for (const stream of streams) this.due(stream);
      if (now.getTime() - this.lastPrune > PRUNE_EVERY_MS) {
        this.lastPrune = now.getTime();
        await this.options.store.pruneSettled(new Date(now.getTime() - this.options.retainMs));
      }
    } catch (error) {
      this.options.logger.warn({ err: error }, 'the outbox could not be polled; it is tried again shortly');
    }
  }

  private pump(): void {
    for (const stream of this.queued) {
      if (this.running.size >= this.options.concurrency) return;
      if (this.running.has(stream)) continue; // queued again: run once more after the current run
      this.queued.delete(stream);
      const expectation = this.expected.get(stream);
      const run = this.deliverStream(stream, expectation?.arrival)
        .catch((error: unknown) => {
          this.options.logger.warn({ err: error, stream }, 'outbox delivery interrupted; it resumes at the next poll');
        })
        .then(() => {
          this.running.delete(stream);
          // A run that did not get the lease never waited: the write's `due` must queue a run of its own.
          if (expectation && this.expected.get(stream) === expectation) this.arrive(stream, false);
          this.pump();
        });
      this.running.set(stream, run);
    }
  }

  private settled(effectId: string, delivered: boolean): void {
    this.settledRecently.set(effectId, delivered);
    for (const old of this.settledRecently.keys()) {
      if (this.settledRecently.size <= SETTLED_REMEMBERED) break;
      this.settledRecently.delete(old);
    }
    for (const waiter of [...(this.settleWaiters.get(effectId) ?? [])]) waiter(effectId, delivered);
    this.settleWaiters.delete(effectId);
  }

  /**
   * Delivers the stream's due effects in order, until none is left or one must wait for a retry. `arrival`: the run
   * was started for a write under way (`expect`), and waits for it with the lease once taken; false: it did not commit.
   */
  private async deliverStream(stream: string, arrival?: Promise<boolean>): Promise<void> {
    const { store, leaseMs } = this.options;
    let lease = await store.acquireLease(stream, this.owner, this.options.now(), leaseMs);
    if (!lease) return; // another replica delivers it
    try {
      if (arrival && !(await arrival)) return;
      for (;;) {
        const effects = await store.pendingEffects(lease, BATCH);
        if (effects.length === 0 || this.stopped) return;
        for (const [index, effect] of effects.entries()) {
          lease = await this.keep(lease);
          // Order: nothing after an effect that must be tried again goes before it.
          if ((await this.deliverOne(lease, effect, effects.slice(index + 1))) === 'later') return;
        }
      }
    } catch (error) {
      if (error instanceof LeaseLostError) return;
      throw error;
    } finally {
      await store.releaseLease(lease).catch(() => undefined);
    }
  }

  /** Delivers one effect, or gives up on it ('settled'); 'later' when it must be tried again (and the stream waits for it). */
  private async deliverOne(lease: Lease, effect: Effect, following: readonly Effect[]): Promise<'settled' | 'later'> {
    const { store, logger } = this.options;
    const now = this.options.now();
    if (Date.parse(effect.notBefore) > now.getTime()) {
      this.wakeAt(effect.stream, Date.parse(effect.notBefore) - now.getTime());
      return 'later';
    }
    const handler = this.handlers![effect.kind];
    const reading = handler.read?.(effect, following);
    reading?.catch(() => undefined); // awaited in the delivery below; the attempt may fail first
    const attempt = await store.startAttempt(lease, effect, now);
    const settle = async (settlement: Settlement, at: Date) => {
      await store.settle(lease, attempt, settlement, at);
      await handler.afterSettle?.(settledEffect(attempt, settlement, at), following).catch((error: unknown) => logger.warn({ err: error, effectId: effect.id }, 'could not show how an effect settled'));
    };
    try {
      await this.holding(lease, async () => handler.deliver(attempt, { retrying: effect.uncertain, following, read: await reading }));
      await settle({ state: 'done' }, this.options.now());
      this.settled(effect.id, true);
      return 'settled';
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      const verdict = this.options.classify(error);
      const at = this.options.now();
      const deadline = Date.parse(effect.createdAt) + (handler.patienceMs ?? this.options.giveUpAfterMs);
      const retryAt = at.getTime() + Math.max(retryDelayMs(attempt.attempts), verdict.retry ? (verdict.afterMs ?? 0) : 0);
      if (verdict.retry && retryAt < deadline) {
        logger.info({ effectId: effect.id, kind: effect.kind, stream: effect.stream, attempts: attempt.attempts, reason: verdict.reason }, 'effect not delivered yet; retrying');
        await settle({ state: 'due', retryAt: new Date(retryAt), error: verdict.reason, uncertain: verdict.uncertain ?? false }, at);
        this.wakeAt(effect.stream, retryAt - at.getTime());
        return 'later';
      }
      logger.error({ effectId: effect.id, kind: effect.kind, stream: effect.stream, attempts: attempt.attempts, reason: verdict.reason }, 'effect given up on');
      await settle({ state: 'failed', note: verdict.reason }, at);
      this.settled(effect.id, false);
      await handler.giveUp?.(attempt, verdict.reason).catch((giveUpError: unknown) => logger.warn({ err: giveUpError, effectId: effect.id }, 'could not tell anyone about an effect given up on'));
      return 'settled';
    }
  }

  /**
   * Runs one delivery while renewing the stream's lease, so a delivery longer than the lease (an export of a whole
   * workspace) is not taken over halfway by another replica. A renewal that finds the lease lost stops renewing: the
   * settle after the delivery then fails, and the replica that took over starts from what this attempt recorded.
   */
  private async holding(lease: Lease, deliver: () => Promise<void>): Promise<void> {
    const { store, leaseMs, logger } = this.options;
    let renewing: Promise<unknown> = Promise.resolve();
    let current = lease;
    const timer = setInterval(() => {
      renewing = store.renewLease(current, this.options.now(), leaseMs).then(
        (renewed) => {
          current = renewed;
        },
        (error: unknown) => {
          clearInterval(timer);
          logger.warn({ err: error, stream: lease.stream }, 'the outbox lease could not be renewed during a delivery');
        },
      );
    }, leaseMs * RENEW_BELOW);
    try {
      await deliver();
    } finally {
      clearInterval(timer);
      // The settle that follows writes under the lease too: never alongside a renewal.
      await renewing;
    }
  }

  /** Renews the lease when it runs low, so a long backlog is not taken over halfway by another replica. */
  private async keep(lease: Lease): Promise<Lease> {
    const now = this.options.now();
    const left = Date.parse(lease.expiresAt) - now.getTime();
    return left < this.options.leaseMs * RENEW_BELOW ? this.options.store.renewLease(lease, now, this.options.leaseMs) : lease;
  }

  /** Ends the wait of the run expecting the stream, if there is one (see `expect`). */
  private arrive(stream: string, committed: boolean): boolean {
    const expectation = this.expected.get(stream);
    if (!expectation) return false;
    this.expected.delete(stream);
    expectation.end(committed);
    return true;
  }

  private wakeAt(stream: string, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.due(stream);
    }, Math.max(0, delayMs));
    timer.unref();
    this.timers.add(timer);
  }
}
