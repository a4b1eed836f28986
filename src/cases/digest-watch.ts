import { deterministicId } from './ids';
import type { Actor } from './model';
import type { OutboxSignal } from './outbox';
import type { CaseStore } from './store';
import { formatLocalDateTime, fromLocalMs, toLocalMs } from './zoned-time';

/**
 * Daily digests on their channels' schedules. At each check, every channel whose local digest time has come today
 * (in the deployment's time zone) gets today's digest recorded in the outbox, under an id made of the channel and
 * the local day: the store records it once, so two replicas checking at once, or a replica checking again later
 * that day (one that was down at the time catches up), record one digest per channel and day. Days follow the
 * zone's calendar, so a change to or from summer time moves the instant, not the day count.
 */
export class DigestWatch {
  constructor(
    private readonly store: CaseStore,
    private readonly timeZone: string,
    /** Who the digests are recorded as: caseops' own bot user. */
    private readonly actor: Actor,
    private readonly outbox?: OutboxSignal,
  ) {}

  /**
   * Records the digests due at `now`: today's time has come, and the schedule was set before it (a digest asked for
   * at 10:00 for 08:00 starts tomorrow). Returns how many this call recorded.
   */
  async check(now: Date): Promise<number> {
    const day = formatLocalDateTime(toLocalMs(now.getTime(), this.timeZone)).slice(0, 10);
    let recorded = 0;
    for (const schedule of await this.store.digestSchedules.list(this.actor.teamId)) {
      // In a spring-forward gap the time falls just after it.
      const due = fromLocalMs(Date.parse(`${day}T${schedule.time}:00Z`), this.timeZone);
      if (now.getTime() < due || Date.parse(schedule.setAt) > due) continue;
      const id = deterministicId('digest', schedule.teamId, schedule.channelId, day);
      const digest = { channelId: schedule.channelId, day, at: new Date(due).toISOString() };
      const effect = await this.store.outbox.recordAlone(schedule.teamId, { id, kind: 'digest', payload: { actor: this.actor, digest } });
      if (!effect) continue; // today's is recorded already
      recorded += 1;
      this.outbox?.due(effect.stream);
    }
    return recorded;
  }
}
