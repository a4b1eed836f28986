import { type ChartRange, formatRange, MAX_BUCKETS, parseRange, type RangeResult } from '../../src/charts/range';

// A Saturday afternoon, deliberately not on a minute boundary.
const NOW = new Date('2026-11-28T14:37:12.345Z');

function resolved(words: string, options: { now?: Date; timeZone?: string } = {}): ChartRange {
  const result = parseRange(words ? words.split(' ') : [], { now: NOW, ...options });
  if (!result.ok) throw new Error(`expected ${words} to parse: ${result.error.message}`);
  return result.range;
}

function failure(words: string): Extract<RangeResult, { ok: false }>['error'] {
  const result = parseRange(words.split(' '), { now: NOW });
  if (result.ok) throw new Error(`expected ${words} to fail, got ${JSON.stringify(result.range)}`);
  return result.error;
}

describe('parseRange: relative ranges end at now (to the minute) and start on a bucket boundary', () => {
  test.each([
    // words, from, to, bucket
    ['', '2026-11-27T14:30:00.000Z', '2026-11-28T14:38:00.000Z', '30m'], // default: last 24h
    ['last 24h', '2026-11-27T14:30:00.000Z', '2026-11-28T14:38:00.000Z', '30m'],
    ['LAST 24H', '2026-11-27T14:30:00.000Z', '2026-11-28T14:38:00.000Z', '30m'],
    ['last 24 hours by 1h', '2026-11-27T14:00:00.000Z', '2026-11-28T14:38:00.000Z', '1h'],
    ['last 30m', '2026-11-28T14:08:00.000Z', '2026-11-28T14:38:00.000Z', '1m'],
    ['last 7d', '2026-11-21T12:00:00.000Z', '2026-11-28T14:38:00.000Z', '6h'],
    ['last 2w', '2026-11-14T12:00:00.000Z', '2026-11-28T14:38:00.000Z', '12h'],
    ['last 7d by 1d', '2026-11-21T00:00:00.000Z', '2026-11-28T14:38:00.000Z', '1d'],
    ['last week by day', '2026-11-21T00:00:00.000Z', '2026-11-28T14:38:00.000Z', '1d'],
    // 2026-11-14 is a Saturday; week buckets start on the Monday before.
    ['last 2w by 1w', '2026-11-09T00:00:00.000Z', '2026-11-28T14:38:00.000Z', '1w'],
    // A bucket longer than the range keeps the range as asked instead of stretching it.
    ['last 1h by 1d', '2026-11-28T13:38:00.000Z', '2026-11-28T14:38:00.000Z', '1d'],
  ])('%j', (words, from, to, bucket) => {
    const range = resolved(words);
    expect(range).toEqual({ from, to, bucket: expect.anything(), timeZone: 'UTC' });
    expect(`${range.bucket.count}${range.bucket.unit}`).toBe(bucket);
  });

  test('the default bucket gives 24–48 bars for common ranges', () => {
    for (const span of ['30m', '1h', '6h', '24h', '2d', '7d', '14d', '30d', '90d', '1y']) {
      const range = resolved(`last ${span}`);
      const bars = (Date.parse(range.to) - Date.parse(range.from)) / bucketMs(range);
      expect(bars).toBeGreaterThanOrEqual(24);
      expect(bars).toBeLessThanOrEqual(50); // 48 plus the aligned start and the live last bucket
    }
  });

  test('day buckets start at local midnight in the chart zone, including across a DST change', () => {
    // US clocks went back on 2026-11-01; Oct 30 00:00 in New York is still EDT (UTC-4).
    const range = resolved('last 3d by 1d', { now: new Date('2026-11-02T12:00:00Z'), timeZone: 'America/New_York' });
    expect(range.from).toBe('2026-10-30T04:00:00.000Z');
    expect(range.timeZone).toBe('America/New_York');
  });

  test('hour buckets sit on the local clock of a half-hour zone', () => {
    const range = resolved('last 24h by 1h', { timeZone: 'Asia/Kolkata' });
    // 14:37Z is 20:07 in India; 24 h earlier, floored to the local hour: 20:00 IST = 14:30Z.
    expect(range.from).toBe('2026-11-27T14:30:00.000Z');
  });
});

describe('parseRange: absolute ranges are kept exactly', () => {
  test.each([
    ['from 2026-11-27T14:00 to 2026-11-28T14:00', '2026-11-27T14:00:00.000Z', '2026-11-28T14:00:00.000Z'],
    ['from 2026-11-27T14:00Z to 2026-11-28T14:00:00Z', '2026-11-27T14:00:00.000Z', '2026-11-28T14:00:00.000Z'],
    ['from 2026-11-27 14:00 to 2026-11-28 14:00', '2026-11-27T14:00:00.000Z', '2026-11-28T14:00:00.000Z'],
    ['from 2026-11-27T15:00+01:00 to 2026-11-28T09:00-05:00', '2026-11-27T14:00:00.000Z', '2026-11-28T14:00:00.000Z'],
    ['from 2026-11-27T19:30+0530 to 2026-11-28', '2026-11-27T14:00:00.000Z', '2026-11-28T00:00:00.000Z'],
    ['from 2026-11-27 to 2026-11-28', '2026-11-27T00:00:00.000Z', '2026-11-28T00:00:00.000Z'],
    ['from 2026-11-27T14:00:00.250Z to now', '2026-11-27T14:00:00.250Z', '2026-11-28T14:37:12.345Z'],
    ['from 2026-11-28T12:00', '2026-11-28T12:00:00.000Z', '2026-11-28T14:37:12.345Z'],
  ])('%j', (words, from, to) => {
    expect(resolved(words)).toMatchObject({ from, to });
  });

  test('by sets the bucket; without it one is chosen for 24–48 bars', () => {
    expect(resolved('from 2026-11-27 to 2026-11-28 by 1h').bucket).toEqual({ count: 1, unit: 'h' });
    expect(resolved('from 2026-11-27 to 2026-11-28').bucket).toEqual({ count: 30, unit: 'm' });
  });

  test('gives the same range whatever the time of asking', () => {
    const words = 'from 2026-11-27T14:00 to 2026-11-28T14:00 by 1h'.split(' ');
    const early = parseRange(words, { now: NOW });
    const later = parseRange(words, { now: new Date('2027-03-01T00:00:00Z') });
    expect(later).toEqual(early);
  });
});

describe('parseRange: other words are handed back', () => {
  test('in order, wherever they are', () => {
    const result = parseRange(['alerts', 'last', '7d', 'by-type', 'by', '1d'], { now: NOW });
    expect(result.ok && result.otherWords).toEqual(['alerts', 'by-type']);
  });
});

describe('parseRange: bad input gives a typed error and a short message', () => {
  test.each([
    ['from 2026-11-28 to 2026-11-27', 'end-before-start', /end \(2026-11-27 00:00 UTC\) is before the start/],
    ['from 2026-11-27T14:00 to 2026-11-27T14:00Z', 'empty', /same instant/],
    ['last 0h', 'empty', /empty/],
    ['from 2026-13-01 to 2026-12-02', 'bad-date', /2026-13-01/],
    ['from 2026-02-30 to 2026-03-02', 'bad-date', /2026-02-30/],
    ['from yesterday to now', 'bad-date', /yesterday/],
    ['from 2026-11-27T25:00 to now', 'bad-date', /25:00/],
    ['from 2026-11-27T14:00+25:00 to now', 'bad-date', /\+25:00/],
    ['from 1969-12-31 to now', 'bad-date', /1969/],
    ['from', 'syntax', /Expected a date/],
    ['last', 'syntax', /Expected a length after `last`/],
    ['last soon', 'syntax', /Expected a length/],
    ['last 24h by', 'syntax', /bucket size/],
    ['last 24h by 0m', 'bad-bucket', /at least 1m/],
    ['last 24h by 1y', 'bad-bucket', /minutes, hours, days or weeks/],
    ['last 24h from 2026-11-27 to 2026-11-28', 'syntax', /one range/],
    ['last 11y', 'too-long', /10 years/],
    ['last 99999999999999999999w', 'too-long', /10 years/],
    ['from 2000-01-01 to 2026-01-01', 'too-long', /10 years/],
  ])('%j → %s', (words, code, message) => {
    const error = failure(words);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message.length).toBeLessThan(160);
  });

  test('a word like `constructor` is not mistaken for a unit', () => {
    expect(failure('last 1constructor').code).toBe('syntax');
  });
});

describe('parseRange: too many buckets are coarsened, not refused', () => {
  test('`last 1y by 1m` uses the smallest nice bucket within the cap, and says so', () => {
    const result = parseRange('last 1y by 1m'.split(' '), { now: NOW });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.range.bucket).toEqual({ count: 2, unit: 'd' });
    expect(bars(result.range)).toBeLessThanOrEqual(MAX_BUCKETS);
    expect(result.notes).toEqual([expect.stringMatching(/`by 1m` would draw 52\d,\d{3} bars; using 2d buckets instead \(at most 200\)/)]);
  });

  test('10,000 requested buckets are capped quickly', () => {
    const started = performance.now();
    const result = parseRange('last 10000h by 1h'.split(' '), { now: NOW });
    expect(performance.now() - started).toBeLessThan(100);
    if (!result.ok) throw new Error(result.error.message);
    expect(bars(result.range)).toBeLessThanOrEqual(MAX_BUCKETS);
    expect(result.notes[0]).toMatch(/10,00\d bars/);
  });

  test('the longest allowed range with the smallest bucket still resolves', () => {
    const result = parseRange('last 10y by 1m'.split(' '), { now: NOW });
    expect(result.ok && bars(result.range)).toBeLessThanOrEqual(MAX_BUCKETS);
  });

  test('an absolute range is capped the same way', () => {
    const result = parseRange('from 2026-01-01 to 2026-11-01 by 1m'.split(' '), { now: NOW });
    expect(result.ok && result.range).toMatchObject({ from: '2026-01-01T00:00:00.000Z', bucket: { count: 2, unit: 'd' } });
  });

  test('the cap can be set', () => {
    const result = parseRange('last 24h by 1m'.split(' '), { now: NOW, maxBuckets: 50 });
    expect(result.ok && result.range.bucket).toEqual({ count: 30, unit: 'm' });
  });
});

describe('formatRange', () => {
  test('shows the absolute range in the chart zone', () => {
    const range: ChartRange = {
      from: '2026-11-27T14:00:00.000Z',
      to: '2026-11-28T14:00:00.000Z',
      bucket: { count: 1, unit: 'h' },
      timeZone: 'UTC',
    };
    expect(formatRange(range)).toBe('2026-11-27 14:00 – 2026-11-28 14:00 UTC');
    expect(formatRange({ ...range, timeZone: 'Europe/Paris' })).toBe('2026-11-27 15:00 – 2026-11-28 15:00 Europe/Paris');
  });

  test('an unknown zone is a programming error, reported clearly', () => {
    expect(() => parseRange([], { now: NOW, timeZone: 'Mars/Olympus' })).toThrow(/Unknown time zone "Mars\/Olympus"/);
  });
});

function bucketMs(range: ChartRange): number {
  const unitMs = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[range.bucket.unit];
  return range.bucket.count * unitMs;
}

function bars(range: ChartRange): number {
  return Math.ceil((Date.parse(range.to) - Date.parse(range.from)) / bucketMs(range));
}

test('a range of one instant reads as a snapshot', () => {
  const at = '2026-11-28T09:30:00.000Z';
  expect(formatRange({ from: at, to: at, bucket: { count: 1, unit: 'd' }, timeZone: 'UTC' })).toBe('as of 2026-11-28 09:30 UTC');
});
