import { countByBucket, type TimePoint } from '../../src/charts/buckets';
import { doughnutConfig, severitySlices, barConfig } from '../../src/charts/config';
import { type ChartRange, parseRange } from '../../src/charts/range';

const DAY: ChartRange = {
  from: '2026-11-27T14:00:00.000Z',
  to: '2026-11-28T14:00:00.000Z',
  bucket: { count: 1, unit: 'h' },
  timeZone: 'UTC',
};

const points: TimePoint[] = [
  { time: Date.parse('2026-11-27T14:05:00Z'), series: 'message' },
  { time: Date.parse('2026-11-27T14:06:00Z'), series: 'alert' },
  { time: Date.parse('2026-11-28T09:30:00Z'), series: 'message' },
];

const barFor = (range: ChartRange, data: TimePoint[] = points) =>
  barConfig({ title: 'Case #42 activity', range, counts: countByBucket(range, data) });

describe('barConfig', () => {
  const config = barFor(DAY);

  test('is plain JSON: it survives a round trip unchanged', () => {
    expect(JSON.parse(JSON.stringify(config))).toStrictEqual(config);
  });

  test('uses category labels written by us, never a time scale', () => {
    expect(JSON.stringify(config)).not.toMatch(/"type":"time(series)?"/);
    expect(config.options?.scales?.x?.type).toBeUndefined();
    expect(config.data.labels).toHaveLength(24);
    expect(config.data.labels?.[0]).toBe('Nov 27 14:00');
  });

  test('one stacked dataset per series, with the counts', () => {
    expect(config.type).toBe('bar');
    expect(config.options?.scales?.x).toMatchObject({ stacked: true });
    expect(config.options?.scales?.y).toMatchObject({ stacked: true, beginAtZero: true });
    expect(config.data.datasets.map((dataset) => [dataset.label, dataset.data.reduce((a, b) => a + b, 0)])).toEqual([
      ['message', 2],
      ['alert', 1],
    ]);
  });

  test('title, absolute range with zone, legend and axis titles', () => {
    const plugins = config.options?.plugins;
    expect(plugins?.title).toMatchObject({ display: true, text: 'Case #42 activity' });
    expect(plugins?.subtitle).toMatchObject({ display: true, text: '2026-11-27 14:00 – 2026-11-28 14:00 UTC' });
    expect(plugins?.legend).toMatchObject({ display: true });
    expect(config.options?.scales?.x?.title).toMatchObject({ display: true, text: 'Time (UTC)' });
    expect(config.options?.scales?.y?.title).toMatchObject({ display: true, text: 'Events per 1h' });
  });

  test('no data: says so, in place of the range, rather than failing', () => {
    const empty = barFor(DAY, []);
    expect(empty.options?.plugins?.subtitle?.text).toBe('No events in 2026-11-27 14:00 – 2026-11-28 14:00 UTC');
    expect(empty.options?.plugins?.legend?.display).toBe(false);
    expect(empty.data.labels).toHaveLength(24);
  });

  test('series named after severities take the severity colours', () => {
    const severities = barConfig({
      title: 'Alerts',
      range: DAY,
      counts: countByBucket(DAY, [], { seriesOrder: ['low', 'critical', 'other'] }),
    });
    expect(severities.data.datasets.map((dataset) => [dataset.label, dataset.backgroundColor])).toEqual([
      ['Low', '#B5E5F2'],
      ['Critical', '#EE4C48'],
      ['other', '#EAAE01'], // third palette colour: colours follow the dataset position
    ]);
  });

  test('a long title is wrapped onto two lines, then shortened, so nothing is cut off at the edges', () => {
    const long = barConfig({
      title: 'Case #1234 activity in #soc-incident-response-emea for the phishing wave against finance users',
      range: DAY,
      counts: countByBucket(DAY, points),
    });
    const text = long.options?.plugins?.title?.text;
    expect(Array.isArray(text) && text.length).toBe(2);
    expect((text as string[])[1]).toMatch(/…$/);
  });

  test('a long zone name moves to its own subtitle line', () => {
    const far = barFor({ ...DAY, timeZone: 'America/Argentina/ComodRivadavia' }, []);
    expect(far.options?.plugins?.subtitle?.text).toEqual([
      'No events in 2026-11-27 11:00 – 2026-11-28 11:00',
      'America/Argentina/ComodRivadavia',
    ]);
  });
});

describe('a stored chart never changes', () => {
  afterEach(() => jest.useRealTimers());

  test('the stored absolute range gives the identical configuration on a later now', () => {
    jest.useFakeTimers({ now: new Date('2026-11-28T14:37:12Z') });
    const asked = parseRange(['last', '24h', 'by', '1h'], { now: new Date(), timeZone: 'Europe/Paris' });
    if (!asked.ok) throw new Error(asked.error.message);
    const stored = JSON.stringify(asked.range);
    const first = barFor(asked.range);

    // Weeks later, with more data arriving after the range, the chart is rebuilt from storage.
    jest.setSystemTime(new Date('2026-12-20T09:00:00Z'));
    const later = [...points, { time: Date.now() - 1000, series: 'message' }];
    const rebuilt = barFor(JSON.parse(stored) as ChartRange, later);
    expect(rebuilt).toStrictEqual(first);
  });
});

describe('doughnutConfig', () => {
  const severity = doughnutConfig({
    title: 'Open cases by severity',
    range: DAY,
    slices: severitySlices({ low: 7, medium: 12, high: 5, critical: 2 }),
  });

  test('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(severity))).toStrictEqual(severity);
  });

  test('severities low → critical in Kibana (EUI Borealis) severity colours, counts in the legend', () => {
    expect(severity.type).toBe('doughnut');
    expect(severity.data.labels).toEqual(['Low · 7', 'Medium · 12', 'High · 5', 'Critical · 2']);
    expect(severity.data.datasets[0]?.data).toEqual([7, 12, 5, 2]);
    expect(severity.data.datasets[0]?.backgroundColor).toEqual(['#B5E5F2', '#FCD883', '#FF995E', '#EE4C48']);
    expect(severity.options?.plugins?.subtitle?.text).toBe('26 cases · 2026-11-27 14:00 – 2026-11-28 14:00 UTC');
  });

  test('no data: a plain ring and a message instead of a blank image', () => {
    const empty = doughnutConfig({ title: 'Open cases by severity', range: DAY, slices: severitySlices({}) });
    expect(empty.options?.plugins?.subtitle?.text).toBe('No cases in 2026-11-27 14:00 – 2026-11-28 14:00 UTC');
    expect(empty.options?.plugins?.legend?.display).toBe(false);
    expect(empty.data.datasets[0]?.data).toEqual([1]);
  });
});
