/**
 * A chart range's bucket grid (src/charts/buckets.ts) as an Elasticsearch aggregation over `@timestamp`, so the
 * cluster counts into exactly the bars the chart draws.
 *
 * The grid: minute and hour buckets are equal steps from `range.from`; day and week buckets step by calendar days
 * in the range's zone from `range.from`'s local time. A `date_histogram` reproduces it:
 * - minute/hour: `fixed_interval` in UTC with an `offset` putting a boundary on `range.from`. UTC, not the
 *   range's zone: Elasticsearch rounds fixed intervals on the local clock, so across a DST change a `2h` bucket
 *   in Europe/Paris runs 00:00–03:00 (measured on 8.19), while the chart's steps are equal instants. The zone
 *   only labels the bars, which the chart does itself.
 * - day/week of one unit, starting at local midnight (a Monday for weeks), as every relative range does:
 *   `calendar_interval` in the range's zone, which follows DST the way the chart does.
 * Anything else — `2d`, or an absolute range starting mid-day — has no histogram equivalent (Elasticsearch adds
 * `offset` in fixed milliseconds after rounding, so a `+6h` offset lands on 07:00 local on a spring-forward day),
 * and is asked as a `date_range` over the chart's own bucket starts: exact by construction, at most MAX_BUCKETS
 * ranges.
 */
import type { estypes } from '@elastic/elasticsearch';

import { bucketStarts } from '../charts/buckets';
import { durationMs, formatDuration, isCalendarUnit } from '../charts/duration';
import { type ChartRange, MAX_BUCKETS, rangeBounds } from '../charts/range';
import { isoWeekdayIndex, startOfLocalDay, toLocalMs } from '../cases/zoned-time';

import { ChartQueryError } from './errors';

export const TIME_FIELD = '@timestamp';

/** One bucket as Elasticsearch answered it: where it starts (epoch ms) and how many documents it holds. */
export interface CountedBucket {
  readonly start: number;
  readonly count: number;
}

/** The aggregation that counts documents into the range's buckets. Refuses a grid of more than MAX_BUCKETS. */
export function timeGridAggregation(range: ChartRange): estypes.AggregationsAggregationContainer {
  const { fromMs, toMs } = rangeBounds(range);
  // Arithmetic first: a stored spec asking for a million bars must not cost a million steps to refuse.
  const approximateBars = Math.ceil((toMs - fromMs) / durationMs(range.bucket));
  if (approximateBars > MAX_BUCKETS) {
    throw new ChartQueryError(
      'too-many-buckets',
      `\`by ${formatDuration(range.bucket)}\` would draw ${approximateBars.toLocaleString('en-US')} bars; use a larger bucket (at most ${MAX_BUCKETS} bars).`,
    );
  }
  const histogram = histogramFor(range, fromMs, toMs);
  if (histogram) return { date_histogram: histogram };
  const starts = bucketStarts(range);
  return { date_range: { field: TIME_FIELD, ranges: starts.map((start, index) => ({ from: start, to: starts[index + 1] ?? toMs })) } };
}

/** The buckets of a timeGridAggregation's answer, whichever form it took. */
export function countedBuckets(aggregate: estypes.AggregationsAggregate | undefined): CountedBucket[] {
  const buckets = (aggregate as { buckets?: unknown } | undefined)?.buckets;
  if (!Array.isArray(buckets)) return [];
  return buckets.map((bucket: { key?: unknown; from?: unknown; doc_count: number }) => ({
    start: typeof bucket.from === 'number' ? bucket.from : Number(bucket.key),
    count: bucket.doc_count,
  }));
}

function histogramFor(range: ChartRange, fromMs: number, toMs: number): estypes.AggregationsDateHistogramAggregation | undefined {
  // min_doc_count 0 and extended_bounds: every bar of the range is answered, empty ones too.
  const bounds = { field: TIME_FIELD, min_doc_count: 0, extended_bounds: { min: fromMs, max: toMs - 1 } };
  const { bucket, timeZone } = range;
  if (!isCalendarUnit(bucket.unit)) {
    const size = durationMs(bucket);
    return { ...bounds, fixed_interval: formatDuration(bucket), time_zone: 'UTC', offset: `${((fromMs % size) + size) % size}ms` };
  }
  const local = toLocalMs(fromMs, timeZone);
  const onBoundary = startOfLocalDay(local) === local && (bucket.unit === 'd' || isoWeekdayIndex(local) === 0);
  if (bucket.count !== 1 || !onBoundary) return undefined;
  return { ...bounds, calendar_interval: bucket.unit === 'd' ? 'day' : 'week', time_zone: timeZone };
}
