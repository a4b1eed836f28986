/**
 * The adapter from Elasticsearch's pre-counted buckets to the chart pipeline's seam (src/charts/pipeline.ts
 * ChartDataSource.timePoints): each non-empty bucket becomes one TimePoint at its start carrying its count, so
 * the work is per bucket however many documents were counted; the pipeline's countByBucket puts them back
 * into the same bars, since every bucket start is a bar start of the range (see time-grid.ts).
 */
import type { TimePoint } from '../charts/buckets';
import type { CountedSeries } from './counts-over-time';

export function* countedTimePoints(series: readonly CountedSeries[]): Generator<TimePoint> {
  for (const { key, buckets } of series) {
    for (const { start, count } of buckets) if (count > 0) yield { time: start, series: key, count };
  }
}
