import { bucketStarts, countByBucket, type TimePoint } from '../../src/charts/buckets';
import type { ChartRange } from '../../src/charts/range';

const at = (iso: string): number => Date.parse(iso);

function range(from: string, to: string, bucket: string, timeZone = 'UTC'): ChartRange {
  const match = /^(\d+)([mhdw])$/.exec(bucket);
  if (!match) throw new Error(bucket);
  return { from, to, bucket: { count: Number(match[1]), unit: match[2] as 'm' | 'h' | 'd' | 'w' }, timeZone };
}

describe('countByBucket', () => {
  const fourHours = range('2026-11-27T14:00:00Z', '2026-11-27T18:00:00Z', '1h');

  test('counts each point once, in the bucket that contains it; [from, to) only', () => {
    const points: TimePoint[] = [
      { time: at('2026-11-27T13:59:59.999Z'), series: 'alert' }, // before the range
      { time: at('2026-11-27T14:00:00Z'), series: 'alert' },
      { time: at('2026-11-27T14:59:59.999Z'), series: 'alert' },
      { time: at('2026-11-27T15:00:00Z'), series: 'message' },
      { time: at('2026-11-27T15:30:00Z'), series: 'alert' },
      { time: at('2026-11-27T17:59:00Z'), series: 'message' },
      { time: at('2026-11-27T18:00:00Z'), series: 'message' }, // the end is exclusive
      { time: Number.NaN, series: 'message' },
    ];
    const counts = countByBucket(fourHours, points);
    expect(counts.labels).toEqual(['14:00', '15:00', '16:00', '17:00']);
    expect(counts.starts).toEqual([14, 15, 16, 17].map((hour) => at(`2026-11-27T${hour}:00:00Z`)));
    expect(counts.series).toEqual([
      { key: 'alert', counts: [2, 1, 0, 0], total: 3 },
      { key: 'message', counts: [0, 1, 0, 1], total: 2 },
    ]);
  });

  test('a point that carries a count counts as that many points (pre-counted buckets from Elasticsearch)', () => {
    const weighted: TimePoint[] = [
      { time: at('2026-11-27T14:00:00Z'), series: 'logon-failed', count: 1_500 },
      { time: at('2026-11-27T16:00:00Z'), series: 'logon-failed', count: 2 },
      { time: at('2026-11-27T16:00:00Z'), series: 'dns', count: 7 },
    ];
    const oneByOne = weighted.flatMap(({ time, series, count = 1 }) => Array.from({ length: count }, () => ({ time, series })));
    expect(countByBucket(fourHours, weighted)).toEqual(countByBucket(fourHours, oneByOne));
    expect(countByBucket(fourHours, weighted).series).toEqual([
      { key: 'logon-failed', counts: [1_500, 0, 2, 0], total: 1_502 },
      { key: 'dns', counts: [0, 0, 7, 0], total: 7 },
    ]);
  });

  test('series are ordered by total, then name; listed ones come first, even when empty', () => {
    const points = ['b', 'c', 'c', 'a', 'c', 'b'].map((series) => ({ time: at('2026-11-27T14:10:00Z'), series }));
    expect(countByBucket(fourHours, points).series.map((series) => series.key)).toEqual(['c', 'b', 'a']);
    const listed = countByBucket(fourHours, points, { seriesOrder: ['low', 'a', 'critical'] });
    expect(listed.series.map((series) => [series.key, series.total])).toEqual([
      ['low', 0],
      ['a', 1],
      ['critical', 0],
      ['c', 3],
      ['b', 2],
    ]);
  });

  test('the last bucket may be partial, ending at the range end', () => {
    const partial = range('2026-11-27T14:00:00Z', '2026-11-27T15:20:00Z', '30m');
    const counts = countByBucket(partial, [{ time: at('2026-11-27T15:19:59Z'), series: 'x' }]);
    expect(counts.labels).toEqual(['14:00', '14:30', '15:00']);
    expect(counts.series[0]?.counts).toEqual([0, 0, 1]);
  });

  test('no points: labels and no series', () => {
    const counts = countByBucket(fourHours, []);
    expect(counts.labels).toHaveLength(4);
    expect(counts.series).toEqual([]);
  });

  test('50,000 points in well under a second, totals exact', () => {
    const day = range('2026-11-27T00:00:00Z', '2026-11-28T00:00:00Z', '30m');
    const points: TimePoint[] = Array.from({ length: 50_000 }, (_, i) => ({
      time: at('2026-11-27T00:00:00Z') + ((i * 7919) % 86_400_000),
      series: `s${i % 5}`,
    }));
    const started = performance.now();
    const counts = countByBucket(day, points);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(250);
    expect(counts.series.reduce((sum, series) => sum + series.total, 0)).toBe(50_000);
    expect(counts.series.every((series) => series.counts.reduce((a, b) => a + b, 0) === series.total)).toBe(true);
  });
});

describe('bucket labels are written in the range zone', () => {
  test('a half-hour zone, within one local day', () => {
    const kolkata = range('2026-11-27T04:30:00Z', '2026-11-27T07:30:00Z', '1h', 'Asia/Kolkata');
    expect(countByBucket(kolkata, []).labels).toEqual(['10:00', '11:00', '12:00']);
  });

  test('across local midnight, labels carry the date', () => {
    const paris = range('2026-11-27T21:00:00Z', '2026-11-28T00:00:00Z', '1h', 'Europe/Paris');
    expect(countByBucket(paris, []).labels).toEqual(['Nov 27 22:00', 'Nov 27 23:00', 'Nov 28 00:00']);
  });

  test('a range that is one UTC day spans two days in New York', () => {
    const utcDay = range('2026-11-27T00:00:00Z', '2026-11-27T12:00:00Z', '6h', 'America/New_York');
    expect(countByBucket(utcDay, []).labels).toEqual(['Nov 26 19:00', 'Nov 27 01:00']);
  });

  test('day buckets follow local midnight across a DST change, and points land on the right day', () => {
    // New York: Oct 30 00:00 EDT to Nov 3 00:00 EST; Nov 1 is 25 hours long.
    const days = range('2026-10-30T04:00:00Z', '2026-11-03T05:00:00Z', '1d', 'America/New_York');
    expect(bucketStarts(days)).toEqual([
      at('2026-10-30T04:00:00Z'),
      at('2026-10-31T04:00:00Z'),
      at('2026-11-01T04:00:00Z'),
      at('2026-11-02T05:00:00Z'),
    ]);
    const counts = countByBucket(days, [
      { time: at('2026-11-02T04:30:00Z'), series: 'x' }, // Nov 1, 23:30 EST: the 25th hour of Nov 1
      { time: at('2026-11-02T05:00:00Z'), series: 'x' }, // Nov 2, 00:00 EST
    ]);
    expect(counts.labels).toEqual(['Oct 30', 'Oct 31', 'Nov 1', 'Nov 2']);
    expect(counts.series[0]?.counts).toEqual([0, 0, 1, 1]);
  });

  test('day labels gain the year when the range crosses one', () => {
    const newYear = range('2026-12-30T00:00:00Z', '2027-01-02T00:00:00Z', '1d');
    expect(countByBucket(newYear, []).labels).toEqual(['Dec 30 2026', 'Dec 31 2026', 'Jan 1 2027']);
  });

  test('week buckets step seven calendar days', () => {
    const weeks = range('2026-11-02T00:00:00Z', '2026-11-23T00:00:00Z', '1w', 'Europe/Berlin');
    expect(countByBucket(weeks, []).labels).toEqual(['Nov 2', 'Nov 9', 'Nov 16']);
  });
});
