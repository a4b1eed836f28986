import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CaseAccess } from '../../src/cases/case-access';
import { WarRooms } from '../../src/cases/war-room';
import { VisibilityPolicy } from '../../src/cases/policy';
import { EvidenceService } from '../../src/cases/evidence-service';
import { createChartRenderer } from '../../src/charts/choose-renderer';
import { RecentCharts } from '../../src/slack/charts/recent-charts';
import { CaseService } from '../../src/cases/service';
import { DEFAULT_SLA_POLICY } from '../../src/cases/sla';
import { SlaWatch } from '../../src/cases/sla-watch';
import { NudgeWatch } from '../../src/cases/nudge-watch';
import { DEFAULT_NUDGE_POLICY } from '../../src/cases/nudges';
import { DigestWatch } from '../../src/cases/digest-watch';
import { deterministicId } from '../../src/cases/ids';
import { streamOfOne } from '../../src/cases/outbox';
import { CaseTransfer } from '../../src/kibana/case-transfer';
import { DEFAULT_KIBANA_TARGET } from '../../src/kibana/export/versions';
import { DEFAULT_IMPORT_LIMITS } from '../../src/kibana/import/parse';
import { createLogger } from '../../src/log';
import { Dispatcher } from '../../src/outbox/dispatcher';
import { classifySlackFailure } from '../../src/slack/effects/slack-failures';
import { kibanaMirroring } from '../../src/kibana-sync';
import { effectClient, singleWorkspaceClients } from '../../src/slack/effects/effect-clients';
import { slackEffectHandlers } from '../../src/slack/effects/slack-effects';
import { SqliteCaseStore } from '../../src/storage/sqlite/sqlite-store';
import { SlackEmulator } from '../support/slack-emulator';
import { draftCase } from '../contract/case-store-contract';

/**
 * What scheduled checks record, from the store to Slack (the emulator, which checks every call against Slack's
 * published method specs). SLA notices: the breach line lands once in the case thread even when Slack's answer to it
 * is lost, each assignee gets one direct message, and the card is brought up to date with the breach tag. Nudges:
 * once in the thread, with their one-tap answers, whatever happens to Slack's answer.
 */

const TOKEN = 'xoxb-sla-test';
const logger = createLogger('silent');
const BOT = { userId: 'U0CASEOPS', teamId: 'T0001', name: 'caseops' };
const START = Date.parse('2026-12-04T10:00:00Z');

let emulator: SlackEmulator;
let dir: string;
let store: SqliteCaseStore;
let dispatcher: Dispatcher;

beforeEach(async () => {
  emulator = await SlackEmulator.start({ botToken: TOKEN });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-sla-delivery-'));
  store = new SqliteCaseStore(dir);
  await store.init();
});

afterEach(async () => {
  await dispatcher?.stop();
  await store.close();
  await emulator.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts the outbox's delivery to the emulator and waits until every effect of the stream (a case) is delivered. */
async function deliverAll(caseId: string, policy: VisibilityPolicy): Promise<void> {
  dispatcher = new Dispatcher({ store: store.outbox, logger, classify: classifySlackFailure, pollMs: 20 });
  const service = new CaseService(store, policy, { owner: 'securitySolution', outbox: dispatcher });
  const evidence = new EvidenceService(store, policy, { outbox: dispatcher });
  const renderer = createChartRenderer({ renderer: 'local' }, logger);
  const kibana = { exportVersion: DEFAULT_KIBANA_TARGET, profileUids: new Map<string, string>(), importLimits: DEFAULT_IMPORT_LIMITS };
  const transfer = new CaseTransfer(service, store, kibana);
  const access = new CaseAccess(store, policy, () => new Date(), dispatcher);
  dispatcher.start({
    ...slackEffectHandlers({ clients: singleWorkspaceClients(effectClient(TOKEN, emulator.apiUrl, logger), emulator.botUserId), store, service, evidence, renderer, recentCharts: new RecentCharts(), sla: DEFAULT_SLA_POLICY, transfer, rooms: new WarRooms(access), canSee: (userId, theCase) => policy.canSee({ userId, teamId: theCase.teamId }, theCase), exportVersion: kibana.exportVersion, timeZone: 'UTC', logger }),
    ...kibanaMirroring({ access, service, evidence, owner: 'securitySolution', replica: 'test', profileUids: kibana.profileUids, logger }).handlers,
  });
  const settled = async () => (await store.outbox.listEffects(caseId)).every((effect) => effect.state === 'done');
  for (let tries = 0; !(await settled()); tries += 1) {
    if (tries > 300) throw new Error('the effects were not delivered');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a breach reaches the thread once (its lost answer retried), each assignee once by DM, and the card shows the tag', async () => {
  const card = emulator.addMessage({ channel: 'C0PUBLIC', user: 'U0CASEOPS', text: 'Case #1: Ransomware note on FS01' });
  const created = await store.createCase(
    draftCase({ createdAt: new Date(START).toISOString(), severity: 'critical', title: 'Ransomware note on FS01', assignees: ['U0ALICE', 'U0BOB'], origin: { teamId: 'T0001', channelId: 'C0PUBLIC', isPrivate: false, cardTs: card.ts } }),
  );
  const policy = new VisibilityPolicy({ isMember: async () => true }, []);
  const watch = new SlaWatch(new CaseAccess(store, policy, () => new Date()), DEFAULT_SLA_POLICY, BOT);
  expect(await watch.check(new Date(START + 4 * 3_600_000 + 60_000))).toBe(1); // the resolve target (4 h) passed

  emulator.failNext('chat.postMessage', { answerLost: true }); // the first notice: the line in the thread
  await deliverAll(created.case.id, policy);

  const thread = emulator.messagesIn('C0PUBLIC', { threadTs: card.ts });
  expect(thread.map((message) => message.text)).toEqual([expect.stringMatching(/^:rotating_light: \*#1\* Ransomware note on FS01 breached its critical SLA: it was not closed by <!date\^/)]);
  // The lost answer was looked for in the thread and found there: three posts in all (thread, two DMs), no fourth.
  expect(emulator.callsTo('conversations.replies')).toHaveLength(1);
  expect(emulator.callsTo('chat.postMessage')).toHaveLength(3);
  // The acknowledge target was met (assignees from the start); the resolve warning came too late to be sent.
  for (const user of ['U0ALICE', 'U0BOB']) {
    const dms = emulator.messagesIn(`D${user.slice(1)}`);
    expect(dms.map((message) => message.text)).toEqual([thread[0]!.text]);
  }
  expect(emulator.messagesIn('C0PUBLIC').filter((message) => !message.thread_ts || message.thread_ts === message.ts)).toHaveLength(1); // the card alone: no channel notice
  const update = emulator.callsTo('chat.update');
  expect(update).toHaveLength(1);
  expect(JSON.stringify(update[0]!.args)).toContain('sla-breached:resolve');
  // The card says the case is overdue, from the breach mark, with the due time in each reader's own zone.
  const dueSeconds = (START + 4 * 3_600_000) / 1000;
  expect(JSON.stringify(update[0]!.args)).toContain(`*SLA* · :rotating_light: Close was due <!date^${dueSeconds}^`);
  expect(emulator.blockKitViolations).toEqual([]);
}, 30_000);

test('a nudge lands once in the case thread with Still working, Close and Reassign, though Slack lost its answer', async () => {
  const card = emulator.addMessage({ channel: 'C0PUBLIC', user: 'U0CASEOPS', text: 'Case #1: Beaconing from ws-12' });
  const created = await store.createCase(
    draftCase({ createdAt: new Date(START).toISOString(), severity: 'critical', title: 'Beaconing from ws-12', assignees: ['U0ALICE'], origin: { teamId: 'T0001', channelId: 'C0PUBLIC', isPrivate: false, cardTs: card.ts } }),
  );
  const policy = new VisibilityPolicy({ isMember: async () => true }, []);
  const watch = new NudgeWatch(new CaseAccess(store, policy, () => new Date()), DEFAULT_NUDGE_POLICY, BOT);
  expect(await watch.check(new Date(START + 150 * 60_000))).toBe(1); // 2 h 30 min untouched; critical nudges after 2 h

  emulator.failNext('chat.postMessage', { answerLost: true });
  await deliverAll(created.case.id, policy);

  const thread = emulator.messagesIn('C0PUBLIC', { threadTs: card.ts });
  expect(thread.map((message) => message.text)).toEqual([':wave: *#1* Beaconing from ws-12 has had no activity for 2h 30m. Still on it?']);
  expect(emulator.callsTo('conversations.replies')).toHaveLength(1);
  const actions = JSON.stringify(thread[0]!.blocks);
  expect(actions).toContain(`"block_id":"case:${created.case.id}"`);
  for (const id of ['case_still_working', 'case_close', 'case_assignees']) expect(actions).toContain(`"action_id":"${id}"`);
  expect(actions).toContain('"initial_users":["U0ALICE"]');
  expect(emulator.blockKitViolations).toEqual([]);
}, 30_000);

test("a channel's daily digest lands once in the channel, though Slack lost its answer, with only what the channel may see", async () => {
  await store.createCase(draftCase({ createdAt: new Date(START - 3_600_000).toISOString(), severity: 'high', title: 'Public phish', origin: { teamId: 'T0001', channelId: 'C0PUBLIC', isPrivate: false } }));
  await store.createCase(draftCase({ createdAt: new Date(START - 3_600_000).toISOString(), severity: 'critical', title: 'Secret', origin: { teamId: 'T0001', channelId: 'G0SECRET', isPrivate: true } }));
  await store.digestSchedules.set({ teamId: 'T0001', channelId: 'C0PUBLIC', time: '10:00', setBy: BOT, setAt: new Date(START - 86_400_000).toISOString() });
  const watch = new DigestWatch(store, 'UTC', BOT);
  expect(await watch.check(new Date(START + 60_000))).toBe(1);
  const stream = streamOfOne(deterministicId('digest', 'T0001', 'C0PUBLIC', '2026-12-04'));

  emulator.failNext('chat.postMessage', { answerLost: true });
  await deliverAll(stream, new VisibilityPolicy({ isMember: async () => true }, []));

  const posted = emulator.messagesIn('C0PUBLIC').filter((message) => message.text.startsWith('Case digest'));
  expect(posted).toHaveLength(1);
  expect(emulator.callsTo('conversations.history')).toHaveLength(1);
  const text = JSON.stringify(posted[0]!.blocks);
  expect(text).toContain('Case digest* · 2026-12-03 10:00 – 2026-12-04 10:00 UTC');
  expect(text).toContain('Opened 1 · Closed 0');
  expect(text).not.toContain('Secret');
  expect(emulator.blockKitViolations).toEqual([]);
}, 30_000);
