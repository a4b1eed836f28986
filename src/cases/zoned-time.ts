/**
 * Wall-clock time in an IANA time zone, computed with Intl.DateTimeFormat (no time-zone database of
 * our own). A wall-clock time is held as "local milliseconds": the epoch milliseconds the same
 * calendar date and clock reading would have in UTC, so calendar arithmetic is plain Date.UTC maths.
 */

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Building a DateTimeFormat costs far more than using one; charts reuse a handful of zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws a RangeError naming the zone when it is not an IANA zone Intl knows. */
export function assertTimeZone(timeZone: string): void {
  try {
    formatterFor(timeZone);
  } catch {
    throw new RangeError(`Unknown time zone "${timeZone}" (expected an IANA name such as Europe/Paris)`);
  }
}

/** The wall-clock reading of `instantMs` in `timeZone`, as local milliseconds. */
export function toLocalMs(instantMs: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instantMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  // formatToParts has no milliseconds; zone offsets are whole seconds, so they carry over unchanged.
  const millisecond = ((instantMs % 1000) + 1000) % 1000;
  return Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
}

/**
 * The instant at which clocks in `timeZone` read `localMs`. Two passes settle the offset; in a
 * spring-forward gap (a reading that never happens) the result lands just after the gap.
 */
export function fromLocalMs(localMs: number, timeZone: string): number {
  const firstGuess = localMs - (toLocalMs(localMs, timeZone) - localMs);
  const offset = toLocalMs(firstGuess, timeZone) - firstGuess;
  return localMs - offset;
}

/** Local midnight that starts the day containing `localMs`. */
export function startOfLocalDay(localMs: number): number {
  const date = new Date(localMs);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

/** Adds calendar days to a wall-clock reading, keeping the clock time (so 00:00 stays 00:00 across DST). */
export function addLocalDays(localMs: number, days: number): number {
  const date = new Date(localMs);
  date.setUTCDate(date.getUTCDate() + days);
  return date.getTime();
}

/** 0 for Monday … 6 for Sunday (ISO weeks start on Monday). */
export function isoWeekdayIndex(localMs: number): number {
  return (new Date(localMs).getUTCDay() + 6) % 7;
}

const pad2 = (value: number): string => String(value).padStart(2, '0');

/** `2026-11-27 14:00`: unambiguous, sorts, and reads the same in every locale. */
export function formatLocalDateTime(localMs: number): string {
  const date = new Date(localMs);
  return `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())} ${formatLocalTime(localMs)}`;
}

/** `14:00`. */
export function formatLocalTime(localMs: number): string {
  const date = new Date(localMs);
  return `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}`;
}

/** `Nov 27`, or `Nov 27 2026` when the year is needed to tell dates apart. */
export function formatLocalDay(localMs: number, withYear: boolean): string {
  const date = new Date(localMs);
  const day = `${MONTH_NAMES[date.getUTCMonth()]} ${date.getUTCDate()}`;
  return withYear ? `${day} ${date.getUTCFullYear()}` : day;
}

/** The calendar year of a wall-clock reading. */
export function localYear(localMs: number): number {
  return new Date(localMs).getUTCFullYear();
}

/** How a zone is named in titles: its IANA name, with UTC's aliases shown as `UTC`. */
export function timeZoneLabel(timeZone: string): string {
  return /^(Etc\/)?(UTC|UCT|GMT|Zulu|Universal)$/i.test(timeZone) ? 'UTC' : timeZone;
}
