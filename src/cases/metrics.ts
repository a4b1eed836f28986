import { type Case, SEVERITIES, type Severity, type Status } from './model';

/**
 * Case metrics over a period, with Kibana's definitions where Kibana has one (the cases metrics API, 8.3+):
 * - the cases counted are those **created** in the period (Kibana filters its metrics on `created_at`);
 * - a case's `duration` is the seconds from creation to closing (recorded when it is closed, cleared on reopening),
 *   and **MTTR** is the mean `duration` of those cases that are closed: Kibana's `avg` over `duration`, which skips
 *   cases without one;
 * - status counts are those cases' statuses now.
 * Kibana has no time to acknowledge; caseops' **MTTA** is the mean time from creation to the first acknowledgement
 * (`acknowledgedAt`: a first assignee or a first move out of open) of those cases that have one recorded.
 * The per-day chart counts each case on the day it was opened and, separately, the day it was closed.
 */

export interface MeanTime {
  /** Mean seconds, null when no case has the time (nothing to average). */
  seconds: number | null;
  /** How many cases the mean is over. */
  cases: number;
}

export interface SeverityMetrics {
  opened: number;
  acknowledge: MeanTime;
  resolve: MeanTime;
}

export interface CaseMetrics {
  /** Cases created in the period. */
  opened: number;
  /** Cases closed in the period, whenever they were created. */
  closed: number;
  /** Of the cases created in the period, how many are in each status now. */
  status: Record<Status, number>;
  acknowledge: MeanTime;
  resolve: MeanTime;
  bySeverity: Record<Severity, SeverityMetrics>;
}

/** An opening or a closing, for the per-day chart. */
export interface CaseMoment {
  time: number;
  what: 'opened' | 'closed';
}

/** Accumulates the metrics of the cases it is shown, one at a time (an export-sized scan never sits in memory). */
export class MetricsTally {
  private readonly created: Case[] = [];
  private closedInPeriod = 0;
  readonly moments: CaseMoment[] = [];

  constructor(private readonly period: { fromMs: number; toMs: number }) {}

  add(theCase: Case): void {
    const createdMs = Date.parse(theCase.createdAt);
    const closedMs = theCase.closedAt ? Date.parse(theCase.closedAt) : Number.NaN;
    if (this.within(createdMs)) {
      this.created.push(theCase);
      this.moments.push({ time: createdMs, what: 'opened' });
    }
    if (this.within(closedMs)) {
      this.closedInPeriod += 1;
      this.moments.push({ time: closedMs, what: 'closed' });
    }
  }

  result(): CaseMetrics {
    const status: Record<Status, number> = { open: 0, 'in-progress': 0, closed: 0 };
    for (const theCase of this.created) status[theCase.status] += 1;
    const bySeverity = Object.fromEntries(
      SEVERITIES.map((severity) => {
        const cases = this.created.filter((theCase) => theCase.severity === severity);
        return [severity, { opened: cases.length, acknowledge: meanTime(cases, acknowledgeSeconds), resolve: meanTime(cases, (theCase) => theCase.duration) }];
      }),
    ) as Record<Severity, SeverityMetrics>;
    return {
      opened: this.created.length,
      closed: this.closedInPeriod,
      status,
      acknowledge: meanTime(this.created, acknowledgeSeconds),
      resolve: meanTime(this.created, (theCase) => theCase.duration),
      bySeverity,
    };
  }

  private within(ms: number): boolean {
    return ms >= this.period.fromMs && ms < this.period.toMs;
  }
}

function acknowledgeSeconds(theCase: Case): number | null {
  return theCase.acknowledgedAt ? Math.max(0, Math.round((Date.parse(theCase.acknowledgedAt) - Date.parse(theCase.createdAt)) / 1000)) : null;
}

function meanTime(cases: readonly Case[], secondsOf: (theCase: Case) => number | null): MeanTime {
  const values = cases.map(secondsOf).filter((value): value is number => value !== null);
  return { seconds: values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null, cases: values.length };
}
