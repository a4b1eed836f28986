import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Harness, SIGNING_SECRET } from '../support/harness';
import { signSlackRequest } from '../support/slack-driver';
import { replyTo, textOf } from './support';


describe('walking skeleton: /case over signed HTTP, on SQLite', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await Harness.start();
  });

  afterEach(async () => {
    await harness.stop();
  });

  test('/case new acks at once, stores the case and posts its card to the channel', async () => {
    // Slack would be slow to take the card: the ack must not wait for it.
    harness.emulator.failNext('chat.postMessage', { delayMs: 1500 });
    const response = await harness.driver.command('new Beacon to 203.0.113.7 sev:high #c2 <@U0BOB|bob>');
    expect(response.status).toBe(200);
    expect(response.body).toBe('');
    expect(harness.emulator.callsTo('chat.postMessage')).toHaveLength(0);

    const card = await harness.emulator.waitFor(() => harness.emulator.messagesIn('C0PUBLIC')[0]);
    expect(textOf(card.blocks)).toContain('#1 · Beacon to 203.0.113.7');
    expect(card.text).toBe('Case #1: Beacon to 203.0.113.7 (high, open)');
    expect(textOf(card.blocks)).toContain('<@U0BOB>');

    const shown = await harness.driver.command('show 1');
    const reply = await replyTo(harness, shown.responseUrl);
    expect(reply.response_type).toBe('ephemeral');
    expect(textOf(reply.blocks)).toContain('#1 · Beacon to 203.0.113.7');
    expect(textOf(reply.blocks)).toContain('`c2`');
    expect(harness.emulator.blockKitViolations).toEqual([]);
  });

  test('/case list and /case show reflect the cases after a restart on the same data dir', async () => {
    await harness.driver.command('new First case sev:low');
    await harness.driver.command('new Second case sev:critical #ransomware');
    await harness.emulator.waitFor(() => harness.emulator.messagesIn('C0PUBLIC').length === 2);

    await harness.restart();

    const list = await harness.driver.command('list');
    const listed = textOf((await replyTo(harness, list.responseUrl)).blocks);
    expect(listed).toMatch(/#2\*? Second case[\s\S]*#1\*? First case/);
    const closedList = await harness.driver.command('list closed');
    expect((await replyTo(harness, closedList.responseUrl)).text).toBe('No closed cases.');
    const tagged = await harness.driver.command('list all #ransomware');
    const taggedText = textOf((await replyTo(harness, tagged.responseUrl)).blocks);
    expect(taggedText).toContain('Second case');
    expect(taggedText).not.toContain('First case');

    const show = await harness.driver.command('show #2');
    expect(textOf((await replyTo(harness, show.responseUrl)).blocks)).toContain('#2 · Second case');
  });

  test('/case alone and /case help list every subcommand with one-tap buttons', async () => {
    for (const text of ['', 'help']) {
      const response = await harness.driver.command(text);
      const reply = await replyTo(harness, response.responseUrl);
      expect(textOf(reply.blocks)).toContain('/case new');
      expect(textOf(reply.blocks)).toContain('/case list');
      expect(textOf(reply.blocks)).toContain('My cases');
    }
    await harness.driver.command('new Mine <@U0ALICE>', { userId: 'U0ALICE' });
    await harness.emulator.waitFor(() => harness.emulator.messagesIn('C0PUBLIC')[0]);
    const help = await harness.driver.command('', { userId: 'U0ALICE' });
    await replyTo(harness, help.responseUrl);
    harness.emulator.reset();
    const pressed = await harness.driver.blockAction({ actionId: 'help_my_cases', userId: 'U0ALICE' });
    expect(pressed.status).toBe(200);
    const mine = await harness.emulator.waitFor(() => harness.emulator.responses[0]);
    expect(textOf(mine.blocks)).toContain('#1');
  });

  test.each([
    [`new ${'x'.repeat(161)}`, /at most 160 characters/],
    ['new Outage sev:urgent', /Unknown severity `urgent`/],
    ['show 999999', /There is no case #999999/],
    ["show 1' OR '1'='1", /not a case reference/],
    ['show 1;DROP TABLE cases', /not a case reference/],
    ['explode now', /I don't know `\/case explode`/],
  ])('bad input %j gets a clear ephemeral message and writes nothing', async (text, message) => {
    const response = await harness.driver.command(text);
    expect(response.status).toBe(200);
    const reply = await replyTo(harness, response.responseUrl);
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toMatch(message);
    expect(harness.emulator.callsTo('chat.postMessage')).toHaveLength(0);
    const list = await harness.driver.command('list all');
    expect((await replyTo(harness, list.responseUrl)).text).toBe('No cases.');
  });

  describe('requests not signed by Slack are refused before any listener runs', () => {
    const body = () =>
      new URLSearchParams({
        command: '/case',
        text: 'new Forged case',
        team_id: 'T0001',
        user_id: 'U0ALICE',
        channel_id: 'C0PUBLIC',
        response_url: harness.emulator.mintResponseUrl(),
        trigger_id: harness.emulator.mintTriggerId(),
      }).toString();
    const form = 'application/x-www-form-urlencoded';
    const now = () => Math.floor(Date.now() / 1000);

    test.each([
      ['a bad signature', () => ({ signature: 'v0=' + '0'.repeat(64) })],
      ['the signature of another body', () => ({ signature: signSlackRequest(SIGNING_SECRET, now(), 'text=other') })],
      ['a stale timestamp (6 minutes)', () => ({ timestamp: now() - 360 })],
      ['no signature header', () => ({ signature: null })],
      ['no timestamp header', () => ({ timestamp: null })],
    ])('%s → 401 and no side effect', async (_name, forge) => {
      harness.emulator.reset();
      const response = await harness.driver.raw({ body: body(), contentType: form, ...forge() });
      expect(response.status).toBe(401);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(harness.emulator.calls).toEqual([]);
      expect(harness.emulator.responses).toEqual([]);
      const list = await harness.driver.command('list all');
      expect((await replyTo(harness, list.responseUrl)).text).toBe('No cases.');
    });
  });

  test('/healthz answers 200 while the store is writable', async () => {
    expect(await harness.health()).toEqual({ status: 200, body: { status: 'ok' } });
  });
});

describe('unwritable storage', () => {
  test('a data dir that cannot hold the database → /healthz 503, a clear log line, and commands say so', async () => {
    const blocker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-blocked-')), 'not-a-directory');
    fs.writeFileSync(blocker, 'a file where the data directory should be');
    const harness = await Harness.start({ env: { CASEOPS_DATA_DIR: blocker } });
    try {
      const health = await harness.health();
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'unavailable', reason: expect.stringContaining('cannot open a writable SQLite database') });
      expect(harness.logLines.join('')).toMatch(/case storage unavailable at start-up/);
      const response = await harness.driver.command('new Anything');
      expect(response.status).toBe(200);
      const reply = await harness.emulator.waitFor(() => harness.emulator.responses[0]);
      expect(reply.text).toMatch(/Case storage is unavailable right now; nothing was changed/);
      expect(harness.emulator.callsTo('chat.postMessage')).toHaveLength(0);
    } finally {
      await harness.stop({ keepData: true });
      fs.rmSync(path.dirname(blocker), { recursive: true, force: true });
    }
  });
});

describe('an existing database file that became unwritable', () => {
  /**
   * Root ignores file modes, so as root the file and its directory are made immutable (chattr +i);
   * otherwise modes are enough. Either way SQLite cannot write, which is what an operator would hit.
   */
  function makeUnwritable(dir: string, file: string): () => void {
    if (process.getuid?.() === 0) {
      execFileSync('chattr', ['+i', file, dir]);
      return () => execFileSync('chattr', ['-i', file, dir]);
    }
    fs.chmodSync(file, 0o400);
    fs.chmodSync(dir, 0o500);
    return () => {
      fs.chmodSync(dir, 0o700);
      fs.chmodSync(file, 0o600);
    };
  }

  test('start-up on it → /healthz 503 naming the file, and nothing is written', async () => {
    const first = await Harness.start();
    await first.driver.command('new Before the disk went read-only');
    await first.emulator.waitFor(() => first.emulator.messagesIn('C0PUBLIC')[0]);
    await first.stop({ keepData: true });
    const file = path.join(first.dataDir, 'caseops.sqlite');
    for (const leftover of ['-wal', '-shm']) fs.rmSync(file + leftover, { force: true });
    const restore = makeUnwritable(first.dataDir, file);
    try {
      const harness = await Harness.start({ dataDir: first.dataDir });
      try {
        const health = await harness.health();
        expect(health.status).toBe(503);
        expect(JSON.stringify(health.body)).toContain(file);
        expect(harness.logLines.join('')).toContain('case storage unavailable at start-up');
        const response = await harness.driver.command('new During the outage');
        expect((await harness.emulator.waitFor(() => harness.emulator.responses[0])).text).toMatch(/nothing was changed/);
        expect(response.status).toBe(200);
      } finally {
        await harness.stop({ keepData: true });
      }
    } finally {
      restore();
      fs.rmSync(first.dataDir, { recursive: true, force: true });
    }
  });
});
