import type { Case, Severity } from './model';

/**
 * Stale-case nudges: an open case nobody has touched for a while (per severity) gets one nudge in its thread, with
 * one-tap answers. "Touched" is any change a person makes (the case's `updatedAt`); the nudge itself is not one, so
 * a case still untouched a whole period after its nudge gets the next one, and never more than one per period.
 */

/** How long a case may go untouched before its nudge (milliseconds), per severity. */
export type NudgePolicy = Record<Severity, number>;

const HOUR = 3_600_000;

export const DEFAULT_NUDGE_POLICY: NudgePolicy = { critical: 2 * HOUR, high: 8 * HOUR, medium: 24 * HOUR, low: 72 * HOUR };

/** The policy from settings: the periods set for some severities, the defaults for the others. */
export function nudgePolicy(periods: Partial<NudgePolicy>): NudgePolicy {
  return { ...DEFAULT_NUDGE_POLICY, ...periods };
}

/** When a person last touched the case: its last change, or its opening. */
export function lastTouched(theCase: Pick<Case, 'updatedAt' | 'createdAt'>): number {
  return Date.parse(theCase.updatedAt ?? theCase.createdAt);
}

/** Whether the case is due a nudge at `now`: still open, and neither touched nor nudged for its severity's period. */
export function nudgeDue(theCase: Pick<Case, 'status' | 'severity' | 'createdAt' | 'updatedAt' | 'nudgedAt'>, policy: NudgePolicy, now: Date): boolean {
  if (theCase.status === 'closed') return false;
  const since = Math.max(lastTouched(theCase), theCase.nudgedAt ? Date.parse(theCase.nudgedAt) : 0);
  return now.getTime() - since >= policy[theCase.severity];
}
