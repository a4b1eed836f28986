/**
 * Ack latency of `/case` through HTTP (signed request → Bolt → listener → ack), against a bare Bolt app
 * whose `/case` listener only acks, measured in the same run on the same emulator; plus the time from a
 * command to its case card, and from a card button to `chat.update`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BOT_TOKEN, SIGNING_SECRET } from '../tests/support/harness';
import { SlackDriver } from '../tests/support/slack-driver';
import { SlackEmulator } from '../tests/support/slack-emulator';
import { type AppProcess, startAppProcess } from './app-process';
import { ms, ratio, type Summary, summarize } from './stats';
import { startWorkerSend } from './worker-send';

const WARM_UP = 30;
const ACK_TIMER = path.join(__dirname, 'ack-timer.cjs');
const REQUESTS = 400;

type FollowUp = () => Promise<void>;

interface Contender {
  driver: SlackDriver;
  /** The app's `/bench/ack-times` (bench/ack-timer.cjs): its own timing of each request up to the ack. */
  timesUrl: string;
  text: (i: number) => string;
  /** Waits until the app finished the command's work (normal traffic); absent in a burst. */
  followUp?: FollowUp;
}

/** Ack times of one app: as the sender saw them, and as the app's own process timed them. */
interface AckTimes {
  client: Summary;
  inApp: Summary;
}

const inAppTimes = async (timesUrl: string): Promise<number[]> => (await (await fetch(timesUrl)).json()) as number[];

/**
 * Sends `count` commands to each app, alternating one by one so machine noise falls on both alike, and
 * returns each app's ack times. Each command waits for its ack before the next is sent.
 */
async function alternating(contenders: Contender[], count: number): Promise<AckTimes[]> {
  const times: number[][] = contenders.map(() => []);
  for (const contender of contenders) await inAppTimes(contender.timesUrl);
  for (let i = 0; i < count; i += 1) {
    for (const [index, contender] of contenders.entries()) {
      const response = await contender.driver.command(contender.text(i));
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      times[index]!.push(response.elapsedMs);
      await contender.followUp?.();
    }
  }
  return Promise.all(contenders.map(async (contender, index) => ({ client: summarize(times[index]!), inApp: summarize(await inAppTimes(contender.timesUrl)) })));
}

export async function runHttpBench(): Promise<string> {
  const emulator = await SlackEmulator.start({ botToken: BOT_TOKEN });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-bench-'));
  const env = { NODE_OPTIONS: `--require ${ACK_TIMER}`, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: emulator.apiUrl, PORT: '0', CASEOPS_DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  const apps: AppProcess[] = [];
  const sender = startWorkerSend();
  try {
    const caseops = await startAppProcess('src/main.ts', env, /"port":(\d+),[^\n]*caseops is listening/);
    apps.push(caseops);
    const bare = await startAppProcess('bench/bare-bolt.ts', env, /listening (\d+)/);
    apps.push(bare);
    const contender = (app: AppProcess) => ({
      driver: new SlackDriver({ appUrl: app.url, signingSecret: SIGNING_SECRET, emulator, send: sender.send }),
      timesUrl: new URL('/bench/ack-times', app.url).toString(),
    });
    const caseopsApp = contender(caseops);
    const bareApp = contender(bare);
    // The app's last steps after Slack received its message (a local write, a log line) take well under this.
    const idle = () => new Promise((resolve) => setTimeout(resolve, 5));
    /** A follow-up that waits for the n-th effect since the last reset: each command has exactly one. */
    const nthEffect = (count: () => number): FollowUp => {
      let expected = 0;
      return async () => {
        expected += 1;
        await emulator.waitFor(() => count() >= expected, 10_000);
        await idle();
      };
    };
    const cards = () => emulator.callsTo('chat.postMessage').length;
    await alternating(
      [
        { ...caseopsApp, text: (i) => `new warm-up ${i}` },
        { ...bareApp, text: () => 'new warm-up' },
      ],
      WARM_UP,
    );
    await emulator.waitFor(() => cards() >= WARM_UP, 10_000);

    const measure = async (caseopsText: (i: number) => string, bareText: string, effects: () => number) => {
      emulator.reset();
      const followUp = nthEffect(effects);
      const [bareNormal, caseopsNormal] = await alternating(
        [
          { ...bareApp, text: () => bareText },
          { ...caseopsApp, text: caseopsText, followUp },
        ],
        REQUESTS,
      );
      const [bareBurst, caseopsBurst] = await alternating(
        [
          { ...bareApp, text: () => bareText },
          { ...caseopsApp, text: caseopsText },
        ],
        REQUESTS,
      );
      return { isolated: [bareNormal!, caseopsNormal!], burst: [bareBurst!, caseopsBurst!] } as const;
    };
    const created = await measure((i) => `new Bench case ${i} sev:high #bench`, 'new x', cards);
    const listed = await measure(() => 'list all', 'list', () => emulator.responses.length);
    const card = summarize(await commandToCard(emulator, caseopsApp.driver, 100));
    const button = summarize(await buttonToUpdate(emulator, caseopsApp.driver, 100));

    const versus = (value: Summary, baseline?: Summary) => (baseline ? `${ratio(value.median, baseline.median)} / ${ratio(value.p99, baseline.p99)}` : '—');
    const ackRow = (name: string, value: AckTimes, baseline?: AckTimes) =>
      `| ${name} | ${value.client.count} | ${ms(value.client.median)} / ${ms(value.client.p99)} | ${versus(value.client, baseline?.client)} | ${ms(value.inApp.median)} / ${ms(value.inApp.p99)} | ${versus(value.inApp, baseline?.inApp)} |`;
    const row = (name: string, value: Summary) => `| ${name} | ${value.count} | ${ms(value.median)} / ${ms(value.p99)} | — | — | — |`;
    return [
      '## Slack HTTP path (ack latency, command → card, button → chat.update)',
      '',
      `caseops (\`src/main.ts\`, SQLite store in a temporary directory) and a bare Bolt 5 app whose \`/case\` listener only acks run as separate processes, each behind the real Bolt HTTP receiver; the bench process signs requests like Slack, sends them over loopback from a worker thread and plays Slack's Web API (the test emulator) on its main thread. ${REQUESTS} requests per app and command after ${WARM_UP} warm-up requests, alternating between the apps request by request. *Normal traffic*: each command is sent once the app finished the previous one's work; *burst*: back to back, while the app is still posting the previous card.`,
      '',
      "*Sender* times are from sending the request to reading the ack. *In the app* times are taken inside each app's process by the same preloaded instrument (`bench/ack-timer.cjs`), from Node handing the request to the HTTP server to the ack: what the app itself adds. On a 2-core machine the sender's times also carry the machine's contention — caseops goes on with the command's work (and the emulator with caseops' reply) right after the ack, while the bare app does nothing — so the in-app ratio is the one that measures caseops.",
      '',
      '| measurement | n | sender median / p99 | ratio to bare Bolt | in the app median / p99 | ratio to bare Bolt |',
      '| --- | --- | --- | --- | --- | --- |',
      ackRow('bare Bolt `/case` ack (new, normal traffic)', created.isolated[0]),
      ackRow('caseops `/case new <title> sev:high #bench` ack, normal traffic', created.isolated[1], created.isolated[0]),
      ackRow('bare Bolt `/case` ack (new, burst)', created.burst[0]),
      ackRow('caseops `/case new …` ack, burst', created.burst[1], created.burst[0]),
      ackRow('bare Bolt `/case` ack (list, normal traffic)', listed.isolated[0]),
      ackRow('caseops `/case list all` ack, normal traffic', listed.isolated[1], listed.isolated[0]),
      ackRow('bare Bolt `/case` ack (list, burst)', listed.burst[0]),
      ackRow('caseops `/case list all` ack, burst', listed.burst[1], listed.burst[0]),
      row('caseops `/case new` → case card received by Slack', card),
      row('caseops card status menu → `chat.update` received by Slack', button),
      '',
    ].join('\n');
  } finally {
    for (const app of apps) await app.stop();
    await sender.stop();
    await emulator.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** From sending `/case new` to the emulator receiving the card's chat.postMessage. */
export async function commandToCard(emulator: SlackEmulator, driver: SlackDriver, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    emulator.reset();
    const sent = performance.timeOrigin + performance.now();
    await driver.command(`new Card timing ${i}`);
    const post = await emulator.waitFor(() => emulator.callsTo('chat.postMessage')[0], 10_000);
    times.push(post.at - sent);
  }
  return times;
}

/** From a status-menu choice on a card to the emulator receiving the card's chat.update. */
export async function buttonToUpdate(emulator: SlackEmulator, driver: SlackDriver, count: number): Promise<number[]> {
  emulator.reset();
  await driver.command('new Button timing');
  const card = await emulator.waitFor(() => emulator.callsTo('chat.postMessage')[0]);
  const channel = String(card.args.channel);
  const ts = (await emulator.waitFor(() => emulator.messagesIn(channel).at(-1))).ts;
  await new Promise((resolve) => setTimeout(resolve, 100));
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    emulator.reset();
    const status = i % 2 ? 'open' : 'in-progress';
    const sent = performance.timeOrigin + performance.now();
    await driver.blockAction({
      actionId: 'case_status',
      channelId: channel,
      messageTs: ts,
      type: 'static_select',
      action: { selected_option: { text: { type: 'plain_text', text: status }, value: status } },
    });
    const update = await emulator.waitFor(() => emulator.callsTo('chat.update')[0], 10_000);
    times.push(update.at - sent);
    await emulator.waitFor(() => emulator.callsTo('chat.postMessage')[0], 10_000);
  }
  return times;
}
