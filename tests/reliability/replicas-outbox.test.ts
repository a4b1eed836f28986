import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BOT_TOKEN } from '../support/harness';
import { SlackEmulator } from '../support/slack-emulator';
import { dropPrefix, describeWithElasticsearch, elasticsearchUrl, testStore, uniquePrefix } from '../elasticsearch/support/test-cluster';
import { mapWithConcurrency, until } from './support/async';
import { ChildCaseops } from './support/child-caseops';
import { FreshConnectionDriver } from './support/drivers';
import { quiet } from './support/observations';
import { SuiteTally } from './support/report';
import { CHANNEL, TEAM } from './support/targets';

/**
 * Two caseops processes on one Elasticsearch store, as replicas run: writes spread over both, and one replica
 * SIGKILLed while its outbox is full. The other replica takes the dead one's streams over when their leases
 * expire; every card and every thread line reaches Slack exactly once.
 */

const CASES = 50;
const COMMENTS_PER_CASE = 10;

describeWithElasticsearch('two replicas on one Elasticsearch store, one killed mid-delivery', () => {
  const tally = new SuiteTally('replicas');
  let emulator: SlackEmulator;
  let prefix: string;
  const dirs: string[] = [];
  const apps: ChildCaseops[] = [];

  beforeAll(async () => {
    emulator = await SlackEmulator.start({ botToken: BOT_TOKEN });
    prefix = uniquePrefix('replicas');
  });

  // Each test's replicas stop with it: replicas of another test, with other settings, would share its store.
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.stop('SIGTERM')));
  });

  afterAll(async () => {
    tally.record();
    await emulator.stop();
    await dropPrefix(prefix);
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function replica(settings: Record<string, string> = {}): Promise<ChildCaseops> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-replica-'));
    dirs.push(dir);
    const app = await ChildCaseops.start(emulator, dir, {
      CASEOPS_STORE: 'elasticsearch',
      ELASTICSEARCH_URL: elasticsearchUrl(),
      CASEOPS_INDEX_PREFIX: prefix,
      CASEOPS_OUTBOX_POLL_MS: '250',
      ...settings,
    });
    apps.push(app);
    return app;
  }

  test(
    `${CASES * (1 + 2 * COMMENTS_PER_CASE)} effects over two replicas, one SIGKILLed halfway: every card and thread line delivered once`,
    async () => {
      const [a, b] = [await replica(), await replica()];
      const drivers = [a, b].map((app) => new FreshConnectionDriver(app.baseUrl, emulator));
      // The cases first, half through each replica; each owes its card.
      await mapWithConcurrency([...Array(CASES).keys()], 4, (index) => drivers[index % 2]!.command(`new Replica case ${index}`));
      const store = testStore(prefix);
      try {
        await until('every case stored', async () => (await store.findCases({ teamId: TEAM, limit: 1 })).total === CASES, 30_000);
        // Then the comments, each owing a card edit and a thread line, alternating between the replicas.
        const comments = [...Array(CASES * COMMENTS_PER_CASE).keys()].map((index) => ({ number: (index % CASES) + 1, text: `note-${index}`, via: index % 2 }));
        let sent = 0;
        let killedAt = 0;
        const killed = until('half the comments sent', () => sent >= comments.length / 2, 120_000).then(async () => {
          killedAt = sent;
          await a.stop('SIGKILL');
        });
        await mapWithConcurrency(comments, 6, async (comment) => {
          // After the kill, what was meant for the dead replica goes to the live one, as a load balancer would.
          // A request cut by the kill may or may not have been stored; what was stored is checked below.
          const driver = comment.via === 0 && killedAt === 0 ? drivers[0]! : drivers[1]!;
          await driver.command(`comment ${comment.number} ${comment.text}`).catch(() => undefined);
          sent += 1;
        });
        await killed;
        const storedComments = async () => {
          const texts: string[] = [];
          for (const theCase of (await store.findCases({ teamId: TEAM, limit: CASES })).cases) {
            const attachments = await store.listAttachments(theCase.id, { limit: 10_000, types: ['user'] });
            texts.push(...attachments.map((attachment) => String(attachment.data.comment)));
          }
          return texts;
        };
        // Commands are acked before their work: wait until the live replica has stored all it will.
        let kept = await storedComments();
        for (let previous = -1; kept.length !== previous; ) {
          previous = kept.length;
          await new Promise((resolve) => setTimeout(resolve, 3_000));
          kept = await storedComments();
        }
        // The dead replica's leases expire (30 s); the live one then delivers its backlog.
        await until('every thread line delivered', () => threadLines() >= kept.length, 120_000).catch(() => undefined);
        await quiet(emulator, 1_000);

        const problems: string[] = [];
        const cases = (await store.findCases({ teamId: TEAM, limit: CASES })).cases;
        const topLevel = emulator.messagesIn(CHANNEL).filter((message) => message.thread_ts === undefined || message.thread_ts === message.ts);
        for (const theCase of cases) {
          const cards = topLevel.filter((message) => message.text.startsWith(`Case #${theCase.number}:`)).length;
          if (cards !== 1) problems.push(`case #${theCase.number} has ${cards} cards`);
        }
        const lines = emulator.messagesIn(CHANNEL).filter((message) => message.thread_ts !== undefined && message.thread_ts !== message.ts);
        const said = (text: string) => lines.filter((line) => line.text.endsWith(` ${text}`)).length;
        const doubled = kept.filter((text) => said(text) > 1);
        const missing = kept.filter((text) => said(text) === 0);
        if (doubled.length) problems.push(`${doubled.length} comments have more than one thread line (${doubled.slice(0, 5).join(', ')}…)`);
        if (missing.length) problems.push(`${missing.length} stored comments have no thread line (${missing.slice(0, 5).join(', ')}…)`);
        if (kept.length < comments.length / 2) problems.push(`only ${kept.length} of ${comments.length} comments were stored`);
        tally.add('restarts');
        tally.note(`Two replicas on one Elasticsearch store: ${CASES} cases and ${comments.length} comments (${CASES + 2 * comments.length} effects: cards, card edits, thread lines) sent alternately to both; replica A SIGKILLed after ${killedAt} comments were sent; ${kept.length} comments stored (the rest cut off by the kill); ${cases.length} cards and ${lines.length} thread lines in Slack afterwards; problems: ${problems.length ? problems.join('; ') : 'none'}.`);
        expect(problems).toEqual([]);
      } finally {
        await store.close();
      }

      function threadLines(): number {
        return emulator.messagesIn(CHANNEL).filter((message) => message.thread_ts !== undefined && message.thread_ts !== message.ts).length;
      }
    },
    400_000,
  );

  test('the same export asked of both processes at once posts one file', async () => {
    const [a, b] = [await replica(), await replica()];
    const drivers = [a, b].map((app) => new FreshConnectionDriver(app.baseUrl, emulator));
    // An export of the open cases goes to the asker's direct messages: count what Slack was asked to share.
    const shared = () => emulator.callsTo('files.completeUploadExternal');
    await Promise.all(drivers.map((driver) => driver.command('export open')));
    await until('the export posted', () => shared().length > 0, 60_000);
    await quiet(emulator, 2_000);
    expect(shared()).toHaveLength(1);
  }, 120_000);

  test(
    "the scheduled work of both processes, one SIGKILLed just after a digest's time: every SLA breach notice and the digest delivered once, no notice twice",
    async () => {
      // Critical cases warned at 48 s and breached at 1 min (acknowledge), at 96 s and 2 min (close).
      const settings = { CASEOPS_SLA_CRITICAL: '1m/2m', CASEOPS_TIME_ZONE: 'UTC' };
      const [a] = [await replica(settings), await replica(settings)];
      const driver = new FreshConnectionDriver(a!.baseUrl, emulator);
      // The digest's time: a minute boundary at least a minute away, so its schedule is set before it.
      const due = Math.ceil((Date.now() + 61_000) / 60_000) * 60_000;
      await driver.command(`digest on ${new Date(due).toISOString().slice(11, 16)}`);
      await driver.command('new Ransomware note on FS01 sev:critical');
      const cardOf = () => emulator.messagesIn(CHANNEL).find((message) => /^Case #\d+: Ransomware note on FS01/.test(message.text));
      await until('the card', () => cardOf() !== undefined, 30_000);
      const card = cardOf()!;

      // Whatever A had claimed, recorded or begun at that moment, B finishes it.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due + 3_000 - Date.now())));
      await a!.stop('SIGKILL');
      const digests = () => emulator.messagesIn(CHANNEL).filter((message) => message.text.startsWith('Case digest'));
      const notices = () => emulator.messagesIn(CHANNEL).filter((message) => /^:(warning|rotating_light): \*#\d+\* Ransomware/.test(message.text));
      const kinds = () =>
        notices().map((message) => `${message.thread_ts === card.ts ? 'thread' : 'channel'} ${message.text.startsWith(':warning:') ? 'warning' : 'breach'} ${/acknowledged/.test(message.text) ? 'acknowledge' : 'close'}`);
      const breaches = () => kinds().filter((kind) => kind.includes('breach')).length;
      await until('the digest and every breach', () => digests().length >= 1 && breaches() >= 4, 240_000);
      await quiet(emulator, 5_000);

      const counted = Object.fromEntries([...new Set(kinds())].map((kind) => [kind, kinds().filter((other) => other === kind).length]));
      tally.add('restarts');
      tally.note(`Two replicas running the schedule (SLA checks every minute, digests): replica A SIGKILLed 3 s after the digest's time; ${digests().length} digest and ${notices().length} SLA notices in Slack afterwards (${JSON.stringify(counted)}).`);
      expect(digests()).toHaveLength(1);
      // A warning whose check came after the breach is recorded without a notice (no late warning): at most once.
      expect(counted).toMatchObject({ 'thread breach acknowledge': 1, 'channel breach acknowledge': 1, 'thread breach close': 1, 'channel breach close': 1 });
      expect(Object.values(counted).every((count) => count === 1)).toBe(true);
    },
    400_000,
  );
});
