/**
 * The outbox's dispatcher draining a backlog: 1,000 effects (100 cards, 450 card edits, 450 thread lines) left due
 * in the store, as after a Slack outage or a restart, delivered by caseops in its own process to the Slack emulator.
 * Baseline in the same run: the same number of plain chat.postMessage calls from one Web API client, 8 at a time
 * (what the emulator and the machine can take at all).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { webApi } from '@slack/bolt';
import { VisibilityPolicy } from '../src/cases/policy';
import { CaseService } from '../src/cases/service';
import type { CaseStore } from '../src/cases/store';
import { createElasticsearchClient } from '../src/storage/elasticsearch/client';
import { ElasticsearchCaseStore } from '../src/storage/elasticsearch/elasticsearch-store';
import { SqliteCaseStore } from '../src/storage/sqlite/sqlite-store';
import { BOT_TOKEN, SIGNING_SECRET } from '../tests/support/harness';
import { SlackEmulator } from '../tests/support/slack-emulator';
import { ensureElasticsearch, stopElasticsearch } from '../tests/support/elasticsearch-node';
import { startAppProcess } from './app-process';
import { dropInstallation } from './elasticsearch-store';

const CASES = 100;
const COMMENTS = 450;
/** A card per case, and a card edit and a thread line per comment. */
const EFFECTS = CASES + 2 * COMMENTS;
const POSTS = CASES + COMMENTS;
const CONCURRENCY = 8;

/** Records the backlog through the case service, with no dispatcher running: every effect stays due. Returns the case ids. */
async function seed(store: CaseStore): Promise<string[]> {
  const service = new CaseService(store, new VisibilityPolicy({ isMember: async () => true }, []), { owner: 'securitySolution' });
  const actor = { userId: 'U0ALICE', teamId: 'T0001' };
  const ids: string[] = [];
  for (let index = 0; index < CASES; index += 1) {
    ids.push((await service.openCase(actor, { title: `Backlog case ${index}`, severity: 'medium' }, { teamId: 'T0001', channelId: 'C0PUBLIC', isPrivate: false })).case.id);
  }
  for (let index = 0; index < COMMENTS; index += 1) await service.addComment(actor, { id: ids[index % CASES]! }, `note ${index}`);
  return ids;
}

/** Effects of these cases not yet delivered (read in real time on both stores). */
async function effectsDue(store: CaseStore, caseIds: string[]): Promise<number> {
  let due = 0;
  for (const id of caseIds) due += (await store.outbox.listEffects(id)).filter((effect) => effect.state === 'due').length;
  return due;
}

/** Seconds from the app listening to the store holding no due effect. */
async function drain(emulator: SlackEmulator, store: CaseStore, env: Record<string, string>): Promise<number> {
  const caseIds = await seed(store);
  const seeded = await effectsDue(store, caseIds);
  if (seeded !== EFFECTS) throw new Error(`seeded ${seeded} effects, expected ${EFFECTS}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-bench-outbox-'));
  const started = Date.now();
  const app = await startAppProcess(
    'src/main.ts',
    { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: emulator.apiUrl, PORT: '0', CASEOPS_DATA_DIR: dataDir, LOG_LEVEL: 'info', CASEOPS_OUTBOX_POLL_MS: '200', ...env },
    /"port":(\d+),[^\n]*caseops is listening/,
  );
  try {
    const listening = Date.now();
    while (emulator.callsTo('chat.postMessage').length < POSTS) {
      if (Date.now() - started > 300_000) throw new Error('the backlog was not delivered within 5 minutes');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seconds = (Date.now() - listening) / 1000;
    // The last post is out; its settlement follows within moments.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const left = await effectsDue(store, caseIds);
    if (left > 0) throw new Error(`${left} effects still due after every post`);
    return seconds;
  } finally {
    await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The floor: as many chat.postMessage calls as the backlog makes, straight from one client. */
async function floor(emulator: SlackEmulator): Promise<number> {
  const client = new webApi.WebClient(BOT_TOKEN, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } });
  const started = Date.now();
  let next = 0;
  const posts = POSTS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < posts) {
        next += 1;
        await client.chat.postMessage({ channel: 'C0PUBLIC', text: `floor ${next}` });
      }
    }),
  );
  return (Date.now() - started) / 1000;
}

export async function runOutboxBench(): Promise<string> {
  const rows: string[] = [];
  const floorEmulator = await SlackEmulator.start({ botToken: BOT_TOKEN });
  const floorSeconds = await floor(floorEmulator).finally(() => floorEmulator.stop());
  const posts = POSTS;
  rows.push(`| floor: ${posts} chat.postMessage calls, ${CONCURRENCY} at a time, one client | ${floorSeconds.toFixed(2)} s | ${Math.round(posts / floorSeconds)} posts/s | 1.00× |`);

  const sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-bench-outbox-store-'));
  const sqlite = new SqliteCaseStore(sqliteDir);
  await sqlite.init();
  const sqliteEmulator = await SlackEmulator.start({ botToken: BOT_TOKEN });
  try {
    const seconds = await drain(sqliteEmulator, sqlite, { CASEOPS_STORE: 'sqlite', CASEOPS_DATA_DIR: sqliteDir });
    rows.push(`| SQLite: ${EFFECTS} effects due at start-up (${posts} posts + ${EFFECTS - posts} card edits) | ${seconds.toFixed(2)} s | ${Math.round(EFFECTS / seconds)} effects/s | ${(seconds / floorSeconds).toFixed(2)}× |`);
  } finally {
    await sqlite.close();
    await sqliteEmulator.stop();
    fs.rmSync(sqliteDir, { recursive: true, force: true });
  }

  const target = await ensureElasticsearch();
  if (!('skipped' in target)) {
    const prefix = `caseops-bench-outbox-${randomUUID().slice(0, 8)}`;
    const store = new ElasticsearchCaseStore({ client: createElasticsearchClient({ url: target.url }), indexPrefix: prefix });
    await store.init();
    const emulator = await SlackEmulator.start({ botToken: BOT_TOKEN });
    const admin = createElasticsearchClient({ url: target.url });
    try {
      const seconds = await drain(emulator, store, { CASEOPS_STORE: 'elasticsearch', ELASTICSEARCH_URL: target.url, CASEOPS_INDEX_PREFIX: prefix });
      rows.push(`| Elasticsearch: the same backlog | ${seconds.toFixed(2)} s | ${Math.round(EFFECTS / seconds)} effects/s | ${(seconds / floorSeconds).toFixed(2)}× |`);
    } finally {
      await store.close();
      await emulator.stop();
      await dropInstallation(admin, prefix);
      await admin.close();
      await stopElasticsearch();
    }
  } else rows.push(`| Elasticsearch: not measured (${target.skipped}) | | | |`);

  return [
    '## Outbox: draining a backlog of 1,000 effects',
    '',
    `${CASES} cases and ${COMMENTS} comments recorded with no dispatcher running (as after an outage or a restart): ${EFFECTS} effects. caseops starts in its own process and delivers them to the Slack emulator, each case's effects in order, ${CONCURRENCY} cases at a time; every attempt is recorded in the store before its call and settled after it. Time from "listening" to the last post. Card edits of a case queued behind each other are delivered as one (docs/outbox.md).`,
    '',
    '| run | time | rate | vs floor |',
    '| --- | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}
