import { type Lease, LeaseLostError, type OutboxStore } from '../cases/outbox';
import type { Logger } from '../log';
import { Periodic } from '../scheduler/periodic';
import type { KibanaPull } from './pull';

/** The lease whose holder polls Kibana: one replica at a time, so a change is applied once. */
const PULL_STREAM = 'kibana-pull';
/** The holder keeps the lease for this many poll intervals: a replica that dies is replaced after that long. */
const LEASE_POLLS = 3;

/**
 * Polls Kibana every `everyMs` on the one replica that holds the pull's lease (an outbox stream lease, exclusive across
 * every replica on the store, as the dispatcher's are). The others try to take it at each tick and poll once it is
 * theirs. One poll at a time.
 */
export class KibanaPoller {
  private lease: Lease | null = null;
  private readonly polls: Periodic;

  constructor(
    private readonly pull: KibanaPull,
    private readonly leases: OutboxStore,
    private readonly replica: string,
    private readonly everyMs: number,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.polls = new Periodic(everyMs, () => this.pollIfHeld());
  }

  start(): void {
    this.polls.start();
  }

  async stop(): Promise<void> {
    await this.polls.stop();
    if (this.lease) await this.leases.releaseLease(this.lease).catch(() => undefined);
    this.lease = null;
  }

  private async pollIfHeld(): Promise<void> {
    const now = this.now();
    try {
      this.lease = await this.hold(now);
      if (!this.lease) return;
      const applied = await this.pull.poll(now);
      if (applied) this.logger.info({ applied }, 'changes made in Kibana applied');
    } catch (error) {
      this.logger.warn({ err: error }, 'polling Kibana for changes failed; it is tried again at the next poll');
    }
  }

  private async hold(now: Date): Promise<Lease | null> {
    const ttl = this.everyMs * LEASE_POLLS;
    if (this.lease) {
      try {
        return await this.leases.renewLease(this.lease, now, ttl);
      } catch (error) {
        if (!(error instanceof LeaseLostError)) throw error;
      }
    }
    return this.leases.acquireLease(PULL_STREAM, this.replica, now, ttl);
  }
}
