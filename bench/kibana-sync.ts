/**
 * Kibana live sync latency, both ways: caseops (`src/main.ts`, its own process, SQLite) with sync on against the
 * Kibana Cases stand-in, driven over HTTP with signed requests against the Slack emulator.
 *
 * - Slack → Kibana: from sending `/case severity <n> <level>` to the stand-in holding the new severity.
 * - Kibana → Slack: from a user saving a new severity in Kibana (the stand-in's API) to the emulator receiving the
 *   card's `chat.update` with it, at a short poll interval and at the default one.
 * - Baseline, same run: `/case severity` → the card's `chat.update` (what Slack alone costs).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BOT_TOKEN, SIGNING_SECRET } from '../tests/support/harness';
import { KibanaStandIn } from '../tests/support/kibana-cases';
import { SlackDriver } from '../tests/support/slack-driver';
import { SlackEmulator } from '../tests/support/slack-emulator';
import { startAppProcess } from './app-process';
import { ms, ratio, type Summary, summarize } from './stats';

const SAMPLES = 20;
const SHORT_POLL_MS = 1_000;
const DEFAULT_POLL_MS = 10_000;
const SEVERITIES = ['medium', 'high', 'critical', 'low'] as const;
const CASEOPS = { username: 'caseops', full_name: 'caseops', email: 'caseops@example.com', apiKey: 'bench-caseops-key' };
const ANA = { username: 'ana', full_name: 'Ana Lopez', email: 'ana@example.com', apiKey: 'bench-ana-key' };

interface SyncTimes {
  baseline: Summary;
  push: Summary;
  pull: Summary;
}

const now = () => performance.timeOrigin + performance.now();

async function poll<T>(what: string, read: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`bench: ${what} did not happen within ${timeoutMs} ms`);
    await sleep(5);
  }
}

async function measure(pollMs: number): Promise<SyncTimes> {
  const kibana = await KibanaStandIn.start({ users: [CASEOPS, ANA] });
  const emulator = await SlackEmulator.start({ botToken: BOT_TOKEN });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-bench-sync-'));
  const app = await startAppProcess(
    'src/main.ts',
    {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: emulator.apiUrl,
      PORT: '0',
      CASEOPS_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      CASEOPS_KIBANA_SYNC: 'on',
      KIBANA_URL: kibana.url,
      KIBANA_API_KEY: CASEOPS.apiKey,
      CASEOPS_KIBANA_POLL_MS: String(pollMs),
    },
    /"port":(\d+),[^\n]*caseops is listening/,
  );
  try {
    const driver = new SlackDriver({ appUrl: app.url, signingSecret: SIGNING_SECRET, emulator });
    await driver.command('new Sync timing');
    const card = await poll('the card', () => emulator.callsTo('chat.postMessage')[0]);
    const mirror = await poll('the mirror', () => kibana.cases()[0]);
    const channel = String(card.args.channel);
    const number = 1;
    const baseline: number[] = [];
    const push: number[] = [];
    for (let i = 0; i < SAMPLES; i += 1) {
      const severity = SEVERITIES[i % SEVERITIES.length]!;
      emulator.reset();
      const sent = now();
      await driver.command(`severity ${number} ${severity}`, { channelId: channel });
      const edit = await poll('the card edit', () => emulator.callsTo('chat.update')[0]);
      baseline.push(edit.at - sent);
      await poll('the severity in Kibana', () => (kibana.getCase(mirror.id)?.severity === severity ? true : undefined));
      push.push(now() - sent);
      await sleep(50);
    }
    const pull: number[] = [];
    for (let i = 0; i < SAMPLES; i += 1) {
      const severity = SEVERITIES[(i + 1) % SEVERITIES.length]!;
      emulator.reset();
      const sent = now();
      await kibana.as(ANA.apiKey).updateCase(mirror.id, { severity });
      const edit = await poll('the card edit', () => emulator.callsTo('chat.update').find((call) => JSON.stringify(call.args.blocks ?? '').toLowerCase().includes(severity)));
      pull.push(edit.at - sent);
    }
    return { baseline: summarize(baseline), push: summarize(push), pull: summarize(pull) };
  } finally {
    await app.stop();
    await emulator.stop();
    await kibana.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runKibanaSyncBench(): Promise<string> {
  const short = await measure(SHORT_POLL_MS);
  const standard = await measure(DEFAULT_POLL_MS);
  const times = (summary: Summary) => `${ms(summary.median)} / ${ms(summary.p95)}`;
  const vsBaseline = (summary: Summary, base: Summary) => `${ratio(summary.median, base.median)} / ${ratio(summary.p95, base.p95)}`;
  return [
    '## Kibana live sync: Slack → Kibana and Kibana → Slack',
    '',
    `caseops (\`src/main.ts\`, SQLite) in its own process with \`CASEOPS_KIBANA_SYNC=on\`, against the Kibana Cases stand-in (every request checked against Kibana's OpenAPI document) and the Slack emulator, on loopback. ${SAMPLES} severity changes each way per poll interval. Goal (issue 16): Kibana → Slack under 30 s, under 5 s with a short poll interval. The baseline is the same command's own card edit, measured in the same run.`,
    '',
    '| path | poll interval | p50 / p95 | vs. baseline (p50 / p95) |',
    '| --- | --- | --- | --- |',
    `| baseline: \`/case severity\` → card edited | – | ${times(short.baseline)} | 1.00× |`,
    `| Slack → Kibana: \`/case severity\` → severity in Kibana | ${SHORT_POLL_MS / 1000} s | ${times(short.push)} | ${vsBaseline(short.push, short.baseline)} |`,
    `| Kibana → Slack: saved in Kibana → card edited | ${SHORT_POLL_MS / 1000} s | ${times(short.pull)} | ${vsBaseline(short.pull, short.baseline)} |`,
    `| Kibana → Slack: saved in Kibana → card edited | ${DEFAULT_POLL_MS / 1000} s (default) | ${times(standard.pull)} | ${vsBaseline(standard.pull, short.baseline)} |`,
    '',
    '- Kibana → Slack is the wait for the next poll plus the poll itself (the `_find` of changed cases, the mirror\'s user actions, the change applied as any other: a few milliseconds here). Each change in this bench is saved just after the poll that brought the previous one, so it waits almost the whole interval: these are worst cases; a change made at a random moment waits half the interval on average. Slack → Kibana is an outbox effect in the case\'s Kibana lane, delivered as soon as it is recorded (a read of the mirror and a `PATCH` on its version).',
  ].join('\n');
}
