import { randomUUID } from 'node:crypto';
import { readPngHeader } from '../../src/charts/png';
import { Harness } from '../support/harness';
import { fromStore, openCaseByCommand, runCommand, settle, textOf, useHarness } from './support';

describe('charts as case comments', () => {
  const current = useHarness();
  let harness: Harness;

  beforeEach(() => {
    harness = current();
  });

  test('/case chart uploads a PNG into the case thread (three-request flow) and records the visualization', async () => {
    const theCase = await openCaseByCommand(harness, 'Charted case');
    await runCommand(harness, 'comment 1 first look');
    await runCommand(harness, 'indicator 1 203.0.113.7');
    harness.emulator.reset();
    const response = await harness.driver.command('chart 1 activity last 24h by 1h');
    expect(response.status).toBe(200);
    expect(response.body).toBe('');
    const reply = await harness.emulator.waitFor(() => harness.emulator.responses[0], 20_000);
    expect(reply.text).toBe('Chart posted in the thread of case #1.');

    expect(harness.emulator.calls.map((call) => call.method).filter((method) => method.startsWith('files.'))).toEqual([
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
    ]);
    const [upload] = harness.emulator.uploads;
    expect(upload).toBeDefined();
    const header = readPngHeader(upload!.bytes);
    expect(header).toEqual({ width: 1200, height: 800 });
    const complete = harness.emulator.callsTo('files.completeUploadExternal')[0]!;
    expect(complete.args).toMatchObject({ channel_id: 'C0PUBLIC', thread_ts: theCase.card.ts });
    const getUrl = harness.emulator.callsTo('files.getUploadURLExternal')[0]!;
    expect(String(getUrl.args.alt_text)).toMatch(/comment.*1.*indicator.*1/s);

    const history = textOf((await runCommand(harness, 'show 1')).blocks);
    expect(history).toContain('posted a chart: Case #1 activity');
    await settle(harness);
    expect(harness.emulator.messagesIn('C0PUBLIC', { threadTs: theCase.card.ts }).filter((m) => String(m.text).includes('posted a chart'))).toEqual([]);
  });

  test('the Chart button opens a modal; submitting it twice posts one chart', async () => {
    const theCase = await openCaseByCommand(harness, 'Modal chart');
    await harness.driver.blockAction({ actionId: 'case_chart', channelId: 'C0PUBLIC', messageTs: theCase.card.ts });
    const opened = await harness.emulator.waitFor(() => harness.emulator.callsTo('views.open').find((call) => textOf(call.args.view).includes('case_chart_modal')));
    const metadata = (opened.args.view as { private_metadata: string }).private_metadata;
    const option = (value: string) => ({ type: 'static_select', selected_option: { text: { type: 'plain_text', text: value }, value } });
    const submit = () =>
      harness.driver.viewSubmission({
        callbackId: 'case_chart_modal',
        viewId: 'V0CHARTTWICE',
        privateMetadata: metadata,
        values: { what: { value: option('events split author') }, range: { value: option('last 7d') }, bucket: { value: option('by 1d') } },
      });
    await Promise.all([submit(), submit()]);
    await harness.emulator.waitFor(() => harness.emulator.uploads[0], 20_000);
    await settle(harness, 300);
    expect(harness.emulator.uploads).toHaveLength(1);
    expect(textOf((await runCommand(harness, 'show 1')).blocks)).toContain('posted a chart: Case #1 messages by author');
  });

  test.each([
    ['chart 1 pie', /I can't chart `pie`/],
    ['chart 1 from 2026-11-28T10:00Z to 2026-11-27T10:00Z', /before|after|end/i],
    ['chart 1 from yesterday to tomorrow', /date/i],
    ['chart 999 activity', /There is no case #999/],
  ])('%j → a clear message, nothing posted', async (text, message) => {
    await openCaseByCommand(harness, 'Bad chart inputs');
    harness.emulator.reset();
    const reply = await runCommand(harness, text);
    expect(reply.text).toMatch(message);
    expect(harness.emulator.uploads).toEqual([]);
  });

  test('10,000 buckets requested → a capped chart with a note, not a hang', async () => {
    await openCaseByCommand(harness, 'Many buckets');
    const reply = await runCommand(harness, 'chart 1 last 7d by 1m');
    expect(reply.text).toMatch(/Chart posted.*would draw 10,080 bars/);
  });

  test('a case with 50,000 attachments is charted whole; /case chart all posts open cases by severity', async () => {
    const theCase = await openCaseByCommand(harness, 'Huge case sev:critical');
    await openCaseByCommand(harness, 'Second sev:high');
    const { SqliteCaseStore } = await import('../../src/storage/sqlite/sqlite-store');
    const store = new SqliteCaseStore(harness.dataDir);
    await store.init();
    const current = (await store.getCase('T0001', { id: theCase.id }))!;
    const now = Date.now();
    const attachments = Array.from({ length: 50_000 }, (_, index) => ({
      id: randomUUID(),
      caseId: theCase.id,
      type: (index % 3 === 0 ? 'user' : 'indicator') as 'user' | 'indicator',
      data: { comment: 'x' },
      createdAt: new Date(now - (index % 1440) * 60_000).toISOString(),
      createdBy: { userId: 'U0ALICE', teamId: 'T0001' },
      updatedAt: null,
      updatedBy: null,
      owner: 'securitySolution' as const,
    }));
    await store.updateCase(current, current.version, { addAttachments: attachments });
    await store.close();
    const response = await harness.driver.command('chart 1 last 24h');
    expect(response.status).toBe(200);
    const reply = await harness.emulator.waitFor(() => harness.emulator.responses.find((r) => String(r.text).startsWith('Chart posted')), 30_000);
    expect(reply).toBeDefined();
    const alt = String(harness.emulator.callsTo('files.getUploadURLExternal').at(-1)!.args.alt_text);
    // 50,000 points spread over the last 24 hours: every third one a comment, the rest indicators.
    expect(alt).toContain('50000 attachments: indicator 33333, comment 16667');

    harness.emulator.reset();
    const all = await runCommand(harness, 'chart all');
    expect(all.text).toBe('Chart of open cases posted in this channel.');
    const doughnut = harness.emulator.callsTo('files.getUploadURLExternal')[0]!;
    expect(String(doughnut.args.alt_text)).toMatch(/critical.*1/i);
    expect(String(doughnut.args.alt_text)).toMatch(/high.*1/i);
  });

  test('/case metrics posts cases opened and closed per day, with the counts and mean times in the comment and alt text', async () => {
    const first = await openCaseByCommand(harness, 'Phishing wave sev:critical');
    await openCaseByCommand(harness, 'Odd login sev:low');
    harness.emulator.addChannel({ id: 'G0SECRET', name: 'ir-secret', isPrivate: true, members: ['U0ALICE'] });
    await openCaseByCommand(harness, 'Secret case', { channelId: 'G0SECRET' });
    await runCommand(harness, `assign ${first.number} <@U0BOB|bob>`);
    await runCommand(harness, `close ${first.number}`);
    harness.emulator.reset();
    const reply = await runCommand(harness, 'metrics last 7d');
    expect(reply.text).toBe('Case metrics posted in this channel.');
    const upload = harness.emulator.callsTo('files.getUploadURLExternal')[0]!;
    const alt = String(upload.args.alt_text);
    // The private channel's case is not counted in a public channel.
    expect(alt).toMatch(/^Case metrics, .*: 2 opened, 1 closed\. Of those opened: 1 open, 0 in progress, 1 closed\. Mean time to acknowledge \d+s \(1 case\); to close \d+s \(1 case\)\./);
    expect(alt).toContain('Critical: 1 opened');
    expect(alt).toContain('Bar chart: Cases opened and closed');
    const comment = String(harness.emulator.callsTo('files.completeUploadExternal')[0]!.args.initial_comment);
    expect(comment.split('\n')[0]).toMatch(/^Case metrics, .*: 2 opened, 1 closed\.$/);

    expect((await runCommand(harness, 'metrics since tuesday')).text).toMatch(/^:warning: .*/);
  });

  test('/case digest posts the last 24 hours of the cases this channel may see', async () => {
    await openCaseByCommand(harness, 'Phishing wave sev:critical');
    harness.emulator.addChannel({ id: 'G0SECRET', name: 'ir-secret', isPrivate: true, members: ['U0ALICE'] });
    await openCaseByCommand(harness, 'Secret case sev:high', { channelId: 'G0SECRET' });
    harness.emulator.reset();
    expect((await runCommand(harness, 'digest')).text).toBe('Case digest posted in this channel.');
    const digest = textOf(harness.emulator.callsTo('chat.postMessage').find((call) => call.args.channel === 'C0PUBLIC')!.args.blocks);
    expect(digest).toContain('Opened 1 · Closed 0');
    expect(digest).toContain('Still open: 1 critical');
    expect(digest).not.toContain('Secret case');
  });

  test('/case digest on [time] and off set and stop the channel\'s daily digest; a time that is not one is refused', async () => {
    expect((await runCommand(harness, 'digest on 7:30')).text).toMatch(/^Daily digest on: this channel gets it every day at 07:30 \(\S+\)\. `\/case digest off` stops it\.$/);
    const stored = await fromStore(harness, (store) => store.digestSchedules.list('T0001'));
    expect(stored.map((schedule) => [schedule.channelId, schedule.time, schedule.setBy.userId])).toEqual([['C0PUBLIC', '07:30', 'U0ALICE']]);
    expect((await runCommand(harness, 'digest on 25:00')).text).toMatch(/^:warning: `25:00` is not a time of day/);
    expect((await runCommand(harness, 'digest off')).text).toBe('Daily digest off for this channel.');
    expect((await runCommand(harness, 'digest off')).text).toBe('This channel had no daily digest.');
    expect(await fromStore(harness, (store) => store.digestSchedules.list('T0001'))).toEqual([]);
  });
});
