import { randomUUID } from 'node:crypto';
import type { Lease, OutboxStore } from '../cases/outbox';
import type { Slot } from '../cases/schedule';

/** How long a finished slot stays claimed after its period ends: past then no replica asks for it again. */
const KEEP_AFTER_END_MS = 24 * 3_600_000;

/**
 * Claims on slots, made of the outbox's stream leases (exclusive across replicas, expiring, fenced by a token):
 * the stream `slot:<slot id>`. A claim lasts `claimMs` while the slot runs, so a replica that dies mid-slot leaves
 * it to the next one after that; a finished slot keeps its lease to the end of its period (and a day), so nobody
 * claims it again. Every claim gets an owner of its own, so the replica that finished a slot cannot take it
 * again either.
 */
export class SlotClaims {
  constructor(
    private readonly store: OutboxStore,
    private readonly replica: string,
    private readonly claimMs: number,
  ) {}

  /** The slot's claim, or null when it is finished or another replica is running it. */
  claim(slot: Slot, now: Date): Promise<Lease | null> {
    return this.store.acquireLease(streamOf(slot), `${this.replica}/${randomUUID()}`, now, this.claimMs);
  }

  /** Marks the slot finished. Fails (LeaseLostError) when the claim expired and another replica took the slot over. */
  async finish(claim: Lease, slot: Slot, now: Date): Promise<void> {
    await this.store.renewLease(claim, now, slot.endsAt.getTime() + KEEP_AFTER_END_MS - now.getTime());
  }

  /** Gives the slot back unfinished (its work failed): the next tick of any replica tries it again. */
  release(claim: Lease): Promise<void> {
    return this.store.releaseLease(claim);
  }
}

function streamOf(slot: Slot): string {
  return `slot:${slot.id}`;
}
