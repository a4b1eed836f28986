/**
 * Kibana export from each store: the 1,000 cases of the Kibana bench (10,000 saved objects) imported into SQLite
 * and into Elasticsearch through the product's import, then exported the way `/case export` does (CaseTransfer,
 * written by writeNdjsonFile), next to a baseline measured in the same run: the same export reading each case's
 * attachments and user actions with their own requests (listAttachments, listUserActions), as exports did before
 * CaseStore.listChildren. Returns a Markdown section for BENCHMARKS.md.
 *
 *   npm run bench -- export
 *
 * Elasticsearch: ELASTICSEARCH_URL when set, otherwise the test node (started and stopped here).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Actor } from '../src/cases/model';
import { VisibilityPolicy } from '../src/cases/policy';
import { CaseService } from '../src/cases/service';
import type { CaseStore } from '../src/cases/store';
import { CaseTransfer, importIntoStore } from '../src/kibana/case-transfer';
import type { CaseExportInput } from '../src/kibana/export/case-objects';
import { exportLines } from '../src/kibana/export/export-stream';
import { writeNdjsonFile } from '../src/slack/files';
import { DEFAULT_KIBANA_TARGET } from '../src/kibana/export/versions';
import { DEFAULT_IMPORT_LIMITS } from '../src/kibana/import/parse';
import { createElasticsearchClient } from '../src/storage/elasticsearch/client';
import { ElasticsearchCaseStore } from '../src/storage/elasticsearch/elasticsearch-store';
import { SqliteCaseStore } from '../src/storage/sqlite/sqlite-store';
import { ensureElasticsearch, stopElasticsearch } from '../tests/support/elasticsearch-node';
import { describeCluster, dropInstallation } from './elasticsearch-store';
import { downloaded, syntheticExportFile } from './kibana';

const CASES = 1_000;
const TEAM = 'T0BENCH';
const ADMIN: Actor = { userId: 'U0ADMIN', teamId: TEAM };
/** Timed exports of each way, alternating, after one untimed export of each; the best is kept. */
const RUNS = 5;

interface StoreExport {
  objects: number;
  megabytes: number;
  /** Best of RUNS, seconds. */
  batched: number;
  perCase: number;
}

export async function runKibanaStoresBench(): Promise<string> {
  const file = await syntheticExportFile(CASES);
  const sqlite = await withSqlite((store) => measure(store, file));
  const target = await ensureElasticsearch();
  try {
    if ('skipped' in target) return render([['SQLite', sqlite]], `Elasticsearch not measured: ${target.skipped}.`);
    const admin = createElasticsearchClient({ url: target.url });
    const prefix = `caseops-bench-${randomUUID().slice(0, 8)}`;
    const store = new ElasticsearchCaseStore({ client: createElasticsearchClient({ url: target.url }), indexPrefix: prefix });
    try {
      await store.init();
      const elasticsearch = await measure(store, file);
      return render([['SQLite', sqlite], ['Elasticsearch', elasticsearch]], await describeCluster(admin));
    } finally {
      await store.close();
      await dropInstallation(admin, prefix);
      await admin.close();
    }
  } finally {
    await stopElasticsearch();
  }
}

async function withSqlite<T>(work: (store: SqliteCaseStore) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-bench-'));
  const store = new SqliteCaseStore(dir);
  try {
    await store.init();
    return await work(store);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Imports the file into the store, then times its export both ways. */
async function measure(store: CaseStore, file: Buffer): Promise<StoreExport> {
  const origin = { teamId: TEAM, channelId: 'C0IMPORT', isPrivate: false };
  const imported = await importIntoStore(store, downloaded(file), { teamId: TEAM, origin, mode: 'stop-on-conflict', limits: { ...DEFAULT_IMPORT_LIMITS, maxObjects: 11 * CASES, maxBytes: 2 * file.length } });
  if (imported.written.length !== CASES) throw new Error(`imported ${imported.written.length} of ${CASES} cases: ${imported.failed[0]?.reason ?? ''}`);
  const service = new CaseService(store, new VisibilityPolicy({ isMember: async () => true }, [ADMIN.userId]), { owner: 'securitySolution' });
  const transfer = new CaseTransfer(service, store, { exportVersion: DEFAULT_KIBANA_TARGET, profileUids: new Map(), importLimits: DEFAULT_IMPORT_LIMITS });
  const ways = {
    batched: () => transfer.exportLines(ADMIN, { kind: 'all' }),
    perCase: () => exportLines(readCaseByCase(service, store), { target: DEFAULT_KIBANA_TARGET }),
  };
  const best = { batched: Number.POSITIVE_INFINITY, perCase: Number.POSITIVE_INFINITY };
  let written = { objects: 0, megabytes: 0 };
  for (let run = 0; run <= RUNS; run += 1) {
    for (const way of ['perCase', 'batched'] as const) {
      const timed = await timeExport(ways[way]());
      if (run > 0) best[way] = Math.min(best[way], timed.seconds);
      written = timed;
    }
  }
  return { ...written, ...best };
}

/** The baseline: every case's attachments and user actions read with their own requests. */
async function* readCaseByCase(service: CaseService, store: CaseStore): AsyncGenerator<CaseExportInput> {
  for await (const page of service.scanCases(ADMIN, {})) {
    for (const theCase of page) {
      const [attachments, userActions] = await Promise.all([
        store.listAttachments(theCase.id, { limit: 100_000 }),
        store.listUserActions(theCase.id, { limit: 10_000 }),
      ]);
      yield { case: theCase, attachments, userActions };
    }
  }
}

async function timeExport(lines: AsyncIterable<string>): Promise<{ seconds: number; objects: number; megabytes: number }> {
  const file = path.join(os.tmpdir(), `caseops-bench-export-${process.pid}.ndjson`);
  let objects = -1; // the summary line is not an object
  async function* counted() {
    for await (const line of lines) {
      objects += 1;
      yield line;
    }
  }
  const started = performance.now();
  await writeNdjsonFile(counted(), file);
  const seconds = (performance.now() - started) / 1000;
  const megabytes = fs.statSync(file).size / 1024 / 1024;
  fs.rmSync(file);
  return { seconds, objects, megabytes };
}

function render(stores: [string, StoreExport][], cluster: string): string {
  const rows = stores.map(
    ([name, run]) =>
      `| ${name} | ${run.objects.toLocaleString('en-US')} | ${run.perCase.toFixed(2)} s | ${run.batched.toFixed(2)} s | ${Math.round(run.objects / run.batched).toLocaleString('en-US')} | ${(run.perCase / run.batched).toFixed(1)}× |`,
  );
  return [
    '## Kibana export from the stores',
    '',
    `${CASES.toLocaleString('en-US')} cases of the Kibana bench (10 saved objects each) imported into each store through the product's import, ` +
      'then exported as `/case export` does (`CaseTransfer.exportLines`, written to a file by `writeNdjsonFile`). The baseline, measured ' +
      'in the same run, is the same export reading each case\'s attachments and user actions with their own requests, as exports did before ' +
      `\`CaseStore.listChildren\`. The two alternate in one process, after one untimed export of each; best of ${RUNS}. ${cluster}.`,
    '',
    '| store | objects | case by case | in batches (now) | objects/s | speed-up |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
