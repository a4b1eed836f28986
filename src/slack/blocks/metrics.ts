import type { CaseMetrics, MeanTime } from '../../cases/metrics';
import { SEVERITIES } from '../../cases/model';
import { seriesLabel } from '../../charts/theme';

/** `45s`, `18m`, `5h 12m`, `2d 3h`: two units at most, enough to compare at a glance on a phone. */
export function formatSeconds(seconds: number): string {
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  const minutes = Math.round(whole / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours}h ${minutes % 60}m` : `${hours}h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days}d ${hours % 24}h` : `${days}d`;
}

function mean(time: MeanTime): string {
  return time.seconds === null ? '—' : `${formatSeconds(time.seconds)} (${time.cases} case${time.cases === 1 ? '' : 's'})`;
}

/**
 * The numbers in a few short lines (the file's comment, and the end of the chart's alt text): totals, statuses, the
 * mean times to acknowledge and to close, then one line per severity that had cases.
 */
export function metricsLines(metrics: CaseMetrics, period: string): string[] {
  const { status } = metrics;
  const lines = [
    `Case metrics, ${period}: ${metrics.opened} opened, ${metrics.closed} closed.`,
    `Of those opened: ${status.open} open, ${status['in-progress']} in progress, ${status.closed} closed.`,
    `Mean time to acknowledge ${mean(metrics.acknowledge)}; to close ${mean(metrics.resolve)}.`,
  ];
  for (const severity of [...SEVERITIES].reverse()) {
    const figures = metrics.bySeverity[severity];
    if (figures.opened === 0) continue;
    lines.push(`${seriesLabel(severity)}: ${figures.opened} opened, acknowledged in ${mean(figures.acknowledge)}, closed in ${mean(figures.resolve)}.`);
  }
  return lines;
}
