import { type Case, SEVERITIES, type Severity, type Status } from './model';
import { inPeriod, type Period } from './period';

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

/** A running mean: the sum and the count, never the values. */
class Mean {
  private sum = 0;
  private count = 0;

  add(seconds: number | null): void {
    if (seconds === null) return;
    this.sum += seconds;
    this.count += 1;
  }

  result(): MeanTime {
    return { seconds: this.count ? this.sum / this.count : null, cases: this.count };
  }
}

/**
 * Accumulates the metrics of the cases it is shown, one at a time: counters and running means, and the time of each
 * opening and closing in the period (the chart's points), never the cases themselves.
 */
export class MetricsTally {
  private opened = 0;
  private closed = 0;
  private readonly status: Record<Status, number> = { open: 0, 'in-progress': 0, closed: 0 };
  private readonly acknowledge = new Mean();
  private readonly resolve = new Mean();
  private readonly bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, { opened: 0, acknowledge: new Mean(), resolve: new Mean() }])) as Record<
    Severity,
    { opened: number; acknowledge: Mean; resolve: Mean }
  >;
  readonly moments: CaseMoment[] = [];

  constructor(private readonly period: Period) {}

  add(theCase: Case): void {
    if (inPeriod(this.period, theCase.createdAt)) {
      const acknowledged = acknowledgeSeconds(theCase);
      const severity = this.bySeverity[theCase.severity];
      this.opened += 1;
      severity.opened += 1;
      this.status[theCase.status] += 1;
      for (const mean of [this.acknowledge, severity.acknowledge]) mean.add(acknowledged);
      for (const mean of [this.resolve, severity.resolve]) mean.add(theCase.duration);
      this.moments.push({ time: Date.parse(theCase.createdAt), what: 'opened' });
    }
    if (inPeriod(this.period, theCase.closedAt)) {
      this.closed += 1;
      this.moments.push({ time: Date.parse(theCase.closedAt!), what: 'closed' });
    }
  }

  result(): CaseMetrics {
    const bySeverity = Object.fromEntries(
      SEVERITIES.map((severity) => {
        const figures = this.bySeverity[severity];
        return [severity, { opened: figures.opened, acknowledge: figures.acknowledge.result(), resolve: figures.resolve.result() }];
      }),
    ) as Record<Severity, SeverityMetrics>;
    return { opened: this.opened, closed: this.closed, status: { ...this.status }, acknowledge: this.acknowledge.result(), resolve: this.resolve.result(), bySeverity };
  }
}

function acknowledgeSeconds(theCase: Case): number | null {
  return theCase.acknowledgedAt ? Math.max(0, Math.round((Date.parse(theCase.acknowledgedAt) - Date.parse(theCase.createdAt)) / 1000)) : null;
}
