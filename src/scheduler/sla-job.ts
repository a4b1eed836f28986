import { periodicSlot, type ScheduledJob } from '../cases/schedule';
import type { SlaWatch } from '../cases/sla-watch';

/** SLA thresholds are checked every minute: a critical case's 15-minute target is warned about and marked on time. */
const EVERY_MS = 60_000;

/** The SLA check as a scheduled job: one replica checks every open case each minute (marks are once per case anyway). */
export function slaJob(watch: SlaWatch): ScheduledJob {
  return {
    name: 'sla',
    slotAt: (now) => periodicSlot('sla', EVERY_MS, now),
    run: async (_slot, now) => {
      await watch.check(now);
    },
  };
}
