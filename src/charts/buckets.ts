/**
 * Counts of (time, series) points per bucket of a chart range, with bucket labels written in the
 * chart's time zone. One pass over the points; the bucket grid is at most MAX_BUCKETS long.
 */
import { calendarDays, durationMs, isCalendarUnit } from './duration';
import { type ChartRange, rangeBounds } from './range';
import {
  addLocalDays,
  formatLocalDay,
  formatLocalTime,
  fromLocalMs,
  localYear,
  startOfLocalDay,
  toLocalMs,
} from '../cases/zoned-time';

/** One thing that happened: when (epoch ms) and which series it counts towards. */
export interface TimePoint {
  readonly time: number;
  readonly series: string;
  /** How many things happened at `time`; 1 when absent (one point per thing, as case attachments are). */
  readonly count?: number;
}

export interface SeriesCounts {
  readonly key: string;
  /** One count per bucket, aligned with BucketCounts.starts. */
  readonly counts: readonly number[];
  readonly total: number;
}

export interface BucketCounts {
  /** Bucket start instants (epoch ms); bucket i ends where i + 1 starts, the last at the range end. */
  readonly starts: readonly number[];
  /** One label per bucket, in the range's zone: `14:00`, `Nov 27 14:00` or `Nov 27`. */
  readonly labels: readonly string[];
  readonly series: readonly SeriesCounts[];
}

export interface CountOptions {
  /**
   * Series to list first, in this order, even when they have no points (e.g. severities low →
   * critical, so every chart of them has the same legend). Others follow, largest total first.
   */
  readonly seriesOrder?: readonly string[];
}

/**
 * Counts points per series and bucket. Points outside [from, to) are ignored: a data source may
 * return a little more than asked (a day-granular query, say) without skewing the edges.
 */
export function countByBucket(
  range: ChartRange,
  points: Iterable<TimePoint>,
  options: CountOptions = {},
): BucketCounts {
  const starts = bucketStarts(range);
  const { fromMs, toMs } = rangeBounds(range);
  const nominalMs = durationMs(range.bucket);
  const last = starts.length - 1;

  const countsBySeries = new Map<string, number[]>();
  for (const key of options.seriesOrder ?? []) countsBySeries.set(key, new Array<number>(starts.length).fill(0));

  for (const { time, series, count = 1 } of points) {
    if (!(time >= fromMs && time < toMs)) continue;
    // Buckets are equal except where DST makes a calendar day 23 or 25 hours, so the guess from the
    // nominal size is at most one bucket off: O(1) per point.
    let index = Math.min(last, Math.floor((time - fromMs) / nominalMs));
    while (index > 0 && time < (starts[index] as number)) index -= 1;
    while (index < last && time >= (starts[index + 1] as number)) index += 1;

    let counts = countsBySeries.get(series);
    if (!counts) {
      counts = new Array<number>(starts.length).fill(0);
      countsBySeries.set(series, counts);
    }
    counts[index] = (counts[index] as number) + count;
  }

  return { starts, labels: bucketLabels(starts, range), series: orderSeries(countsBySeries, options.seriesOrder ?? []) };
}

/**
 * Where each bucket starts. Minute and hour buckets are fixed lengths of time; day and week buckets
 * step by calendar days in the range's zone, so they keep starting at the same clock time
 * (local midnight, usually) across DST changes.
 */
export function bucketStarts(range: ChartRange): number[] {
  const { fromMs, toMs } = rangeBounds(range);
  const starts: number[] = [];
  const { bucket, timeZone } = range;
  if (isCalendarUnit(bucket.unit)) {
    const days = calendarDays({ count: bucket.count, unit: bucket.unit });
    const fromLocal = toLocalMs(fromMs, timeZone);
    for (let step = 0, start = fromMs; start < toMs; step += 1) {
      starts.push(start);
      start = fromLocalMs(addLocalDays(fromLocal, (step + 1) * days), timeZone);
    }
  } else {
    const size = durationMs(bucket);
    for (let start = fromMs; start < toMs; start += size) starts.push(start);
  }
  return starts;
}

/** Day buckets are named by date; shorter ones by time, with the date when the range spans days. */
function bucketLabels(starts: readonly number[], range: ChartRange): string[] {
  const locals = starts.map((start) => toLocalMs(start, range.timeZone));
  const first = locals[0] ?? 0;
  const lastLocal = locals[locals.length - 1] ?? first;
  if (isCalendarUnit(range.bucket.unit)) {
    const withYear = localYear(first) !== localYear(lastLocal);
    return locals.map((local) => formatLocalDay(local, withYear));
  }
  if (startOfLocalDay(first) === startOfLocalDay(lastLocal)) return locals.map(formatLocalTime);
  return locals.map((local) => `${formatLocalDay(local, false)} ${formatLocalTime(local)}`);
}

function orderSeries(countsBySeries: ReadonlyMap<string, number[]>, seriesOrder: readonly string[]): SeriesCounts[] {
  const all = [...countsBySeries].map(([key, counts]) => ({ key, counts, total: counts.reduce((a, b) => a + b, 0) }));
  const listed = new Set(seriesOrder);
  const rest = all
    .filter((series) => !listed.has(series.key))
    .sort((a, b) => b.total - a.total || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return [...all.filter((series) => listed.has(series.key)), ...rest];
}
