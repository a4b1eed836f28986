import { randomBytes } from 'node:crypto';

import type { Client } from '@elastic/elasticsearch';

import { countByBucket } from '../../src/charts/buckets';
import type { ActivityChartSpec } from '../../src/charts/pipeline';
import { makeChart } from '../../src/charts/pipeline';
import type { ChartRange } from '../../src/charts/range';
import { createChartRenderer } from '../../src/charts/choose-renderer';
import { alertsChartSpec } from '../../src/evidence-es/alerts-chart-source';
import { ChartQueryError, EvidenceUnavailableError } from '../../src/evidence-es/errors';
import { checkIndexPattern, IndexAllowList } from '../../src/evidence-es/index-patterns';
import { queryChartSource, type QueryChartSpec } from '../../src/evidence-es/query-chart-source';
import { readQueryChartWords } from '../../src/evidence-es/query-chart-words';
import { timeGridAggregation } from '../../src/evidence-es/time-grid';
import { createElasticsearchClient } from '../../src/storage/elasticsearch/client';
import { describeWithElasticsearch, testClient } from '../elasticsearch/support/test-cluster';

/**
 * Elasticsearch-sourced charts over seeded documents on the real test node: the counts per bar and per split
 * value are asserted exactly, in UTC and across a DST change, and every way a user's request can go wrong
 * comes back as a ChartQueryError with a one-line message.
 */

const HOUR = 3_600_000;
/** This file's indices and Security alerts, as an operator would allow them. */
const ALLOWED = { allowedIndices: new IndexAllowList(['caseops-test-*', '.alerts-security.alerts-*']) };
const UTC_RANGE: ChartRange = { from: '2025-03-10T00:00:00.000Z', to: '2025-03-10T06:00:00.000Z', bucket: { count: 1, unit: 'h' }, timeZone: 'UTC' };

/** Logon failures per hour and host (hosts total a 8, b 5, c 3, d 2, e 1). */
const FAILURES_PER_HOUR: ReadonlyArray<Readonly<Record<string, number>>> = [
  { a: 2, b: 1 },
  {},
  { a: 3, c: 1, d: 1 },
  { b: 2, e: 1 },
  { a: 1, b: 1, c: 2 },
  { a: 2, b: 1, d: 1 },
];

interface Seeded {
  '@timestamp': string;
  'event.action': string;
  'host.name': string;
  message: string;
}

function seedDocuments(): Seeded[] {
  const documents: Seeded[] = [];
  const at = (ms: number, action: string, host: string): void => {
    documents.push({ '@timestamp': new Date(ms).toISOString(), 'event.action': action, 'host.name': host, message: `${action} on ${host}` });
  };
  const start = Date.parse(UTC_RANGE.from);
  FAILURES_PER_HOUR.forEach((hosts, hour) => {
    for (const [host, count] of Object.entries(hosts)) {
      for (let n = 0; n < count; n += 1) at(start + hour * HOUR + (n + 1) * 7 * 60_000, 'logon-failed', host);
    }
  });
  // Outside the range (just before, exactly at the exclusive end, after) and not matching the query.
  at(start - 1, 'logon-failed', 'a');
  at(Date.parse(UTC_RANGE.to), 'logon-failed', 'a');
  at(Date.parse(UTC_RANGE.to) + HOUR, 'logon-failed', 'b');
  for (let hour = 0; hour < 3; hour += 1) at(start + hour * HOUR + 60_000, 'logon-success', 'a');
  // Across the spring-forward change in Europe/Paris (2025-03-30 02:00 → 03:00 local).
  at(Date.parse('2025-03-29T23:30:00Z'), 'dst', 'a'); // Mar 30 00:30 +01:00
  at(Date.parse('2025-03-30T21:30:00Z'), 'dst', 'a'); // Mar 30 23:30 +02:00
  at(Date.parse('2025-03-30T22:30:00Z'), 'dst', 'a'); // Mar 31 00:30 +02:00
  at(Date.parse('2025-03-31T03:30:00Z'), 'dst', 'b'); // Mar 31 05:30 +02:00
  at(Date.parse('2025-03-31T04:30:00Z'), 'dst', 'b'); // Mar 31 06:30 +02:00
  return documents;
}

function activity(range: ChartRange, noun?: string): ActivityChartSpec {
  return { kind: 'activity', title: 'Logon failures', range, ...(noun ? { noun } : {}) };
}

describeWithElasticsearch('charts from an Elasticsearch query', () => {
  let client: Client;
  const index = `caseops-test-evidence-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    client = testClient();
    await client.indices.create({
      index,
      mappings: {
        properties: {
          '@timestamp': { type: 'date' },
          event: { properties: { action: { type: 'keyword' } } },
          host: { properties: { name: { type: 'keyword' } } },
          message: { type: 'text' },
        },
      },
    });
    await client.bulk({ refresh: true, operations: seedDocuments().flatMap((document) => [{ create: { _index: index } }, document]) });
  });
  afterAll(async () => {
    await client.indices.delete({ index, ignore_unavailable: true });
    await client.close();
  });

  async function chartCounts(spec: QueryChartSpec, range: ChartRange, seriesOrder?: readonly string[]): Promise<Record<string, readonly number[]>> {
    const points = await queryChartSource(client, spec, ALLOWED).timePoints(activity(range));
    const counts = countByBucket(range, points, { seriesOrder });
    return Object.fromEntries(counts.series.map((series) => [series.key, series.counts]));
  }

  it('counts the matching documents per hour, only within [from, to)', async () => {
    expect(await chartCounts({ query: 'event.action:logon-failed', index }, UTC_RANGE)).toEqual({ matches: [3, 0, 5, 3, 4, 4] });
  });

  it('names the one series after what the chart counts', async () => {
    const points = await queryChartSource(client, { query: 'event.action:logon-failed', index }, ALLOWED).timePoints(activity(UTC_RANGE, 'failures'));
    expect(countByBucket(UTC_RANGE, points).series.map((series) => [series.key, series.total])).toEqual([['failures', 19]]);
  });

  it('splits by the top values of a field, the rest grouped as other', async () => {
    expect(await chartCounts({ query: 'event.action:logon-failed', index, split: { field: 'host.name', size: 2 } }, UTC_RANGE)).toEqual({
      a: [2, 0, 3, 0, 1, 2],
      b: [1, 0, 0, 2, 1, 1],
      other: [0, 0, 2, 1, 2, 1],
    });
  });

  it('leaves other out when the top values are all there is', async () => {
    expect(await chartCounts({ query: 'event.action:logon-failed AND host.name:(a OR b)', index, split: { field: 'host.name' } }, UTC_RANGE)).toEqual({
      a: [2, 0, 3, 0, 1, 2],
      b: [1, 0, 0, 2, 1, 1],
    });
  });

  it('counts hour buckets that do not start on the hour, the way the chart draws them', async () => {
    const range: ChartRange = { ...UTC_RANGE, from: '2025-03-10T00:30:00.000Z', to: '2025-03-10T04:30:00.000Z', bucket: { count: 2, unit: 'h' } };
    // Bars 00:30–02:30 and 02:30–04:30. Failures fall 7 and 14 minutes past the hour: hour 0's are before the
    // first bar, hour 2's in it, hours 3 and 4's in the second.
    expect(await chartCounts({ query: 'event.action:logon-failed', index }, range)).toEqual({ matches: [5, 7] });
  });

  it('counts calendar days in the chart zone across a DST change', async () => {
    const range: ChartRange = { from: '2025-03-28T23:00:00.000Z', to: '2025-03-31T22:00:00.000Z', bucket: { count: 1, unit: 'd' }, timeZone: 'Europe/Paris' };
    expect(timeGridAggregation(range)).toHaveProperty('date_histogram.calendar_interval', 'day');
    expect(await chartCounts({ query: 'event.action:dst', index }, range)).toEqual({ matches: [0, 2, 3] });
  });

  it('counts two-day buckets from a mid-morning start exactly, where no histogram matches the chart', async () => {
    // 2025-03-29 06:00 +01:00 to 2025-04-02 06:00 +02:00: the bars meet at Mar 31 06:00 local, after the DST change.
    const range: ChartRange = { from: '2025-03-29T05:00:00.000Z', to: '2025-04-02T04:00:00.000Z', bucket: { count: 2, unit: 'd' }, timeZone: 'Europe/Paris' };
    expect(timeGridAggregation(range)).toHaveProperty('date_range');
    expect(await chartCounts({ query: 'event.action:dst', index }, range)).toEqual({ matches: [4, 1] });
  });

  it('counts weeks from a Monday in the chart zone', async () => {
    const range: ChartRange = { from: '2025-03-23T23:00:00.000Z', to: '2025-04-06T22:00:00.000Z', bucket: { count: 1, unit: 'w' }, timeZone: 'Europe/Paris' };
    expect(timeGridAggregation(range)).toHaveProperty('date_histogram.calendar_interval', 'week');
    expect(await chartCounts({ query: 'event.action:dst', index }, range)).toEqual({ matches: [2, 3] });
  });

  it('draws the chart through the pipeline into a PNG', async () => {
    const renderer = createChartRenderer({ renderer: 'local' }, { warn: () => undefined, info: () => undefined });
    const source = queryChartSource(client, { query: 'event.action:logon-failed', index, split: { field: 'host.name', size: 2 } }, ALLOWED);
    const chart = await makeChart(activity(UTC_RANGE, 'failures'), source, renderer);
    expect(chart.png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(chart.dataTable).toContain('other');
    expect(chart.altText).toContain('19 failures');
  });

  it('charts Security alerts by severity for the case alerts’ hosts and rules', async () => {
    const alerts = `.alerts-security.alerts-test${randomBytes(4).toString('hex')}`;
    await client.indices.create({
      index: alerts,
      mappings: {
        properties: {
          '@timestamp': { type: 'date' },
          'kibana.alert.severity': { type: 'keyword' },
          'kibana.alert.rule.uuid': { type: 'keyword' },
          'kibana.alert.building_block_type': { type: 'keyword' },
          host: { properties: { name: { type: 'keyword' } } },
        },
      },
    });
    try {
      const alert = (hour: number, severity: string, host: string, rule: string, buildingBlock = false): object[] => [
        { create: { _index: alerts } },
        {
          '@timestamp': new Date(Date.parse(UTC_RANGE.from) + hour * HOUR + 600_000).toISOString(),
          'kibana.alert.severity': severity,
          'kibana.alert.rule.uuid': rule,
          host: { name: host },
          ...(buildingBlock ? { 'kibana.alert.building_block_type': 'default' } : {}),
        },
      ];
      await client.bulk({
        refresh: true,
        operations: [
          ...alert(0, 'high', 'web-01', 'rule-other'),
          ...alert(0, 'critical', 'db-02', 'rule-brute'),
          ...alert(1, 'high', 'web-01', 'rule-brute'),
          ...alert(3, 'low', 'laptop-9', 'rule-brute'),
          ...alert(3, 'low', 'web-01', 'rule-brute', true),
          ...alert(4, 'medium', 'unrelated', 'rule-other'),
        ],
      });
      const spec = alertsChartSpec({ hosts: ['web-01', 'web-01'], ruleIds: ['rule-brute'] }, alerts);
      expect(spec).not.toBeNull();
      expect(await chartCounts(spec as QueryChartSpec, UTC_RANGE, ['low', 'medium', 'high', 'critical'])).toEqual({
        low: [0, 0, 0, 1, 0, 0],
        medium: [0, 0, 0, 0, 0, 0],
        high: [1, 1, 0, 0, 0, 0],
        critical: [1, 0, 0, 0, 0, 0],
      });
      expect(alertsChartSpec({ hosts: [], ruleIds: [] }, alerts)).toBeNull();
    } finally {
      await client.indices.delete({ index: alerts, ignore_unavailable: true });
    }
  });

  describe('a request that cannot be charted gets a ChartQueryError with a one-line message', () => {
    async function failure(spec: QueryChartSpec, range: ChartRange = UTC_RANGE): Promise<ChartQueryError> {
      const error = await Promise.resolve()
        .then(() => queryChartSource(client, spec, ALLOWED).timePoints(activity(range)))
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error).toBeInstanceOf(ChartQueryError);
      const { message } = error as ChartQueryError;
      expect(message).not.toMatch(/\n|\bat \S+ \(|Exception|ResponseError/);
      expect(message.length).toBeLessThan(300);
      return error as ChartQueryError;
    }

    it('a malformed Lucene query', async () => {
      const error = await failure({ query: 'event.action:(logon-failed', index });
      expect(error.code).toBe('bad-query');
      expect(error.message).toBe('That query is not valid: Encountered "<EOF>" at line 1, column 26.');
    });

    it('a leading wildcard, which would read every term of the field', async () => {
      const error = await failure({ query: 'message:*failed', index });
      expect(error.code).toBe('too-expensive');
      expect(error.message).toMatch(/leading wildcard/i);
    });

    it('a range and bucket that would draw too many bars, refused before it reaches the cluster', async () => {
      const unreachable = createElasticsearchClient({ url: 'http://127.0.0.1:9' }, { maxRetries: 0 });
      const month: ChartRange = { from: '2025-03-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z', bucket: { count: 1, unit: 'm' }, timeZone: 'UTC' };
      try {
        const error = await queryChartSource(unreachable, { query: '*:*', index }, ALLOWED).timePoints(activity(month)).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ChartQueryError);
        expect(error).toMatchObject({ code: 'too-many-buckets', message: '`by 1m` would draw 44,640 bars; use a larger bucket (at most 200 bars).' });
      } finally {
        await unreachable.close();
      }
    });

    it('a split into more values than the chart has colours', async () => {
      expect((await failure({ query: '*:*', index, split: { field: 'host.name', size: 50 } })).code).toBe('too-expensive');
    });

    it('a split by a text field', async () => {
      const error = await failure({ query: '*:*', index, split: { field: 'message' } });
      expect(error).toMatchObject({ code: 'bad-query', message: expect.stringMatching(/text field/) });
    });

    it('an index pattern that matches nothing', async () => {
      expect(await failure({ query: '*:*', index: 'caseops-test-nothing-here-*' })).toMatchObject({ code: 'no-such-index', message: 'No index matches `caseops-test-nothing-here-*`.' });
    });

    it('index patterns that are not allowed, refused when the source is made', () => {
      for (const pattern of ['*', '_all', '.kibana*', '-logs-*', 'remote:logs-*', 'Logs-*', 'logs-*, ', 'a b']) {
        expect({ pattern, code: catchCode(() => checkIndexPattern(pattern)) }).toEqual({ pattern, code: 'bad-index' });
      }
      expect(checkIndexPattern(' logs-* , .alerts-security.alerts-default ')).toBe('logs-*,.alerts-security.alerts-default');
      expect(() => queryChartSource(client, { query: 'x', index: '.security-7' }, ALLOWED)).toThrow(ChartQueryError);
    });
  });

  it('says the cluster is unavailable, not how the connection failed', async () => {
    const unreachable = createElasticsearchClient({ url: 'http://127.0.0.1:9' }, { maxRetries: 0 });
    try {
      const error = await queryChartSource(unreachable, { query: '*:*', index }, ALLOWED).timePoints(activity(UTC_RANGE)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EvidenceUnavailableError);
    } finally {
      await unreachable.close();
    }
  });
});

describe('reading `query "…" [index …] [split …]` from the chart command', () => {
  const words = (text: string): string[] => text.split(/\s+/).filter(Boolean);

  it('takes a quoted query across words and leaves the range words for parseRange', () => {
    expect(readQueryChartWords(words('query "event.action:logon-failed AND host.name:web-01" index logs-* last 7d by 6h split host.name'))).toEqual({
      ok: true,
      spec: { query: 'event.action:logon-failed AND host.name:web-01', index: 'logs-*', split: { field: 'host.name' } },
      otherWords: ['last', '7d', 'by', '6h'],
    });
  });

  it('takes curly quotes from phones, backticks around a query with quotes, and a bare one-word query', () => {
    expect(readQueryChartWords(words('query “user.name:bob”'))).toMatchObject({ ok: true, spec: { query: 'user.name:bob', index: 'logs-*' } });
    expect(readQueryChartWords(words('query `message:"logon failed" AND x` last 24h'))).toMatchObject({ ok: true, spec: { query: 'message:"logon failed" AND x' }, otherWords: ['last', '24h'] });
    expect(readQueryChartWords(words('query tag:phish'))).toMatchObject({ ok: true, spec: { query: 'tag:phish' } });
  });

  it('says what is missing or wrong', () => {
    expect(readQueryChartWords(words('query "never closed'))).toMatchObject({ ok: false, error: expect.stringMatching(/^Expected the query/) });
    expect(readQueryChartWords(words('last 24h'))).toMatchObject({ ok: false, error: expect.stringMatching(/^Give the query/) });
    expect(readQueryChartWords(words('query x index .kibana'))).toMatchObject({ ok: false, error: expect.stringMatching(/hidden and system indices/) });
    expect(readQueryChartWords(words('query x split'))).toMatchObject({ ok: false, error: expect.stringMatching(/field name after `split`/) });
    expect(readQueryChartWords(['query', `"${'x'.repeat(1001)}"`])).toMatchObject({ ok: false, error: 'Queries are at most 1000 characters.' });
  });
});

function catchCode(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof ChartQueryError ? error.code : String(error);
  }
}
