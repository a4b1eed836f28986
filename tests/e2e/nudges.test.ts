import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteCaseStore } from '../../src/storage/sqlite/sqlite-store';
import { draftCase } from '../contract/case-store-contract';
import { until } from '../reliability/support/async';
import { APP_TOKEN, BOT_TOKEN, Harness } from '../support/harness';
import { SlackEmulator } from '../support/slack-emulator';
import { fromStore, settle } from './support';

/**
 * A case nobody has touched for three hours is found by caseops' own scheduler as it starts, nudged once in its
 * thread, and answered with the nudge's buttons: Still working (one comment per person, however often it is
 * pressed) and Close.
 */

const CHANNEL = 'C0PUBLIC';

describe('stale-case nudges, end to end', () => {
  let emulator: SlackEmulator;
  let harness: Harness;
  let caseId: string;
  let cardTs: string;

  beforeAll(async () => {
    emulator = await SlackEmulator.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-nudges-'));
    const card = emulator.addMessage({ channel: CHANNEL, user: 'U0CASEOPS', text: 'Case #1: Beaconing from ws-12' });
    cardTs = card.ts;
    const store = new SqliteCaseStore(dataDir);
    await store.init();
    const threeHoursAgo = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const created = await store.createCase(draftCase({ createdAt: threeHoursAgo, severity: 'critical', title: 'Beaconing from ws-12', origin: { teamId: 'T0001', channelId: CHANNEL, isPrivate: false, cardTs } }));
    caseId = created.case.id;
    await store.close();
    harness = await Harness.start({ emulator, dataDir });
  });

  afterAll(async () => {
    expect(emulator.blockKitViolations).toEqual([]);
    await harness.stop();
    await emulator.stop();
  });

  const nudges = () => emulator.messagesIn(CHANNEL, { threadTs: cardTs }).filter((message) => message.text.startsWith(':wave:'));

  test('the untouched case is nudged once in its thread', async () => {
    await until('the nudge', () => nudges().length > 0, 15_000);
    await settle(harness, 300);
    expect(nudges().map((message) => message.text)).toEqual([':wave: *#1* Beaconing from ws-12 has had no activity for 3h. Still on it?']);
  });

  test('Still working, pressed three times by one person, records one comment and one thread line', async () => {
    const nudge = nudges()[0]!;
    for (let press = 0; press < 3; press += 1) await harness.driver.blockAction({ actionId: 'case_still_working', channelId: CHANNEL, messageTs: nudge.ts });
    await settle(harness, 300);
    const comments = await fromStore(harness, (store) => store.listAttachments(caseId, { types: ['user'], limit: 10 }));
    expect(comments.map((comment) => [comment.data.comment, comment.createdBy.userId])).toEqual([['Still working on this.', 'U0ALICE']]);
    const lines = emulator.messagesIn(CHANNEL, { threadTs: cardTs }).filter((message) => message.text.includes('Still working on this.'));
    expect(lines).toHaveLength(1);
    // It is activity: the case's clock of inactivity starts again.
    expect((await fromStore(harness, (store) => store.getCase('T0001', { id: caseId })))!.updatedAt).not.toBeNull();
  });

  test('Close on the nudge closes the case', async () => {
    await harness.driver.blockAction({ actionId: 'case_close', channelId: CHANNEL, messageTs: nudges()[0]!.ts });
    await until('the case closed', async () => (await fromStore(harness, (store) => store.getCase('T0001', { id: caseId })))?.status === 'closed', 15_000);
  });
});
