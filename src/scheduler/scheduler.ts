import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { OutboxStore } from '../cases/outbox';
import type { ScheduledJob } from '../cases/schedule';
import type { Logger } from '../log';
import { Periodic } from './periodic';
import { SlotClaims } from './slot-claims';

export interface SchedulerOptions {
  /** The store's outbox: its leases are the slots' claims, shared by every replica on the store. */
  store: OutboxStore;
  logger: Logger;
  jobs: readonly ScheduledJob[];
  /** How often each job's current slot is looked at. */
  tickMs?: number;
  /** How long a replica may run a slot before another one may take it over (it died, say). */
  claimMs?: number;
  /** This replica's name on claims. */
  replica?: string;
  now?: () => Date;
}

const DEFAULTS = { tickMs: 30_000, claimMs: 5 * 60_000 };

/**
 * Runs jobs on time, each slot once across the replicas that share a store. Every replica ticks; at each tick the
 * current slot of each job is claimed, run and marked finished by whichever replica claims it first. A slot whose
 * replica dies is taken over once its claim expires; a slot that passed while every replica was down runs at the
 * first tick after one comes back (only the latest: a job's slot covers everything due up to then).
 */
export class Scheduler {
  private readonly claims: SlotClaims;
  private readonly now: () => Date;
  private readonly ticks: Periodic;

  constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? (() => new Date());
    const replica = options.replica ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.claims = new SlotClaims(options.store, replica, options.claimMs ?? DEFAULTS.claimMs);
    this.ticks = new Periodic(options.tickMs ?? DEFAULTS.tickMs, () => this.runDue());
  }

  start(): void {
    this.ticks.start();
  }

  stop(): Promise<void> {
    return this.ticks.stop();
  }

  /** Runs the current slot of every job that no replica has run or is running. One tick at a time. */
  tick(): Promise<void> {
    return this.ticks.tick();
  }

  private async runDue(): Promise<void> {
    for (const job of this.options.jobs) {
      try {
        await this.runSlot(job);
      } catch (error) {
        this.options.logger.warn({ err: error, job: job.name }, 'a scheduled job failed; it is tried again at the next tick');
      }
    }
  }

  private async runSlot(job: ScheduledJob): Promise<void> {
    const now = this.now();
    const slot = job.slotAt(now);
    const claim = await this.claims.claim(slot, now);
    if (!claim) return; // finished, or another replica is on it
    try {
      await job.run(slot, now);
    } catch (error) {
      await this.claims.release(claim).catch(() => undefined);
      throw error;
    }
    await this.claims.finish(claim, slot, this.now());
  }
}
