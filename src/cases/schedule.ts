/**
 * Work that runs on time rather than on request (SLA checks, digests). Every run of a job has a **slot**: the job's
 * name and its period (`sla:2026-12-04T16:05Z`, `digest:C123:2026-12-04`). Replicas that share a store run each slot
 * once between them: the first to claim it in the store runs it, the others find it taken.
 */
export interface Slot {
  /** Job name and period: the same slot on every replica. */
  id: string;
  /** When the period began: the slot is due from then on. */
  startsAt: Date;
  /** When the next period begins: the slot is never due again after this. */
  endsAt: Date;
}

export interface ScheduledJob {
  name: string;
  /** The latest slot due at `now` (the current period): a replica that was down runs only this one, once. */
  slotAt(now: Date): Slot;
  /** Does the slot's work. Throwing leaves the slot unclaimed, so it is tried again at the next tick. */
  run(slot: Slot, now: Date): Promise<void>;
}

/** The slot of a job that runs every `periodMs`, periods aligned on the epoch (so every replica agrees). */
export function periodicSlot(name: string, periodMs: number, now: Date): Slot {
  const start = Math.floor(now.getTime() / periodMs) * periodMs;
  return { id: `${name}:${new Date(start).toISOString()}`, startsAt: new Date(start), endsAt: new Date(start + periodMs) };
}
