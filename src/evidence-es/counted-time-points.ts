/**
 * The adapter from Elasticsearch's pre-counted buckets to the chart pipeline's seam, which takes one TimePoint per
 * thing counted (src/charts/pipeline.ts ChartDataSource.timePoints). Each bucket becomes `count` points at its
 * start, produced lazily, so memory stays constant however large the counts; the pipeline's countByBucket puts
 * them back into the same bars, since every bucket start is a bar start of the range (see time-grid.ts).
 */
import type { TimePoint } from '../charts/buckets';

import type { CountedSeries } from './counts-over-time';

export function* countedTimePoints(series: readonly CountedSeries[]): Generator<TimePoint> {
  for (const { key, buckets } of series) {
    for (const { start, count } of buckets) {
      const point: TimePoint = { time: start, series: key };
      for (let n = 0; n < count; n += 1) yield point;
    }
  }
}
