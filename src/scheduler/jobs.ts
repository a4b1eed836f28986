import type { DigestWatch } from '../cases/digest-watch';
import type { NudgeWatch } from '../cases/nudge-watch';
import { periodicSlot, type ScheduledJob } from '../cases/schedule';
import type { SlaWatch } from '../cases/sla-watch';

/** A job that runs every `everyMs`, one replica per period; each run covers everything due up to its time. */
function periodicJob(name: string, everyMs: number, run: (now: Date) => Promise<unknown>): ScheduledJob {
  return {
    name,
    slotAt: (now) => periodicSlot(name, everyMs, now),
    run: async (_slot, now) => {
      await run(now);
    },
  };
}

/** A job's watch in each workspace caseops serves (one, or every installation in OAuth distribution). */
export type EachWorkspace<W> = () => Promise<W[]>;

async function checkEach(watches: EachWorkspace<{ check(now: Date): Promise<unknown> }>, now: Date): Promise<void> {
  for (const watch of await watches()) await watch.check(now);
}

/** SLA thresholds are checked every minute: a critical case's 15-minute target is warned about and marked on time. */
export function slaJob(watches: EachWorkspace<SlaWatch>): ScheduledJob {
  return periodicJob('sla', 60_000, (now) => checkEach(watches, now));
}

/** Untouched cases are looked for every five minutes: their periods are hours long, so a nudge is never much late. */
export function nudgeJob(watches: EachWorkspace<NudgeWatch>): ScheduledJob {
  return periodicJob('nudge', 5 * 60_000, (now) => checkEach(watches, now));
}

/** Digest schedules are looked at every minute: each channel's digest is recorded once a day, at its minute. */
export function digestJob(watches: EachWorkspace<DigestWatch>): ScheduledJob {
  return periodicJob('digest', 60_000, (now) => checkEach(watches, now));
}
