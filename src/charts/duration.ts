/**
 * Durations as users type them (`30m`, `24h`, `7d`, `2w`, `1y`): a count and a unit.
 * Kept as a {count, unit} pair rather than milliseconds so a stored chart says `1d`, and day and
 * week buckets can follow the calendar of a time zone (a day across a DST change is 23 or 25 hours).
 */

/** Units a bucket can have. `m` is minutes (there are no month buckets). */
export type BucketUnit = 'm' | 'h' | 'd' | 'w';
/** Units a range length can have: a bucket unit or years (365 days). */
export type SpanUnit = BucketUnit | 'y';

export interface Duration<U extends SpanUnit = BucketUnit> {
  readonly count: number;
  readonly unit: U;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

const UNIT_MS: Readonly<Record<SpanUnit, number>> = {
  m: MINUTE_MS,
  h: 60 * MINUTE_MS,
  d: DAY_MS,
  w: 7 * DAY_MS,
  y: 365 * DAY_MS,
};

/** The nominal length: days are 24 hours here; calendar-aware stepping lives in buckets.ts. */
export function durationMs(duration: Duration<SpanUnit>): number {
  return duration.count * UNIT_MS[duration.unit];
}

/** `30m`, `1d`: the form users type and the form stored with a chart. */
export function formatDuration(duration: Duration<SpanUnit>): string {
  return `${duration.count}${duration.unit}`;
}

/** Day and week buckets start at local midnight and step by calendar days in the chart's zone. */
export function isCalendarUnit(unit: BucketUnit): unit is 'd' | 'w' {
  return unit === 'd' || unit === 'w';
}

/** Calendar days in one step of a day or week bucket. */
export function calendarDays(bucket: Duration<'d' | 'w'>): number {
  return bucket.unit === 'w' ? bucket.count * 7 : bucket.count;
}

// A Map, not an object literal: a typed word such as `constructor` must not find Object.prototype.
const UNIT_WORDS: ReadonlyMap<string, SpanUnit> = new Map(Object.entries({
  m: 'm', min: 'm', mins: 'm', minute: 'm', minutes: 'm',
  h: 'h', hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
  d: 'd', day: 'd', days: 'd',
  w: 'w', wk: 'w', wks: 'w', week: 'w', weeks: 'w',
  y: 'y', yr: 'y', yrs: 'y', year: 'y', years: 'y',
} satisfies Record<string, SpanUnit>));

/**
 * Reads a duration from words[start…]: `24h` (one word), `24 h` / `24 hours` (two words) or a bare
 * unit word (`hour`, `day`: a count of 1), since people on phones type all three.
 * Returns how many words it used, or undefined when the words are not a duration.
 * The count is whatever was typed (possibly 0 or huge); callers decide what is acceptable.
 */
export function readDuration(
  words: readonly string[],
  start: number,
): { duration: Duration<SpanUnit>; wordsUsed: number } | undefined {
  const first = words[start]?.toLowerCase();
  if (first === undefined) return undefined;

  const joined = /^(\d+)([a-z]+)$/.exec(first);
  if (joined) {
    const unit = UNIT_WORDS.get(joined[2] as string);
    return unit ? { duration: { count: Number(joined[1]), unit }, wordsUsed: 1 } : undefined;
  }
  if (/^\d+$/.test(first)) {
    const unit = UNIT_WORDS.get(words[start + 1]?.toLowerCase() ?? '');
    return unit ? { duration: { count: Number(first), unit }, wordsUsed: 2 } : undefined;
  }
  const unit = UNIT_WORDS.get(first);
  return unit ? { duration: { count: 1, unit }, wordsUsed: 1 } : undefined;
}
