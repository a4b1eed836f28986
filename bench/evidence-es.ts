/**
 * Elasticsearch evidence bench: a query chart over a 1,000,000-document index (the aggregation, the adapter into
 * the chart pipeline, the local PNG render) and the latency of indexing attached Slack messages into the data
 * stream. Returns a Markdown section for BENCHMARKS.md.
 *
 *   npx tsx -e "require('./bench/evidence-es').runEvidenceBench().then(console.log)"
 *
 * Elasticsearch: ELASTICSEARCH_URL when set, otherwise the test node (started and stopped here).
 */
import { randomBytes } from 'node:crypto';

import type { Client } from '@elastic/elasticsearch';

import type { MessageSnapshot } from '../src/cases/attachments';
import { type ActivityChartSpec, describeActivity } from '../src/charts/pipeline';
import type { ChartRange } from '../src/charts/range';
import { createChartRenderer } from '../src/charts/choose-renderer';
import { IndexAllowList } from '../src/evidence-es/index-patterns';
import { queryChartSource, type QueryChartSpec } from '../src/evidence-es/query-chart-source';
import { indexSlackMessage, updateSlackMessage } from '../src/evidence-es/slack-events';
import { installSlackEventsTemplate } from '../src/evidence-es/slack-events-template';
import { createElasticsearchClient } from '../src/storage/elasticsearch/client';
import { ensureElasticsearch, stopElasticsearch } from '../tests/support/elasticsearch-node';
import { ms, type Summary, summarize } from './stats';

const DOCUMENTS = 1_000_000;
const DAYS = 30;
const RANGE_END = Date.parse('2025-03-31T00:00:00Z');
const RANGE_START = RANGE_END - DAYS * 86_400_000;
const HOSTS = 200;
/** event.action values and their shares of the documents. */
const ACTIONS: ReadonlyArray<readonly [string, number]> = [
  ['logon-success', 0.55],
  ['logon-failed', 0.2],
  ['process-started', 0.15],
  ['file-created', 0.07],
  ['dns-query', 0.03],
];
const CHART_SAMPLES = 20;
const CHART_WARM_UP = 3;
const MESSAGES = 300;
const MESSAGE_WARM_UP = 20;

interface ChartCase {
  readonly name: string;
  readonly spec: QueryChartSpec;
  readonly range: ChartRange;
}

interface ChartTimings {
  readonly name: string;
  readonly documents: number;
  readonly aggregation: Summary;
  readonly adapter: Summary;
  readonly render: Summary;
  readonly pngKb: number;
}

export async function runEvidenceBench(): Promise<string> {
  const target = await ensureElasticsearch();
  if ('skipped' in target) return `## Elasticsearch evidence\n\nNot measured: ${target.skipped}.`;
  const client = createElasticsearchClient({ url: target.url }, { requestTimeout: 120_000 });
  const index = `caseops-bench-evidence-${randomBytes(4).toString('hex')}`;
  try {
    const loadSeconds = await loadDocuments(client, index);
    const charts = [];
    for (const chart of chartCases(index)) charts.push(await timeChart(client, chart));
    const indexing = await timeIndexing(client);
    return render({ cluster: await describeCluster(client), loadSeconds, storeMb: await storeMb(client, index), charts, indexing });
  } finally {
    await client.indices.delete({ index, ignore_unavailable: true });
    await client.close();
    await stopElasticsearch();
  }
}

function chartCases(index: string): ChartCase[] {
  const month: ChartRange = { from: new Date(RANGE_START).toISOString(), to: new Date(RANGE_END).toISOString(), bucket: { count: 6, unit: 'h' }, timeZone: 'UTC' };
  return [
    { name: '`event.action:logon-failed`, 30 days by 6h, split host.name (top 5 + other)', spec: { query: 'event.action:logon-failed', index, split: { field: 'host.name', size: 5 } }, range: month },
    { name: '`*:*` (every document), 30 days by 1d', spec: { query: '*:*', index }, range: { ...month, bucket: { count: 1, unit: 'd' } } },
    { name: '`event.action:dns-query`, 30 days by 6h, Europe/Paris', spec: { query: 'event.action:dns-query', index }, range: { ...month, timeZone: 'Europe/Paris' } },
  ];
}

/** Bulk-loads the documents with the client's bulk helper (parallel requests, retried on 429) and no refresh meanwhile. */
async function loadDocuments(client: Client, index: string): Promise<number> {
  await client.indices.create({
    index,
    settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: '-1' },
    mappings: { properties: { '@timestamp': { type: 'date' }, event: { properties: { action: { type: 'keyword' } } }, host: { properties: { name: { type: 'keyword' } } } } },
  });
  const random = seededRandom(42);
  const started = performance.now();
  const result = await client.helpers.bulk({
    datasource: generateDocuments(DOCUMENTS, random),
    onDocument: () => ({ create: { _index: index } }),
    flushBytes: 5_000_000,
    concurrency: 3,
    refreshOnCompletion: index,
  });
  if (result.failed > 0) throw new Error(`${result.failed} of ${result.total} documents failed to load`);
  return (performance.now() - started) / 1000;
}

async function* generateDocuments(count: number, random: () => number): AsyncGenerator<Record<string, unknown>> {
  for (let n = 0; n < count; n += 1) {
    // Hosts with a long tail: a few busy servers, many quiet laptops.
    const host = `host-${String(Math.floor(HOSTS * random() ** 3)).padStart(3, '0')}`;
    yield { '@timestamp': new Date(RANGE_START + Math.floor(random() * (RANGE_END - RANGE_START))).toISOString(), event: { action: pick(random()) }, host: { name: host } };
  }
}

function pick(roll: number): string {
  let cumulative = 0;
  for (const [action, share] of ACTIONS) {
    cumulative += share;
    if (roll < cumulative) return action;
  }
  return ACTIONS[ACTIONS.length - 1]?.[0] ?? 'other';
}

/** mulberry32: a small, fast, seeded generator, so every run charts the same data. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function timeChart(client: Client, chart: ChartCase): Promise<ChartTimings> {
  const renderer = createChartRenderer({ renderer: 'local' }, { warn: () => undefined, info: () => undefined });
  const spec: ActivityChartSpec = { kind: 'activity', title: 'Bench', range: chart.range, noun: 'events' };
  const source = queryChartSource(client, chart.spec, { allowedIndices: new IndexAllowList([chart.spec.index]) });
  const aggregation: number[] = [];
  const adapter: number[] = [];
  const rendering: number[] = [];
  let documents = 0;
  let pngBytes = 0;
  for (let run = 0; run < CHART_WARM_UP + CHART_SAMPLES; run += 1) {
    const t0 = performance.now();
    const points = await source.timePoints(spec);
    const t1 = performance.now();
    const described = describeActivity(spec, points);
    const t2 = performance.now();
    const png = await renderer.render(described.config);
    const t3 = performance.now();
    if (run < CHART_WARM_UP) continue;
    aggregation.push(t1 - t0);
    adapter.push(t2 - t1);
    rendering.push(t3 - t2);
    pngBytes = png.length;
    documents = described.config.data.datasets.reduce((sum, dataset) => sum + (dataset.data as number[]).reduce((a, b) => a + b, 0), 0);
  }
  return { name: chart.name, documents, aggregation: summarize(aggregation), adapter: summarize(adapter), render: summarize(rendering), pngKb: pngBytes / 1024 };
}

interface IndexingTimings {
  readonly first: Summary;
  readonly again: Summary;
  readonly edit: Summary;
}

/** Attach-time work per message, as a Slack user waits for it: refresh=false, one message at a time. */
async function timeIndexing(client: Client): Promise<IndexingTimings> {
  await installSlackEventsTemplate(client);
  const namespace = `bench${randomBytes(4).toString('hex')}`;
  const messages = Array.from({ length: MESSAGE_WARM_UP + MESSAGES }, (_, n) => benchMessage(n));
  const first: number[] = [];
  const refs = [];
  for (const [n, message] of messages.entries()) {
    const started = performance.now();
    refs.push(await indexSlackMessage(client, message, { namespace, caseIds: ['bench-case'] }));
    if (n >= MESSAGE_WARM_UP) first.push(performance.now() - started);
  }
  await client.indices.refresh({ index: `logs-caseops.slack-${namespace}` });
  const again: number[] = [];
  const edit: number[] = [];
  for (const [n, message] of messages.entries()) {
    const t0 = performance.now();
    const ref = await indexSlackMessage(client, message, { namespace, caseIds: ['bench-case'] });
    const t1 = performance.now();
    await updateSlackMessage(client, ref, { ...message, text: `${message.text} (edited)`, edited: true, originalText: message.text });
    const t2 = performance.now();
    if (n >= MESSAGE_WARM_UP) {
      again.push(t1 - t0);
      edit.push(t2 - t1);
    }
  }
  return { first: summarize(first), again: summarize(again), edit: summarize(edit) };
}

function benchMessage(n: number): MessageSnapshot {
  return {
    teamId: 'T0BENCH',
    channel: { id: 'C0BENCH', name: 'soc-bench', isPrivate: false },
    ts: `${1_764_000_000 + n}.000100`,
    author: { id: 'U0BENCH', name: 'bench' },
    text: `Host 10.0.${n % 250}.${n % 200} beaconing to 203.0.113.${n % 250} and evil-${n}.example, dropper sha256 ${'ab'.repeat(32)}`,
    permalink: `https://bench.slack.com/archives/C0BENCH/p${1_764_000_000 + n}000100`,
    files: [],
    edited: false,
  };
}

async function describeCluster(client: Client): Promise<string> {
  const nodes = Object.values((await client.nodes.info({ metric: ['jvm'] })).nodes);
  const heap = nodes.map((node) => `${Math.round((node.jvm?.mem.heap_max_in_bytes ?? 0) / 1024 ** 2)} MB heap`).join(', ');
  return `Elasticsearch ${nodes[0]?.version ?? '?'}, ${nodes.length} node${nodes.length === 1 ? '' : 's'} (${heap})`;
}

async function storeMb(client: Client, index: string): Promise<number> {
  const stats = await client.indices.stats({ index, metric: ['store'] });
  return (stats._all.primaries?.store?.size_in_bytes ?? 0) / 1024 ** 2;
}

interface Results {
  readonly cluster: string;
  readonly loadSeconds: number;
  readonly storeMb: number;
  readonly charts: readonly ChartTimings[];
  readonly indexing: IndexingTimings;
}

function render(results: Results): string {
  const cell = (summary: Summary): string => `${ms(summary.median)} / ${ms(summary.p99)}`;
  return [
    '## Elasticsearch evidence: query charts and Slack message indexing',
    '',
    `${DOCUMENTS.toLocaleString('en')} documents (\`@timestamp\` uniform over ${DAYS} days, \`event.action\` from ${ACTIONS.length} values, \`host.name\` from ${HOSTS} hosts with a long tail) ` +
      `in one index (1 shard, ${results.storeMb.toFixed(0)} MB), bulk-loaded in ${results.loadSeconds.toFixed(1)} s ` +
      `(${Math.round(DOCUMENTS / results.loadSeconds).toLocaleString('en')} documents/s, the client's bulk helper, 3 requests in flight). ${results.cluster}.`,
    '',
    `Per chart, ${CHART_SAMPLES} runs after ${CHART_WARM_UP} warm-up, median / p99: the search (one request: \`size: 0\`, the time grid aggregation and the split), ` +
      'the adapter into the chart pipeline (one TimePoint per bucket and series, carrying its count, then countByBucket and the Chart.js configuration), and the local PNG render (800×400 @2×).',
    '',
    '| chart | documents counted | search | adapter + bucketing | render | PNG |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...results.charts.map((chart) => `| ${chart.name} | ${chart.documents.toLocaleString('en')} | ${cell(chart.aggregation)} | ${cell(chart.adapter)} | ${cell(chart.render)} | ${chart.pngKb.toFixed(0)} KB |`),
    '',
    `Indexing an attached Slack message into \`logs-caseops.slack-<namespace>\` (ECS document with indicators; refresh=false), ${MESSAGES} messages after ${MESSAGE_WARM_UP} warm-up, one at a time, median / p99:`,
    '',
    '| operation | latency |',
    '| --- | ---: |',
    `| first attach (search for the id, then create) | ${cell(results.indexing.first)} |`,
    `| attach again, same case (search finds it, nothing written) | ${cell(results.indexing.again)} |`,
    `| edit (real-time get, then index on the backing index with if_seq_no) | ${cell(results.indexing.edit)} |`,
  ].join('\n');
}
