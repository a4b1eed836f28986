/**
 * caseops end to end on each store: the same app (`src/main.ts`, in its own process) once on SQLite and once on
 * Elasticsearch, driven over HTTP with signed requests against the Slack emulator. Times what a responder waits
 * for: from `/case new` to the card in the channel, and from a card's status menu to the card edited.
 *
 * Elasticsearch: ELASTICSEARCH_URL when set, otherwise the test node (started and stopped here).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createElasticsearchClient } from '../src/storage/elasticsearch/client';
import { ensureElasticsearch, stopElasticsearch } from '../tests/support/elasticsearch-node';
import { BOT_TOKEN, SIGNING_SECRET } from '../tests/support/harness';
import { SlackDriver } from '../tests/support/slack-driver';
import { SlackEmulator } from '../tests/support/slack-emulator';
import { startAppProcess } from './app-process';
import { describeCluster, dropInstallation } from './elasticsearch-store';
import { buttonToUpdate, commandToCard } from './http';
import { ms, ratio, type Summary, summarize } from './stats';
import { startWorkerSend } from './worker-send';

const SAMPLES = 200;
/** The apps take turns this many times, SAMPLES / ROUNDS samples of each path at a time. */
const ROUNDS = 10;
/** Untimed first round: JIT, connection pools, index creation. */
const WARM_UP = 20;
const TARGET_P95_MS = 150;
const TARGET_RATIO = 3;

/**
 * Where the Elasticsearch time goes, read from a logging proxy between caseops and the node during this bench's
 * paths (a fact of the protocol, not of one run: it changes only when the store's round trips do, and
 * tests/e2e/elasticsearch-round-trips.test.ts counts them the same way).
 */
const WHERE_THE_TIME_GOES = [
  'Where the Elasticsearch time goes: round trips (1–5 ms each on this machine, loopback), where SQLite runs a few statements in one transaction. tests/e2e/elasticsearch-round-trips.test.ts pins their number.',
  'Between `/case new` and the card, caseops makes 8 Elasticsearch requests in at most 3 steps one after another: stage the create_case action and the card effect while the next number is written (conditional on the counter as this replica last wrote it; handed back if the creation does not commit) and the dispatcher takes the stream lease (the write was announced to it); create the case document (op_type=create: the commit, refused if anything holds the id, so there is no claim and no read first); then, as the commit is acknowledged, one bulk request that finalises the action, records the number and moves the change markers, beside recording the attempt (from the effect as it was staged: no read of the effect chain, no renewal right after taking the lease) and reading the case for the card.',
  'A card edit makes 10 requests in at most 4 steps: read the case; stage the user action and the edit and thread-line effects while the lease is taken; commit; then finalise and mark beside recording the attempt, reading the case and reading by id whether its lanes gave up on anything (the card says what Slack did not take; only a lane that did is searched).',
  'Each of these steps is one the commit-point protocol or the outbox lease needs on a store without transactions (staging before the commit point, the conditional commit, an attempt recorded before Slack is called); SQLite takes a few milliseconds in all, so the ratio between the two moves a lot from run to run.',
].join(' ');

interface StoreTimes {
  card: Summary;
  edit: Summary;
}

/** caseops running on one store, with the driver that sends it Slack's requests. */
interface RunningApp {
  driver: SlackDriver;
  stop(): Promise<void>;
}

/** Starts caseops with `env` added and warms it up. */
async function start(emulator: SlackEmulator, env: Record<string, string>): Promise<RunningApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-bench-'));
  const sender = startWorkerSend();
  const stop = async () => {
    await sender.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const app = await startAppProcess(
      'src/main.ts',
      { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: emulator.apiUrl, PORT: '0', CASEOPS_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
      /"port":(\d+),[^\n]*caseops is listening/,
    );
    const driver = new SlackDriver({ appUrl: app.url, signingSecret: SIGNING_SECRET, emulator, send: sender.send });
    await commandToCard(emulator, driver, WARM_UP);
    await buttonToUpdate(emulator, driver, WARM_UP);
    return {
      driver,
      stop: async () => {
        await app.stop();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Times both paths on each app, the apps taking turns a round at a time: whatever else the machine does while the
 * bench runs falls on both stores alike, so their ratio is measured under the same conditions.
 */
async function measure(emulator: SlackEmulator, apps: RunningApp[]): Promise<StoreTimes[]> {
  const samples = apps.map(() => ({ card: [] as number[], edit: [] as number[] }));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [index, app] of apps.entries()) {
      samples[index]!.card.push(...(await commandToCard(emulator, app.driver, SAMPLES / ROUNDS)));
      samples[index]!.edit.push(...(await buttonToUpdate(emulator, app.driver, SAMPLES / ROUNDS)));
    }
  }
  return samples.map((times) => ({ card: summarize(times.card), edit: summarize(times.edit) }));
}

export async function runEndToEndBench(): Promise<string> {
  const target = await ensureElasticsearch();
  const emulator = await SlackEmulator.start({ botToken: BOT_TOKEN });
  const apps: RunningApp[] = [];
  try {
    apps.push(await start(emulator, { CASEOPS_STORE: 'sqlite' }));
    if ('skipped' in target) {
      const [sqlite] = await measure(emulator, apps);
      return render(sqlite!, null, `Elasticsearch not measured: ${target.skipped}.`);
    }
    const prefix = `caseops-bench-e2e-${randomUUID().slice(0, 8)}`;
    const admin = createElasticsearchClient({ url: target.url });
    try {
      apps.push(await start(emulator, { CASEOPS_STORE: 'elasticsearch', ELASTICSEARCH_URL: target.url, CASEOPS_INDEX_PREFIX: prefix }));
      const [sqlite, elasticsearch] = await measure(emulator, apps);
      const cluster = await describeCluster(admin);
      return render(sqlite!, elasticsearch!, `${cluster}; the store writes without waiting for a refresh and makes its searches current with change markers (src/storage/elasticsearch/change-markers.ts).`);
    } finally {
      await Promise.all(apps.splice(0).map((app) => app.stop()));
      await dropInstallation(admin, prefix);
      await admin.close();
    }
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
    await emulator.stop();
    await stopElasticsearch();
  }
}

function render(sqlite: StoreTimes, elasticsearch: StoreTimes | null, note: string): string {
  const times = (summary: Summary) => `${ms(summary.median)} / ${ms(summary.p95)}`;
  const row = (name: string, pick: (run: StoreTimes) => Summary) => {
    const es = elasticsearch && pick(elasticsearch);
    const ratios = es ? `${ratio(es.median, pick(sqlite).median)} / ${ratio(es.p95, pick(sqlite).p95)}` : '–';
    return `| ${name} | ${times(pick(sqlite))} | ${es ? times(es) : '–'} | ${ratios} |`;
  };
  return [
    '## End to end on each store: command → card, card button → card edit',
    '',
    `caseops (\`src/main.ts\`) in its own process, once per store, both running at once and driven over HTTP with signed requests from a worker thread; the bench plays Slack's Web API (the test emulator). ${SAMPLES} samples of each path after ${WARM_UP} warm-up rounds, the two apps taking turns every ${SAMPLES / ROUNDS} samples, so that what else the machine does falls on both stores alike. *Command → card*: from sending \`/case new …\` to the emulator receiving the card's \`chat.postMessage\`. *Button → edit*: from a status-menu choice on the card to the emulator receiving its \`chat.update\`. Goal (issue 14): Elasticsearch p95 < ${TARGET_P95_MS} ms and at most ${TARGET_RATIO}× SQLite.`,
    '',
    '| path | SQLite p50 / p95 | Elasticsearch p50 / p95 | Elasticsearch / SQLite (p50 / p95) |',
    '| --- | --- | --- | --- |',
    row('`/case new` → card posted', (run) => run.card),
    row('card status menu → card edited', (run) => run.edit),
    '',
    `- ${note}`,
    `- ${WHERE_THE_TIME_GOES}`,
  ].join('\n');
}
