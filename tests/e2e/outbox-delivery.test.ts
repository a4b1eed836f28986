import { until } from '../reliability/support/async';
import type { Harness } from '../support/harness';
import { fromStore, openCaseByCommand, runCommand, settle, textOf, useHarness } from './support';

/**
 * The outbox end to end (docs/outbox.md): what a change owes Slack reaches it exactly once, whatever Slack does
 * to the calls that carry it — answers lost on the way back, a whole outage.
 */

const CHANNEL = 'C0PUBLIC';
const TEAM = 'T0001';

/** Top-level messages of the channel (thread parents included) that are a case card: "Case #n: …". */
const cardsOf = (harness: Harness, number: number) =>
  harness.emulator.messagesIn(CHANNEL).filter((message) => (message.thread_ts === undefined || message.thread_ts === message.ts) && message.text.startsWith(`Case #${number}:`));

const storedCase = (harness: Harness, number: number) => fromStore(harness, (store) => store.getCase(TEAM, { number }));

describe('the outbox delivers to Slack exactly once', () => {
  const current = useHarness();
  let harness: Harness;
  beforeEach(() => {
    harness = current();
  });

  test("Slack posts the card but its answer is lost: the retry finds the card by its metadata and posts nothing more", async () => {
    harness.emulator.failNext('chat.postMessage', { answerLost: true });
    await harness.driver.command('new Beacon from the print server');
    await until('the card recorded', async () => Boolean((await storedCase(harness, 1))?.origin.cardTs), 15_000);
    await settle(harness, 300);
    const history = harness.emulator.callsTo('conversations.history');
    expect({ cards: cardsOf(harness, 1).length, posts: harness.emulator.callsTo('chat.postMessage').length, lookups: history.length }).toEqual({ cards: 1, posts: 1, lookups: 1 });
    // Form fields arrive as strings.
    expect(history[0]!.args).toMatchObject({ channel: CHANNEL, include_all_metadata: 'true' });
    const card = cardsOf(harness, 1)[0]!;
    expect((card.metadata as { event_type?: string }).event_type).toBe('caseops_effect');
    expect((await storedCase(harness, 1))?.origin.cardTs).toBe(card.ts);
  });

  test('a thread line whose answer is lost is found in the thread and not posted twice', async () => {
    const opened = await openCaseByCommand(harness, 'Phishing wave');
    await settle(harness);
    harness.emulator.failNext('chat.postMessage', { answerLost: true });
    await runCommand(harness, `comment ${opened.number} Blocked the sender domain`);
    await until('a lookup in the thread', () => harness.emulator.callsTo('conversations.replies').length > 0, 15_000);
    await settle(harness, 300);
    const lines = harness.emulator.messagesIn(CHANNEL, { threadTs: opened.card.ts }).filter((line) => line.text.includes('Blocked the sender domain'));
    expect(lines).toHaveLength(1);
    expect(harness.emulator.callsTo('conversations.replies')[0]!.args).toMatchObject({ ts: opened.card.ts, include_all_metadata: 'true' });
  });

  test('a chart upload whose completion answer is lost is found by its file name and shared once', async () => {
    const opened = await openCaseByCommand(harness, 'Beaconing to 203.0.113.9');
    await settle(harness);
    harness.emulator.failNext('files.completeUploadExternal', { answerLost: true });
    await runCommand(harness, `chart ${opened.number} activity last 24h`);
    const chartFile = () =>
      fromStore(harness, async (store) => {
        const [chart] = await store.listAttachments(opened.id, { limit: 1, types: ['visualization'] });
        return (chart?.data as { slackFile?: { id: string } | null } | undefined)?.slackFile ?? null;
      });
    await until('the chart file recorded', async () => (await chartFile()) !== null, 15_000);
    await settle(harness, 300);
    const shared = harness.emulator.messagesIn(CHANNEL, { threadTs: opened.card.ts }).flatMap((message) => (message.files ?? []) as { id: string }[]);
    expect(shared.map((file) => file.id)).toEqual([(await chartFile())!.id]);
    expect(harness.emulator.callsTo('conversations.replies').length).toBeGreaterThan(0);
  });

  test('a 503 (Slack turned the call away, nothing was posted) is retried without a lookup', async () => {
    harness.emulator.failNext('chat.postMessage', { status: 503 });
    await harness.driver.command('new Turned away once');
    await until('the card recorded', async () => Boolean((await storedCase(harness, 1))?.origin.cardTs), 15_000);
    await settle(harness, 300);
    expect({ cards: cardsOf(harness, 1).length, lookups: harness.emulator.callsTo('conversations.history').length }).toEqual({ cards: 1, lookups: 0 });
  });

  test('a thread line Slack refuses for good is given up on: the case keeps the change, and its card says what Slack did not take, edit after edit', async () => {
    const opened = await openCaseByCommand(harness, 'Credential stuffing on VPN');
    await settle(harness);
    harness.emulator.failNext('chat.postMessage', { error: 'restricted_action' });
    await runCommand(harness, `comment ${opened.number} Locked 40 accounts`);
    const cardText = () => textOf(harness.emulator.findMessage(CHANNEL, opened.card.ts)?.blocks);
    await until('the card says what Slack did not take', () => cardText().includes('Slack did not take'), 15_000);
    expect(cardText()).toMatch(/the thread line for <@U0ALICE>'s change \(restricted_action, /);
    expect(harness.emulator.messagesIn(CHANNEL, { threadTs: opened.card.ts }).some((line) => line.text.includes('Locked 40 accounts'))).toBe(false);
    const comments = await fromStore(harness, (store) => store.listAttachments(opened.id, { limit: 10, types: ['user'] }));
    expect(comments.map((comment) => comment.data.comment)).toEqual(['Locked 40 accounts']);

    // A later change edits the card again: the note stays until the failure is pruned.
    await runCommand(harness, `severity ${opened.number} high`);
    await until('the card shows the new severity', () => cardText().includes('High'), 15_000);
    expect(cardText()).toContain('Slack did not take the thread line');
  });

  test('in an archived channel, where the card cannot say it either, the person who acted is told by direct message', async () => {
    const opened = await openCaseByCommand(harness, 'Exfiltration over DNS');
    await settle(harness);
    harness.emulator.getChannel(CHANNEL)!.isArchived = true;
    await runCommand(harness, `comment ${opened.number} Sinkholed the domain`);
    const directMessages = () => harness.emulator.callsTo('chat.postMessage').filter((call) => call.args.channel === 'U0ALICE').map((call) => String(call.args.text));
    await until('the actor told about the thread line', () => directMessages().some((text) => text.includes('could not post it in the case thread')), 15_000);
    expect(directMessages().find((text) => text.includes('case thread'))).toMatch(/is saved, but I could not post it in the case thread \(is_archived\)/);
  });

  test(
    'Slack down for 60 s: every change is saved at once, and when Slack is back every card converges to its case, once',
    async () => {
      const first = await openCaseByCommand(harness, 'Ransomware note on FS01');
      await settle(harness);
      harness.emulator.outage(true);
      // Changes keep coming while Slack refuses every call.
      await harness.driver.command(`severity ${first.number} critical`);
      await harness.driver.command(`comment ${first.number} Isolated FS01`);
      await harness.driver.command('new Lateral movement from FS01');
      await until('the changes stored', async () => (await storedCase(harness, first.number))?.severity === 'critical' && (await storedCase(harness, 2)) !== null, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 60_000));
      harness.emulator.outage(false);
      // Backoff tops out at 30 s: both streams are delivered within one more round.
      const threadOfFirst = () => harness.emulator.messagesIn(CHANNEL, { threadTs: first.card.ts }).map((line) => line.text);
      await until('both cards current and the thread complete', async () => {
        const second = await storedCase(harness, 2);
        const current = Boolean(second?.origin.cardTs) && textOf(harness.emulator.findMessage(CHANNEL, first.card.ts)?.blocks).includes('Critical');
        return current && threadOfFirst().some((text) => text.includes('Isolated FS01'));
      }, 45_000);
      await settle(harness, 500);
      expect({ first: cardsOf(harness, first.number).length, second: cardsOf(harness, 2).length }).toEqual({ first: 1, second: 1 });
      const thread = threadOfFirst();
      expect(thread.filter((text) => text.includes('Isolated FS01'))).toHaveLength(1);
      expect({ thread, severityLines: thread.filter((text) => /severity/.test(text)).length }).toMatchObject({ severityLines: 1 });
    },
    150_000,
  );
});
