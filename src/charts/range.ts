/**
 * The time range of a chart, from the words of `/case chart … [last 24h | from <iso> to <iso>] [by 1h]`,
 * resolved to absolute instants when the chart is made, so a chart stored in a case never changes.
 */
import {
  type BucketUnit,
  type Duration,
  type SpanUnit,
  durationMs,
  formatDuration,
  readDuration,
} from './duration';
import {
  addLocalDays,
  assertTimeZone,
  formatLocalDateTime,
  fromLocalMs,
  isoWeekdayIndex,
  startOfLocalDay,
  timeZoneLabel,
  toLocalMs,
} from '../cases/zoned-time';

/** An absolute chart range: what is stored with a chart and everything downstream reads. */
export interface ChartRange {
  /** Start, inclusive: ISO 8601 in UTC. */
  readonly from: string;
  /** End, exclusive: ISO 8601 in UTC. */
  readonly to: string;
  readonly bucket: Duration;
  /** IANA zone for bucket alignment and labels. */
  readonly timeZone: string;
}

export type RangeErrorCode = 'syntax' | 'bad-date' | 'end-before-start' | 'empty' | 'too-long' | 'bad-bucket';

export type RangeResult =
  | {
      readonly ok: true;
      readonly range: ChartRange;
      /** Things the user should be told, e.g. that the bucket was coarsened. */
      readonly notes: readonly string[];
      /** Words that were not part of the range, in order (e.g. what to chart); the caller decides. */
      readonly otherWords: readonly string[];
    }
  | { readonly ok: false; readonly error: { readonly code: RangeErrorCode; readonly message: string } };

export interface RangeOptions {
  /** The instant relative ranges end at. Injected so results are reproducible. */
  readonly now: Date;
  /** IANA zone that day and week buckets follow; default UTC. */
  readonly timeZone?: string;
  /** More buckets than this are coarsened, not refused; default MAX_BUCKETS. */
  readonly maxBuckets?: number;
}

/** A phone-width bar chart stops being readable well before this; it also bounds the work per chart. */
export const MAX_BUCKETS = 200;
/** The default bucket aims at no more than this many bars (24–48 for most ranges). */
const TARGET_BUCKETS = 48;
/** Guards against typos such as `last 20000y`; ten years covers any retention policy. */
const MAX_SPAN_YEARS = 10;
const MAX_SPAN_MS = durationMs({ count: MAX_SPAN_YEARS, unit: 'y' });
const TOO_LONG = `Ranges longer than ${MAX_SPAN_YEARS} years are not supported.`;
const DEFAULT_SPAN: Duration<SpanUnit> = { count: 24, unit: 'h' };

/**
 * Bucket sizes used when choosing or coarsening a bucket: each at most about twice the previous, so
 * the first one that fits gives between half and all of the wanted bar count.
 */
const NICE_BUCKETS: readonly Duration[] = [
  ...[1, 2, 5, 10, 15, 30].map((count) => ({ count, unit: 'm' as const })),
  ...[1, 2, 3, 6, 12].map((count) => ({ count, unit: 'h' as const })),
  ...[1, 2, 4].map((count) => ({ count, unit: 'd' as const })),
  ...[1, 2, 4, 8, 13, 26, 52].map((count) => ({ count, unit: 'w' as const })),
];

const MINUTE_MS = 60_000;
const EXAMPLES = 'e.g. `last 24h`, `last 7d by 1d`, `from 2026-11-27T14:00Z to 2026-11-28`';

type Failure = Extract<RangeResult, { ok: false }>;
const fail = (code: RangeErrorCode, message: string): Failure => ({ ok: false, error: { code, message } });

/** What the words asked for, before anything is resolved against `now`. */
interface RangeWords {
  span?: Duration<SpanUnit>;
  from?: number;
  to?: number;
  bucket?: Duration<SpanUnit>;
  otherWords: string[];
}

/**
 * Parses the range words and resolves them. Relative ranges end at `now` (rounded up to the minute)
 * and start on a bucket boundary in the chart's zone, so every bar but the live last one is whole.
 * Absolute ranges are kept exactly as given. Never throws on user input.
 */
export function parseRange(words: readonly string[], options: RangeOptions): RangeResult {
  const timeZone = options.timeZone ?? 'UTC';
  assertTimeZone(timeZone);
  const read = readRangeWords(words, options.now.getTime());
  if ('ok' in read) return read;

  const place = placement(read, options.now.getTime(), timeZone);
  if ('ok' in place) return place;

  const bucket = read.bucket ? checkBucket(read.bucket) : defaultBucket(place.spanMs);
  if ('ok' in bucket) return bucket;

  const maxBuckets = options.maxBuckets ?? MAX_BUCKETS;
  const requestedBars = bucketCount(place.boundsFor(bucket), bucket);
  let chosen = bucket;
  const notes: string[] = [];
  if (requestedBars > maxBuckets) {
    chosen = smallestBucketWithin(maxBuckets, bucket, place.boundsFor);
    notes.push(
      `\`by ${formatDuration(bucket)}\` would draw ${requestedBars.toLocaleString('en-US')} bars; ` +
        `using ${formatDuration(chosen)} buckets instead (at most ${maxBuckets}).`,
    );
  }
  const bounds = place.boundsFor(chosen);

  return {
    ok: true,
    range: {
      from: new Date(bounds.fromMs).toISOString(),
      to: new Date(bounds.toMs).toISOString(),
      bucket: chosen,
      timeZone,
    },
    notes,
    otherWords: read.otherWords,
  };
}

/** `2026-11-27 14:00 – 2026-11-28 14:00 UTC`: the range as titles and alt text show it. */
export function formatRange(range: ChartRange): string {
  const { span, zone } = rangeParts(range);
  return `${span} ${zone}`;
}

/** The two halves of formatRange, for layouts that may put them on separate lines. */
export function rangeParts(range: ChartRange): { span: string; zone: string } {
  const { fromMs, toMs } = rangeBounds(range);
  const from = formatLocalDateTime(toLocalMs(fromMs, range.timeZone));
  const to = formatLocalDateTime(toLocalMs(toMs, range.timeZone));
  // A range of one instant is a snapshot (open cases now), not a period.
  return { span: fromMs === toMs ? `as of ${to}` : `${from} – ${to}`, zone: timeZoneLabel(range.timeZone) };
}

export function rangeBounds(range: ChartRange): { fromMs: number; toMs: number } {
  return { fromMs: Date.parse(range.from), toMs: Date.parse(range.to) };
}

function readRangeWords(words: readonly string[], nowMs: number): RangeWords | Failure {
  const result: RangeWords = { otherWords: [] };
  let i = 0;
  while (i < words.length) {
    const word = words[i] as string;
    switch (word.toLowerCase()) {
      case 'last': {
        const read = readDuration(words, i + 1);
        if (!read) return fail('syntax', `Expected a length after \`last\`, ${EXAMPLES}.`);
        if (result.span || result.from !== undefined) return fail('syntax', 'Give one range, not two.');
        result.span = read.duration;
        i += 1 + read.wordsUsed;
        break;
      }
      case 'from': {
        const start = readInstant(words, i + 1, nowMs);
        if ('ok' in start) return start;
        if (result.span || result.from !== undefined) return fail('syntax', 'Give one range, not two.');
        result.from = start.ms;
        i += 1 + start.wordsUsed;
        if (words[i]?.toLowerCase() === 'to') {
          const end = readInstant(words, i + 1, nowMs);
          if ('ok' in end) return end;
          result.to = end.ms;
          i += 1 + end.wordsUsed;
        } else {
          // `from <date>` alone reads naturally as "since then".
          result.to = nowMs;
        }
        break;
      }
      case 'by': {
        const read = readDuration(words, i + 1);
        if (!read) return fail('syntax', 'Expected a bucket size after `by`, e.g. `by 1h` (units m, h, d, w).');
        result.bucket = read.duration;
        i += 1 + read.wordsUsed;
        break;
      }
      default:
        result.otherWords.push(word);
        i += 1;
    }
  }
  return result;
}

/** Where the range lies for a given bucket: absolute ranges ignore it, relative ones align to it. */
interface Placement {
  spanMs: number;
  boundsFor(bucket: Duration): { fromMs: number; toMs: number };
}

function placement(read: RangeWords, nowMs: number, timeZone: string): Placement | Failure {
  if (read.from !== undefined && read.to !== undefined) {
    const { from: fromMs, to: toMs } = read;
    const shown = (ms: number): string => formatLocalDateTime(ms) + ' UTC';
    if (toMs < fromMs) return fail('end-before-start', `The end (${shown(toMs)}) is before the start (${shown(fromMs)}).`);
    if (toMs === fromMs) return fail('empty', 'The start and the end are the same instant; the range is empty.');
    if (toMs - fromMs > MAX_SPAN_MS) return fail('too-long', TOO_LONG);
    return { spanMs: toMs - fromMs, boundsFor: () => ({ fromMs, toMs }) };
  }

  const span = read.span ?? DEFAULT_SPAN;
  const spanMs = durationMs(span);
  if (span.count === 0) return fail('empty', `\`last ${formatDuration(span)}\` is an empty range.`);
  if (spanMs > MAX_SPAN_MS) return fail('too-long', TOO_LONG);
  const toMs = Math.ceil(nowMs / MINUTE_MS) * MINUTE_MS;
  return {
    spanMs,
    boundsFor: (bucket) => {
      const start = toMs - spanMs;
      // A bucket longer than the range would stretch it to the bucket boundary; keep what was asked.
      const fromMs = durationMs(bucket) <= spanMs ? alignDown(start, bucket, timeZone) : start;
      return { fromMs, toMs };
    },
  };
}

function checkBucket(bucket: Duration<SpanUnit>): Duration | Failure {
  if (bucket.unit === 'y') return fail('bad-bucket', 'Buckets are in minutes, hours, days or weeks (m, h, d, w).');
  if (bucket.count === 0) return fail('bad-bucket', 'A bucket needs a length of at least 1m.');
  if (durationMs(bucket) > MAX_SPAN_MS) return fail('bad-bucket', 'That bucket is longer than any range allowed.');
  return { count: bucket.count, unit: bucket.unit as BucketUnit };
}

function defaultBucket(spanMs: number): Duration {
  return NICE_BUCKETS.find((bucket) => Math.ceil(spanMs / durationMs(bucket)) <= TARGET_BUCKETS) ?? largestNiceBucket();
}

/** The smallest nice bucket, at least as large as `requested`, that keeps the count within `maxBuckets`. */
function smallestBucketWithin(maxBuckets: number, requested: Duration, boundsFor: Placement['boundsFor']): Duration {
  const fits = (bucket: Duration): boolean =>
    durationMs(bucket) >= durationMs(requested) && bucketCount(boundsFor(bucket), bucket) <= maxBuckets;
  return NICE_BUCKETS.find(fits) ?? largestNiceBucket();
}

function largestNiceBucket(): Duration {
  return NICE_BUCKETS[NICE_BUCKETS.length - 1] as Duration;
}

/** Bars the range would have: arithmetic, never enumerated, so `last 10y by 1m` costs nothing. */
function bucketCount(bounds: { fromMs: number; toMs: number }, bucket: Duration): number {
  return Math.ceil((bounds.toMs - bounds.fromMs) / durationMs(bucket));
}

/** The bucket boundary at or before `instantMs` on the clocks of `timeZone`. */
function alignDown(instantMs: number, bucket: Duration, timeZone: string): number {
  const local = toLocalMs(instantMs, timeZone);
  switch (bucket.unit) {
    case 'w': {
      const day = startOfLocalDay(local);
      return fromLocalMs(addLocalDays(day, -isoWeekdayIndex(day)), timeZone);
    }
    case 'd':
      return fromLocalMs(startOfLocalDay(local), timeZone);
    default: {
      // Minute and hour buckets sit on multiples of their size on the local clock (15:00, 15:30, …).
      const size = durationMs(bucket);
      return fromLocalMs(Math.floor(local / size) * size, timeZone);
    }
  }
}

// ISO 8601 extended format: a date, optionally a time (seconds and fraction optional), optionally a
// zone. The time may also come as the next word (`2026-11-27 14:00`), as people type it.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const EARLIEST_YEAR = 1970;

function readInstant(
  words: readonly string[],
  start: number,
  nowMs: number,
): { ms: number; wordsUsed: number } | Failure {
  const word = words[start];
  if (word === undefined) return fail('syntax', `Expected a date after \`from\`/\`to\`, ${EXAMPLES}.`);
  if (word.toLowerCase() === 'now') return { ms: nowMs, wordsUsed: 1 };

  const [datePart = '', timePart] = word.split(/[Tt]/, 2);
  const nextWord = words[start + 1];
  const timeInNextWord = timePart === undefined && nextWord !== undefined && ISO_TIME.test(nextWord);
  const ms = isoToMs(datePart, timeInNextWord ? nextWord : timePart);
  if (ms === undefined) {
    return fail('bad-date', `Can't read \`${word}\` as a date; use ISO 8601, e.g. 2026-11-27 or 2026-11-27T14:00Z.`);
  }
  return { ms, wordsUsed: timeInNextWord ? 2 : 1 };
}

/** Epoch ms of an ISO date and optional time; no zone means UTC. Undefined for impossible dates. */
function isoToMs(datePart: string, timePart: string | undefined): number | undefined {
  const date = ISO_DATE.exec(datePart);
  const time = timePart === undefined ? undefined : ISO_TIME.exec(timePart);
  if (!date || time === null) return undefined;

  const [year, month, day] = date.slice(1, 4).map(Number) as [number, number, number];
  const [hour = 0, minute = 0, second = 0] = (time?.slice(1, 4) ?? []).map((v) => Number(v ?? 0));
  const millisecond = Math.floor(Number(`0.${time?.[4] ?? '0'}`) * 1000);
  if (year < EARLIEST_YEAR) return undefined;

  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  // Date.UTC rolls 2026-02-30 over to March 2; an ISO date that does not exist is a typo.
  const check = new Date(utc);
  const exists =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === month - 1 &&
    check.getUTCDate() === day &&
    check.getUTCHours() === hour &&
    check.getUTCMinutes() === minute &&
    check.getUTCSeconds() === second;
  const offset = zoneOffsetMs(time?.[5]);
  if (!exists || offset === undefined) return undefined;
  return utc - offset;
}

/** Real zone offsets stay within ±14 hours; ±18 is the most any standard library accepts. */
const MAX_ZONE_OFFSET_MINUTES = 18 * 60;

/** `+05:30` → 5.5 hours; `Z` or no zone → 0 (no zone means UTC); undefined when out of range. */
function zoneOffsetMs(zone: string | undefined): number | undefined {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  if (minutes > MAX_ZONE_OFFSET_MINUTES || Number(digits.slice(2) || '0') > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * minutes * MINUTE_MS;
}
