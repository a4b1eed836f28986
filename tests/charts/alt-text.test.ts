import { MAX_ALT_TEXT_LENGTH, shareAltText, shareTable, timeSeriesAltText, timeSeriesTable } from '../../src/charts/alt-text';
import { countByBucket, type TimePoint } from '../../src/charts/buckets';
import { severitySlices } from '../../src/charts/config';
import type { ChartRange } from '../../src/charts/range';

const RANGE: ChartRange = {
  from: '2026-11-27T14:00:00.000Z',
  to: '2026-11-27T18:00:00.000Z',
  bucket: { count: 1, unit: 'h' },
  timeZone: 'Europe/Paris',
};
const point = (iso: string, series: string): TimePoint => ({ time: Date.parse(iso), series });
const points = [
  point('2026-11-27T14:10:00Z', 'message'),
  point('2026-11-27T16:05:00Z', 'message'),
  point('2026-11-27T16:06:00Z', 'alert'),
  point('2026-11-27T16:07:00Z', 'message'),
  point('2026-11-27T17:00:00Z', 'alert'),
];
const activity = (data: TimePoint[]) => ({ title: 'Case #42 activity', range: RANGE, counts: countByBucket(RANGE, data) });

describe('alt text', () => {
  test('a bar chart: kind, title, range, bucket, totals per series, busiest bucket', () => {
    expect(timeSeriesAltText(activity(points))).toBe(
      'Stacked bar chart: Case #42 activity, 2026-11-27 15:00 – 2026-11-27 19:00 Europe/Paris, 1h buckets. ' +
        '5 events: message 3, alert 2. Busiest bucket: 2026-11-27 17:00 Europe/Paris, 3 events.',
    );
  });

  test('an empty bar chart says there is nothing', () => {
    expect(timeSeriesAltText(activity([]))).toMatch(/1h buckets\. No events\.$/);
  });

  test('a doughnut: totals and shares', () => {
    const text = shareAltText({ title: 'Open cases by severity', range: RANGE, slices: severitySlices({ low: 1, high: 3 }) });
    expect(text).toBe(
      'Doughnut chart: Open cases by severity, 2026-11-27 15:00 – 2026-11-27 19:00 Europe/Paris. ' +
        '4 cases: Low 1 (25%), Medium 0 (0%), High 3 (75%), Critical 0 (0%).',
    );
  });

  test('stays within Slack’s 2000 characters however many series, ending cleanly', () => {
    const many = Array.from({ length: 500 }, (_, i) => point('2026-11-27T15:00:00Z', `#channel-with-a-long-name-${i}`));
    const text = timeSeriesAltText(activity(many));
    expect(text.length).toBeLessThanOrEqual(MAX_ALT_TEXT_LENGTH);
    expect(text).toMatch(/, and \d+ more\. Busiest bucket: .* 500 events\.$/);
  });
});

describe('data tables', () => {
  test('time series: the buckets with data, one column per series, and totals', () => {
    expect(timeSeriesTable(activity(points))).toBe(
      [
        '| Bucket | message | alert | Total |',
        '| --- | --- | --- | --- |',
        '| 15:00 | 1 | 0 | 1 |',
        '| 17:00 | 2 | 1 | 3 |',
        '| 18:00 | 0 | 1 | 1 |',
      ].join('\n'),
    );
  });

  test('time series: extra series go into Other, extra rows are counted, pipes are escaped', () => {
    const table = timeSeriesTable(activity([...points, point('2026-11-27T14:20:00Z', 'a|b')]), { maxSeries: 1, maxRows: 2 });
    expect(table).toBe(
      ['| Bucket | message | Other | Total |', '| --- | --- | --- | --- |', '| 15:00 | 1 | 1 | 2 |', '| 17:00 | 2 | 1 | 3 |', '… 1 more buckets'].join('\n'),
    );
  });

  test('shares', () => {
    expect(shareTable({ title: 't', range: RANGE, slices: severitySlices({ medium: 1, critical: 1 }) })).toBe(
      ['|  | Count | Share |', '| --- | --- | --- |', '| Low | 0 | 0% |', '| Medium | 1 | 50% |', '| High | 0 | 0% |', '| Critical | 1 | 50% |'].join('\n'),
    );
  });
});
