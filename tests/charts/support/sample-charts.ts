/**
 * Realistic, deterministic chart inputs shared by the chart tests, the chart bench and the images
 * in docs/: a busy case over 48 hourly buckets, and open cases by severity.
 */
import type { TimePoint } from '../../../src/charts/buckets';
import type { ActivityChartSpec, SeverityChartSpec } from '../../../src/charts/pipeline';
import type { ChartRange } from '../../../src/charts/range';

export const SAMPLE_RANGE: ChartRange = {
  from: '2026-11-26T14:00:00.000Z',
  to: '2026-11-28T14:00:00.000Z',
  bucket: { count: 1, unit: 'h' },
  timeZone: 'UTC',
};

export const SAMPLE_ACTIVITY: ActivityChartSpec = { kind: 'activity', title: 'Case #42 activity', range: SAMPLE_RANGE };
export const SAMPLE_SEVERITY: SeverityChartSpec = { kind: 'severity', title: 'Open cases by severity', range: SAMPLE_RANGE };
export const SAMPLE_SEVERITY_COUNTS = { low: 7, medium: 12, high: 5, critical: 2 };

const SERIES = ['Slack message', 'alert', 'comment', 'indicator'];

/** `count` points over the sample range, busier towards its end, mostly Slack messages. */
export function sampleActivityPoints(count = 3000): TimePoint[] {
  const random = seededRandom(42);
  const from = Date.parse(SAMPLE_RANGE.from);
  const span = Date.parse(SAMPLE_RANGE.to) - from;
  return Array.from({ length: count }, () => ({
    time: from + Math.floor(Math.pow(random(), 0.6) * span),
    series: SERIES[Math.floor(Math.pow(random(), 1.7) * SERIES.length)] as string,
  }));
}

/** A linear congruential generator (Numerical Recipes constants), so every run draws the same chart. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}
