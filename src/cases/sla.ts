import type { Case, Severity, SlaLevel, SlaMark, SlaTarget } from './model';

/**
 * Service-level targets by severity: how long a case may wait to be acknowledged (a first assignee, or a move to
 * in-progress) and to be closed. Before a target is breached its people are warned; when it is, the case gets a
 * breach mark. Each of these thresholds is crossed at most once per case: the case records the marks it has.
 */

export type { SlaLevel, SlaMark, SlaTarget };

export interface SlaPolicy {
  targets: Record<Severity, Record<SlaTarget, number>>;
  /** The warning comes when this share of the time allowed has passed (0.8: at 12 minutes of 15). */
  warnAt: number;
}

/** Every target, in the order a case meets them. */
export const SLA_TARGETS: readonly SlaTarget[] = ['acknowledge', 'resolve'];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  targets: {
    critical: { acknowledge: 15 * MINUTE, resolve: 4 * HOUR },
    high: { acknowledge: HOUR, resolve: 24 * HOUR },
    medium: { acknowledge: 4 * HOUR, resolve: 72 * HOUR },
    low: { acknowledge: 24 * HOUR, resolve: 7 * 24 * HOUR },
  },
  warnAt: 0.8,
};

/**
 * The policy from settings: the targets set for some severities (milliseconds), the defaults for the others, and
 * the warning's share as a percentage.
 */
export function slaPolicy(targets: Partial<Record<Severity, Record<SlaTarget, number>>>, warnAtPercent: number): SlaPolicy {
  return { targets: { ...DEFAULT_SLA_POLICY.targets, ...targets }, warnAt: warnAtPercent / 100 };
}

/** A threshold newly crossed: recorded on the case; `notify` false for a warning whose breach has come too (no late warning). */
export interface SlaCrossing {
  mark: SlaMark;
  target: SlaTarget;
  level: SlaLevel;
  /** When the target is (or was) breached. */
  dueAt: string;
  notify: boolean;
}

/** Whether the case has ever been acknowledged: a first assignee or a first move out of open, undone or not. */
export function isAcknowledged(theCase: Pick<Case, 'acknowledgedAt' | 'assignees' | 'status'>): boolean {
  return theCase.acknowledgedAt !== undefined || theCase.assignees.length > 0 || theCase.status !== 'open';
}

/** The case with the time of its first acknowledgement, if this state is it: recorded once, kept afterwards. */
export function withAcknowledgement<C extends Pick<Case, 'acknowledgedAt' | 'assignees' | 'status'>>(theCase: C, at: string): C {
  return theCase.acknowledgedAt === undefined && isAcknowledged(theCase) ? { ...theCase, acknowledgedAt: at } : theCase;
}

/** Whether the target's clock still runs: acknowledging stops one, closing stops both. */
export function slaRunning(theCase: Case, target: SlaTarget): boolean {
  if (theCase.status === 'closed') return false;
  return target === 'resolve' || !isAcknowledged(theCase);
}

/** When the target is breached for this case. */
export function slaDueAt(theCase: Case, target: SlaTarget, policy: SlaPolicy): Date {
  return new Date(Date.parse(theCase.createdAt) + policy.targets[theCase.severity][target]);
}

/** The thresholds the case has crossed at `now` and not yet recorded, warnings before breaches. */
export function slaCrossings(theCase: Case, policy: SlaPolicy, now: Date): SlaCrossing[] {
  const recorded = new Set(theCase.slaMarks ?? []);
  const crossings: SlaCrossing[] = [];
  for (const target of SLA_TARGETS) {
    if (!slaRunning(theCase, target)) continue;
    const allowed = policy.targets[theCase.severity][target];
    const dueAt = slaDueAt(theCase, target, policy);
    const breached = now.getTime() >= dueAt.getTime();
    const warned = now.getTime() >= Date.parse(theCase.createdAt) + allowed * policy.warnAt;
    if (warned && !recorded.has(`${target}:warning`)) crossings.push({ mark: `${target}:warning`, target, level: 'warning', dueAt: dueAt.toISOString(), notify: !breached });
    if (breached && !recorded.has(`${target}:breach`)) crossings.push({ mark: `${target}:breach`, target, level: 'breach', dueAt: dueAt.toISOString(), notify: true });
  }
  return crossings;
}

/** The tag a breached case carries (on the card, in Kibana, in the user actions). */
export function breachTag(target: SlaTarget): string {
  return `sla-breached:${target}`;
}
