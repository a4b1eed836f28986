/**
 * Case store bench: SQLite and Elasticsearch side by side on the same 100,000-case team. Create, update,
 * the first page of a status filter and a title search, each timed through the CaseStore port. Returns a
 * Markdown section for BENCHMARKS.md.
 *
 *   npx tsx -e "require('./bench/elasticsearch-store').runStoreBench().then(console.log)"
 *
 * Elasticsearch: ELASTICSEARCH_URL when set, otherwise the test node (started and stopped here).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { type Actor, type Attachment, type Case, emptyTotals, SEVERITIES, STATUSES } from '../src/cases/model';
import type { CaseQuery, CaseStore, CaseWrite, UnnumberedCase } from '../src/cases/store';
import { CaseAccess } from '../src/cases/case-access';
import { NudgeWatch } from '../src/cases/nudge-watch';
import type { NudgePolicy } from '../src/cases/nudges';
import { VisibilityPolicy } from '../src/cases/policy';
import type { SlaPolicy } from '../src/cases/sla';
import { SlaWatch } from '../src/cases/sla-watch';
import { createCaseAction } from '../src/cases/user-actions';
import { bulkLoadCases } from '../src/storage/elasticsearch/bulk-load';
import { createElasticsearchClient } from '../src/storage/elasticsearch/client';
import { ElasticsearchCaseStore } from '../src/storage/elasticsearch/elasticsearch-store';
import { allIndices, indexNames } from '../src/storage/elasticsearch/index-names';
import { templateNames } from '../src/storage/elasticsearch/index-templates';
import { SqliteCaseStore } from '../src/storage/sqlite/sqlite-store';
import { ensureElasticsearch, stopElasticsearch } from '../tests/support/elasticsearch-node';
import { ms, ratio, type Summary, summarize } from './stats';

const CASES = 100_000;
const TEAM = 'T0BENCH';
const SAMPLES = 200;
const WARM_UP = 20;
/** A tick reads every open case: fewer samples, each a whole scan. */
const TICK_SAMPLES = 10;
const TICK_WARM_UP = 2;
const SLA_TICK = 'scheduler tick: SLA check of every open case';
const NUDGE_TICK = 'scheduler tick: nudge check of every open case';

const WORDS = ['phishing', 'credential', 'harvest', 'beacon', 'lateral', 'movement', 'ransomware', 'exfiltration', 'brute', 'force',
  'malware', 'dropper', 'powershell', 'suspicious', 'login', 'impossible', 'travel', 'mfa', 'fatigue', 'token', 'theft', 'dns',
  'tunnel', 'c2', 'cobalt', 'strike', 'mimikatz', 'kerberoast', 'vpn', 'anomaly', 'insider', 'data', 'leak', 'o365', 'okta',
  'aws', 'iam', 'escalation', 'persistence', 'webshell'] as const;
const PRIVATE_CHANNELS = ['G0IR', 'G0EXEC', 'G0LEGAL', 'G0HR'];
const analyst: Actor = { userId: 'U0BENCH', teamId: TEAM, name: 'bench' };

interface Row {
  operation: string;
  sqlite: Summary;
  elasticsearch?: Summary;
}

export async function runStoreBench(): Promise<string> {
  const dataset = generateCases(CASES);
  const sqlite = await benchSqlite(dataset);
  const target = await ensureElasticsearch();
  try {
    if ('skipped' in target) return render(sqlite, null, `Elasticsearch not measured: ${target.skipped}.`);
    return render(sqlite, await benchElasticsearch(target.url, dataset), null);
  } finally {
    await stopElasticsearch();
  }
}

interface StoreRun {
  loadSeconds: number;
  rows: Map<string, Summary>;
}

interface ElasticsearchRun extends StoreRun {
  cluster: string;
}

async function benchSqlite(dataset: UnnumberedCase[]): Promise<StoreRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-bench-'));
  const store = new SqliteCaseStore(dir);
  try {
    await store.init();
    const started = performance.now();
    // Through the port, one transaction per case, as the service writes them.
    for (const draft of dataset) await store.createCase(draft, openingWrite(draft));
    const loadSeconds = (performance.now() - started) / 1000;
    return { loadSeconds, rows: await measureOperations(store, SAMPLES) };
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function benchElasticsearch(url: string, dataset: UnnumberedCase[]): Promise<ElasticsearchRun> {
  const prefix = `caseops-bench-${randomUUID().slice(0, 8)}`;
  const admin = createElasticsearchClient({ url }, { requestTimeout: 120_000 });
  const store = new ElasticsearchCaseStore({ client: createElasticsearchClient({ url }), indexPrefix: prefix });
  try {
    await store.init();
    const started = performance.now();
    // The documents createCase writes, built by the store's own document builders (bulk-load.ts).
    await bulkLoadCases(admin, store.indices, dataset.map((draft, index) => ({ case: { ...draft, number: index + 1, version: 1 }, actions: openingWrite(draft).actions ?? [] })));
    const loadSeconds = (performance.now() - started) / 1000;
    const rows = await measureOperations(store, SAMPLES);
    return { loadSeconds, rows, cluster: await describeCluster(admin) };
  } finally {
    await store.close();
    await dropInstallation(admin, prefix);
    await admin.close();
  }
}

/** Deletes the indices and templates of a caseops installation the bench made. */
export async function dropInstallation(admin: Client, prefix: string): Promise<void> {
  const templates = templateNames(prefix);
  await admin.indices.delete({ index: allIndices(indexNames(prefix)), ignore_unavailable: true });
  await admin.indices.deleteIndexTemplate({ name: templates.indexTemplates.join(',') }, { ignore: [404] });
  await admin.cluster.deleteComponentTemplate({ name: templates.componentTemplates.join(',') }, { ignore: [404] });
}

/** "Elasticsearch 8.19.21, 1 node, 512 MB heap": what the figures were measured on. */
export async function describeCluster(client: Client): Promise<string> {
  const nodes = Object.values((await client.nodes.info({ metric: ['jvm'] })).nodes);
  const versions = [...new Set(nodes.map((node) => node.version))].join(', ');
  const heaps = [...new Set(nodes.map((node) => `${Math.round((node.jvm?.mem.heap_max_in_bytes ?? 0) / 1024 ** 2)} MB`))].join(', ');
  return `Elasticsearch ${versions}, ${nodes.length} node${nodes.length === 1 ? '' : 's'}, ${heaps} heap`;
}

/** Latency samples of each operation, after a warm-up, through the CaseStore port. */
async function measureOperations(store: CaseStore, samples: number): Promise<Map<string, Summary>> {
  const rows = await measureWrites(store, samples, WARM_UP);
  const privateChannels = PRIVATE_CHANNELS.slice(0, 2);
  rows.set(
    'first page of open cases (20, visibility filter)',
    await time(samples, WARM_UP, () => store.findCases({ teamId: TEAM, statuses: ['open'], visibleTo: { publicChannels: true, privateChannelIds: privateChannels }, limit: 20 })),
  );
  let query = 0;
  rows.set(
    'title search, first page (20)',
    await time(samples, WARM_UP, () => {
      query += 1;
      const search = `${WORDS[query % WORDS.length]!.slice(0, 4)} ${WORDS[(query * 7) % WORDS.length]!.slice(0, 3)}`;
      return store.findCases({ teamId: TEAM, search, limit: 20 } satisfies CaseQuery);
    }),
  );
  // One tick of each scheduled check over every open and in-progress case (about two thirds of the team), with
  // targets and periods no case reaches: the steady state, where a tick reads and decides but has nothing to write.
  const access = new CaseAccess(store, new VisibilityPolicy({ isMember: async () => false }, []), () => new Date());
  const never = 10 * 365 * 86_400_000;
  const sla = new SlaWatch(access, { targets: Object.fromEntries(SEVERITIES.map((severity) => [severity, { acknowledge: never, resolve: never }])) as SlaPolicy['targets'], warnAt: 0.8 }, analyst);
  const nudges = new NudgeWatch(access, Object.fromEntries(SEVERITIES.map((severity) => [severity, never])) as NudgePolicy, analyst);
  rows.set(SLA_TICK, await time(TICK_SAMPLES, TICK_WARM_UP, () => sla.check(new Date())));
  rows.set(NUDGE_TICK, await time(TICK_SAMPLES, TICK_WARM_UP, () => nudges.check(new Date())));
  return rows;
}

async function measureWrites(store: CaseStore, samples: number, warmUp: number): Promise<Map<string, Summary>> {
  const rows = new Map<string, Summary>();
  const extra = generateCases(samples + warmUp, CASES);
  let next = 0;
  rows.set('create (with its user action)', await time(samples, warmUp, () => store.createCase(extra[next]!, openingWrite(extra[next++]!))));
  let picked = 0;
  rows.set(
    'update (a comment: attachment + user action)',
    await timeWithSetup(samples, warmUp, async () => {
      // A case of the 100,000, read first (not timed), as the service reads before it writes.
      const current = (await store.getCase(TEAM, { number: 1 + ((picked++ * 7919) % CASES) }))!;
      return () => store.updateCase(...comment(current));
    }),
  );
  return rows;
}

async function time(samples: number, warmUp: number, work: () => Promise<unknown>): Promise<Summary> {
  return timeWithSetup(samples, warmUp, async () => work);
}

async function timeWithSetup(samples: number, warmUp: number, prepare: () => Promise<() => Promise<unknown>>): Promise<Summary> {
  const latencies: number[] = [];
  for (let run = 0; run < samples + warmUp; run += 1) {
    const work = await prepare();
    const started = performance.now();
    await work();
    if (run >= warmUp) latencies.push(performance.now() - started);
  }
  return summarize(latencies);
}

function render(sqlite: StoreRun, elasticsearch: ElasticsearchRun | null, note: string | null): string {
  const rows: Row[] = [...sqlite.rows].map(([operation, summary]) => ({ operation, sqlite: summary, elasticsearch: elasticsearch?.rows.get(operation) }));
  const cell = (summary: Summary | undefined) => (summary ? `${ms(summary.median)} | ${ms(summary.p99)}` : '– | –');
  const lines = [
    '## Case stores: SQLite and Elasticsearch',
    '',
    `${CASES.toLocaleString('en')} cases in one team (statuses, severities, tags, assignees and ${PRIVATE_CHANNELS.length} private channels mixed; titles of four words from a ${WORDS.length}-word security vocabulary), each with its create_case user action. ` +
      `Every figure is one call through the CaseStore port, one at a time, ${SAMPLES} samples after ${WARM_UP} warm-up calls; the Elasticsearch store as configured in production: writes wait for no refresh, and each search first makes the team's last changes searchable if they are not yet (change markers). ` +
      `The scheduler ticks (${TICK_SAMPLES} samples after ${TICK_WARM_UP}) are one run of each job as a replica runs it: a scan of every open and in-progress case, page by page, and the decision for each; with targets and periods no case reaches, so they show the steady state (a threshold crossed adds one conditional case write and its outbox effects).`,
    '',
    '| operation | SQLite p50 | SQLite p99 | Elasticsearch p50 | Elasticsearch p99 | ES/SQLite (p50) |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((row) => `| ${row.operation} | ${cell(row.sqlite)} | ${cell(row.elasticsearch)} | ${row.elasticsearch ? ratio(row.elasticsearch.median, row.sqlite.median) : '–'} |`),
  ];
  if (elasticsearch) {
    lines.push(
      '',
      `- ${elasticsearch.cluster}; caseops' indices have 1 shard each.`,
      `- Loading: SQLite through \`createCase\`, one transaction per case, ${sqlite.loadSeconds.toFixed(1)} s. ` +
        `Elasticsearch by the bulk API (src/storage/elasticsearch/bulk-load.ts): the case documents and user actions \`createCase\` writes, built by the store's own document builders, and the team counter set to ${CASES.toLocaleString('en')}; ${elasticsearch.loadSeconds.toFixed(1)} s. ` +
        'Creating them one by one through the port would measure the create row above 100,000 times.',
    );
  } else {
    lines.push(
      '',
      `- Loading: SQLite through \`createCase\`, one transaction per case, ${sqlite.loadSeconds.toFixed(1)} s.`,
    );
  }
  if (note) lines.push(`- ${note}`);
  return lines.join('\n');
}

/** `count` cases of the bench team, deterministic, numbered from `from`, activity spread over a year. */
function generateCases(count: number, from = 0): UnnumberedCase[] {
  const yearStart = Date.parse('2026-01-01T00:00:00Z');
  return Array.from({ length: count }, (_, offset) => {
    const index = from + offset;
    const pick = <T>(values: readonly T[], salt: number): T => values[(index * salt + (index >> 3)) % values.length]!;
    const createdAt = new Date(yearStart + index * 300_000).toISOString();
    const isPrivate = index % 10 === 0;
    return {
      id: randomUUID(),
      teamId: TEAM,
      title: `${pick(WORDS, 3)} ${pick(WORDS, 7)} ${pick(WORDS, 11)} ${pick(WORDS, 13)} on host-${index % 997}`,
      description: '',
      status: pick(STATUSES, 5),
      severity: pick(SEVERITIES, 3),
      tags: [pick(WORDS, 17), pick(WORDS, 19)],
      assignees: index % 3 === 0 ? [`U0ANALYST${index % 25}`] : [],
      owner: 'securitySolution',
      settings: { syncAlerts: true },
      createdAt,
      createdBy: analyst,
      updatedAt: index % 4 === 0 ? new Date(Date.parse(createdAt) + 3_600_000).toISOString() : null,
      updatedBy: index % 4 === 0 ? analyst : null,
      closedAt: null,
      closedBy: null,
      duration: null,
      origin: { teamId: TEAM, channelId: isPrivate ? pick(PRIVATE_CHANNELS, 1) : `C0PUBLIC${index % 50}`, isPrivate },
      totals: emptyTotals(),
    };
  });
}

function openingWrite(draft: UnnumberedCase): CaseWrite {
  return { actions: [createCaseAction(draft, analyst, draft.createdAt)] };
}

function comment(current: Case): [Case, number, CaseWrite] {
  const at = new Date().toISOString();
  const attachment: Attachment = {
    id: randomUUID(),
    caseId: current.id,
    type: 'user',
    data: { comment: 'bench comment' },
    createdAt: at,
    createdBy: analyst,
    updatedAt: null,
    updatedBy: null,
    owner: current.owner,
  };
  const action = {
    id: randomUUID(),
    caseId: current.id,
    type: 'comment' as const,
    action: 'create' as const,
    payload: { comment: { type: 'user', comment: 'bench comment' } },
    attachmentId: attachment.id,
    createdAt: at,
    createdBy: analyst,
    owner: current.owner,
  };
  const next: Case = { ...current, totals: { ...current.totals, user: current.totals.user + 1 }, updatedAt: at, updatedBy: analyst };
  return [next, current.version, { actions: [action], addAttachments: [attachment] }];
}
