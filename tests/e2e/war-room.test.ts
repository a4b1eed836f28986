import { until } from '../reliability/support/async';
import { severityBadge } from '../../src/slack/blocks/case-format';
import { Harness } from '../support/harness';
import { fromStore, openCaseByCommand, runCommand, settle, textOf } from './support';

/**
 * The war room (cases/war-room.ts, slack/effects/room-effects.ts): one tap or `/case room` gives a case a channel of
 * its own, made by the outbox, against the Slack emulator, which applies the channel rules and errors Slack documents.
 */

const TEAM = 'T0001';
let harness: Harness;

beforeEach(async () => {
  harness = await Harness.start({ env: { CASEOPS_OUTBOX_POLL_MS: '100' } });
});

afterEach(() => harness.stop());

const caseNow = (number: number) => fromStore(harness, (store) => store.getCase(TEAM, { number })).then((theCase) => theCase!);

async function roomOf(number: number) {
  await until(`case #${number}'s room made`, async () => Boolean((await caseNow(number)).room?.cardTs), 15_000);
  await settle(harness);
  const room = (await caseNow(number)).room!;
  return { ...room, channel: harness.emulator.getChannel(room.channelId!)! };
}

const cardIn = (channel: string, ts: string) => textOf(harness.emulator.messagesIn(channel).find((message) => message.ts === ts)!.blocks);

describe('the war room', () => {
  test('one tap on the card: a channel with the case in its name, topic and purpose, the people, a bookmark and the pinned card; both cards stay alike', async () => {
    const opened = await openCaseByCommand(harness, 'Ransomware note on the Überwachung file share sev:high');
    await runCommand(harness, `assign ${opened.number} <@U0BOB|bob>`);
    await settle(harness);
    const tap = await harness.driver.blockAction({ actionId: 'case_room', channelId: 'C0PUBLIC', messageTs: opened.card.ts, userId: 'U0ALICE' });
    expect(tap.status).toBe(200);

    const room = await roomOf(opened.number);
    expect(room.name).toBe(`case-${opened.number}-ransomware-note-on-the-uberwachung-file-share`);
    expect(room.channel).toMatchObject({ name: room.name, isPrivate: false, botIsMember: true });
    expect(room.channel.members.sort()).toEqual(['U0ALICE', 'U0BOB']);
    expect(room.channel.topic).toBe(`Case #${opened.number} · Ransomware note on the Überwachung file share`);
    expect(room.channel.purpose).toContain(`War room of Case #${opened.number}`);
    const permalink = String((await harness.emulator.callsTo('chat.getPermalink'))[0]?.args.message_ts);
    expect(permalink).toBe(opened.card.ts);
    expect(room.channel.bookmarks).toEqual([expect.objectContaining({ title: `Case #${opened.number}`, type: 'link', link: expect.stringContaining('/archives/C0PUBLIC/p') })]);
    expect(room.channel.pins).toEqual([room.cardTs]);
    // The case's own card links to the room and no longer offers one; its thread says who opened it.
    await settle(harness);
    expect(cardIn('C0PUBLIC', opened.card.ts)).toContain(`War room <#${room.channelId}>`);
    expect(cardIn('C0PUBLIC', opened.card.ts)).not.toContain('"action_id":"case_room"');
    const thread = harness.emulator.messagesIn('C0PUBLIC').filter((message) => message.thread_ts === opened.card.ts).map((message) => message.text);
    expect(thread).toContain(`:rotating_light: <@U0ALICE> opened the war room <#${room.channelId}>.`);

    // A change made in either place shows on both cards.
    await harness.driver.blockAction({ actionId: 'case_severity', type: 'static_select', action: { selected_option: { value: 'critical' } }, channelId: room.channelId!, messageTs: room.cardTs!, userId: 'U0ALICE' });
    await until('both cards edited', () => cardIn('C0PUBLIC', opened.card.ts).includes('Critical') && cardIn(room.channelId!, room.cardTs!).includes('Critical'), 10_000);

    // Asked again (another tap, the command): the room it has, nothing new.
    const again = await runCommand(harness, `room ${opened.number}`);
    expect(String(again.text)).toContain(`already has its war room: <#${room.channelId}>`);
    await settle(harness);
    expect(harness.emulator.callsTo('conversations.create')).toHaveLength(1);
  });

  test('a case from a private channel gets a private room, with only people who may see the case; a taken name gets the next one', async () => {
    harness.emulator.addChannel({ id: 'C0SECRET', name: 'ir-exec', isPrivate: true, members: ['U0ALICE', 'U0CAROL'] });
    const opened = await openCaseByCommand(harness, 'CFO mailbox rule', { channelId: 'C0SECRET' });
    harness.emulator.addChannel({ id: 'C0TAKEN', name: `case-${opened.number}-cfo-mailbox-rule`, members: [] });
    // Bob is assigned but not in the private channel: the room would show him the case, so he is left out.
    await runCommand(harness, `assign ${opened.number} <@U0BOB|bob>`, { channelId: 'C0SECRET' });
    const reply = await runCommand(harness, `room ${opened.number} <@U0CAROL|carol>`, { channelId: 'C0SECRET' });
    expect(String(reply.text)).toContain(`Opening the war room of case #${opened.number}`);

    const room = await roomOf(opened.number);
    expect(room.name).toBe(`case-${opened.number}-cfo-mailbox-rule-2`);
    expect(room.channel.isPrivate).toBe(true);
    expect(harness.emulator.callsTo('conversations.create').every((call) => String(call.args.is_private) === 'true')).toBe(true);
    expect(room.channel.members.sort()).toEqual(['U0ALICE', 'U0CAROL']);
    const line = harness.emulator.messagesIn('C0SECRET').find((message) => String(message.text).includes('opened the war room'));
    expect(line?.text).toContain('Not invited, as they are not in this private channel: <@U0BOB>.');
  });

  test('a workspace that lets only admins create channels: a clear answer, nothing left half-made, and the card offers the room again', async () => {
    harness.emulator.channelAdmin.restrictChannelCreation = true;
    const opened = await openCaseByCommand(harness, 'Impossible travel for a contractor');
    const reply = await harness.driver.command(`room ${opened.number}`, { channelId: 'C0PUBLIC' });
    const told = await harness.emulator.waitFor(() => harness.emulator.responses.find((response) => response.id === reply.responseUrl.split('/').pop() && String(response.text).includes('could not open a war room')), 15_000);
    expect(String(told.text)).toContain(`I could not open a war room for case #${opened.number}: this workspace lets only some members create channels`);
    await until('the room forgotten', async () => !(await caseNow(opened.number)).room, 10_000);
    await settle(harness);
    expect(harness.emulator.channelNamed(`case-${opened.number}-impossible-travel-for-a-contractor`)).toBeUndefined();
    expect(cardIn('C0PUBLIC', opened.card.ts)).toContain('"action_id":"case_room"');

    harness.emulator.channelAdmin.restrictChannelCreation = false;
    await runCommand(harness, `room ${opened.number}`);
    expect((await roomOf(opened.number)).name).toBe(`case-${opened.number}-impossible-travel-for-a-contractor`);
  });

  test('Slack rate-limits the creation, fails a step and loses an answer: the room is made once, each step done once', async () => {
    const opened = await openCaseByCommand(harness, 'Beaconing from the badge printers');
    harness.emulator.failNext('conversations.create', { status: 429, retryAfter: 1 });
    harness.emulator.failNext('conversations.setTopic', { status: 503 });
    harness.emulator.failNext('pins.add', { answerLost: true });
    await runCommand(harness, `room ${opened.number}`);

    const room = await roomOf(opened.number);
    const openedLines = () => harness.emulator.messagesIn('C0PUBLIC').filter((message) => message.thread_ts === opened.card.ts && String(message.text).includes('opened the war room'));
    // The pin's answer was lost: the retry after it (a backoff later) pins nothing twice and ends with the line at home.
    await until('the line in the case thread', () => openedLines().length > 0, 15_000);
    await settle(harness, 1_500);
    expect(harness.emulator.callsTo('conversations.create').length).toBeGreaterThan(1);
    expect(room.name).toBe(`case-${opened.number}-beaconing-from-the-badge-printers`);
    expect(harness.emulator.channelNamed(`${room.name}-2`)).toBeUndefined();
    expect(room.channel.pins).toEqual([room.cardTs]);
    expect(room.channel.bookmarks).toHaveLength(1);
    expect(harness.emulator.messagesIn(room.channelId!).filter((message) => message.thread_ts === undefined || message.thread_ts === message.ts)).toHaveLength(1);
    expect(openedLines()).toHaveLength(1);
  });

  test('caseops removed from the room while it sets it up: the asker is told where the room is and why it is unfinished', async () => {
    const opened = await openCaseByCommand(harness, 'Malicious inbox rule');
    harness.emulator.failNext('conversations.setTopic', { error: 'not_in_channel' });
    const asked = await harness.driver.command(`room ${opened.number}`, { channelId: 'C0PUBLIC' });
    const told = await harness.emulator.waitFor(() => harness.emulator.responses.find((response) => response.id === asked.responseUrl.split('/').pop() && String(response.text).includes('could not finish')), 15_000);
    const theCase = await caseNow(opened.number);
    expect(String(told.text)).toContain(`The war room of case #${opened.number} is <#${theCase.room!.channelId}>, but I could not finish setting it up (I was removed from the room; \`/invite @caseops\` there lets me finish).`);
    await settle(harness);
    // The room is kept (it exists), and the card links to it.
    expect(cardIn('C0PUBLIC', opened.card.ts)).toContain(`War room <#${theCase.room!.channelId}>`);
  });

  test('the answer to the channel\'s creation is lost: the retry finds the channel it made, and there is one room', async () => {
    const opened = await openCaseByCommand(harness, 'Suspicious OAuth consent');
    harness.emulator.failNext('conversations.create', { answerLost: true });
    await runCommand(harness, `room ${opened.number}`);
    const room = await roomOf(opened.number);
    expect(room.name).toBe(`case-${opened.number}-suspicious-oauth-consent`);
    expect(harness.emulator.channelNamed(`${room.name}-2`)).toBeUndefined();
    expect(harness.emulator.callsTo('conversations.list').length).toBeGreaterThan(0);
    expect(room.channel.pins).toEqual([room.cardTs]);
  });

  test('roles: who leads, keeps the record and speaks, on the card and in the history; the same again changes nothing; none clears it', async () => {
    const opened = await openCaseByCommand(harness, 'Data theft by a leaver');
    expect(String((await runCommand(harness, `role ${opened.number} lead <@U0BOB|bob>`)).text)).toContain(`Case #${opened.number}: incident lead is <@U0BOB>.`);
    await runCommand(harness, `role ${opened.number} scribe <@U0CAROL|carol>`);
    await until('the card', () => cardIn('C0PUBLIC', opened.card.ts).includes('*Lead* <@U0BOB> · *Scribe* <@U0CAROL>'), 10_000);
    expect(String((await runCommand(harness, `role ${opened.number} lead <@U0BOB|bob>`)).text)).toContain('nothing to change');
    await runCommand(harness, `role ${opened.number} scribe none`);
    await until('the scribe gone', () => !cardIn('C0PUBLIC', opened.card.ts).includes('Scribe'), 10_000);

    const theCase = await caseNow(opened.number);
    expect(theCase.roles).toEqual({ lead: 'U0BOB' });
    const comments = (await fromStore(harness, (store) => store.listAttachments(theCase.id, { limit: 10, types: ['user'] }))).map((attachment) => (attachment.data as { comment: string }).comment);
    expect(comments.sort()).toEqual(['Role: <@U0BOB> is the incident lead.', 'Role: <@U0CAROL> is the scribe.', 'Role: nobody is the scribe any more.']);
    await settle(harness);
    const thread = harness.emulator.messagesIn('C0PUBLIC').filter((message) => message.thread_ts === opened.card.ts).map((message) => String(message.text));
    expect(thread.filter((text) => text.includes('Role:'))).toHaveLength(3);
    for (const wrong of [`role ${opened.number} boss <@U0BOB|bob>`, `role ${opened.number} lead bob`, `role ${opened.number} lead`]) {
      expect(String((await runCommand(harness, wrong)).text)).toContain('`/case role` takes a case, a role and a person');
    }
  });

  test('/case report: the post-incident report in the room, as Markdown, with the timeline in order, the roles, what was found and how long it took', async () => {
    const opened = await openCaseByCommand(harness, 'Credential phishing wave sev:medium');
    await runCommand(harness, `room ${opened.number}`);
    const room = await roomOf(opened.number);
    await runCommand(harness, `role ${opened.number} lead <@U0BOB|bob>`);
    await runCommand(harness, `severity ${opened.number} high`);
    await runCommand(harness, `indicator ${opened.number} evil-login[.]example domain`);
    await runCommand(harness, `comment ${opened.number} Blocked the *sender* domain`);
    await runCommand(harness, `close ${opened.number}`);
    const reply = await runCommand(harness, `report ${opened.number}`);
    expect(String(reply.text)).toContain(`it is posted in <#${room.channelId}> as a Markdown file`);

    const upload = await harness.emulator.waitFor(() => harness.emulator.uploads.find((file) => file.filename.endsWith('.md')), 15_000);
    expect(upload).toMatchObject({ channelId: room.channelId, title: `Post-incident report: case #${opened.number}` });
    expect(upload.filename).toMatch(new RegExp(`^case-${opened.number}-report-[0-9a-f]{12}\\.md$`));
    const report = upload.bytes.toString('utf8');
    expect(report).toContain(`# Post-incident report: case #${opened.number} · Credential phishing wave`);
    expect(report).toMatch(/- Severity: high · Status: closed/);
    expect(report).toMatch(/- Closed \S+ by alice, after \d+s/);
    expect(report).toContain('- incident lead: bob');
    expect(report).toContain('- domain: `evil-login.example`');
    // The timeline, oldest first: every change, in the order it was made.
    const timeline = report.split('## Timeline')[1]!.split('## Indicators')[0]!.split('\n').filter((line) => /^\| \d{4}-/.test(line));
    expect(timeline.map((line) => line.split(' | ')[2]!.replace(/ \|$/, ''))).toEqual([
      'opened the case',
      'commented: Role: @bob is the incident lead.',
      'set severity to high',
      'added indicator `evil-login.example` (domain)',
      'commented: Blocked the \\*sender\\* domain',
      'set status to closed',
    ]);
  });

  test('the room as evidence: a :pushpin: on a message attaches it once, however often Slack delivers it; taking it off keeps the event and says so', async () => {
    harness.emulator.addChannel({ id: 'C0SECRET', name: 'ir-exec', isPrivate: true, members: ['U0ALICE', 'U0CAROL'] });
    const opened = await openCaseByCommand(harness, 'Dropper on the finance laptop', { channelId: 'C0SECRET' });
    await runCommand(harness, `room ${opened.number}`, { channelId: 'C0SECRET' });
    const room = await roomOf(opened.number);
    const found = harness.emulator.addMessage({ channel: room.channelId!, user: 'U0ALICE', text: 'Dropper hash 44d88612fea8a8f36de82e1278abb02f from C:\\Temp' });
    const reply = harness.emulator.addMessage({ channel: room.channelId!, user: 'U0CAROL', text: 'Same file on the CFO laptop', threadTs: found.ts });
    const pin = (user: string, ts: string, type = 'reaction_added', reaction = 'pushpin') => ({ type, user, reaction, item: { type: 'message', channel: room.channelId, ts }, item_user: 'U0ALICE', event_ts: `${ts}1` });

    await Promise.all([harness.driver.event(pin('U0ALICE', found.ts)), harness.driver.event(pin('U0ALICE', found.ts), { retryNum: 1, retryReason: 'http_timeout' }), harness.driver.event(pin('U0ALICE', found.ts), { retryNum: 2, retryReason: 'http_timeout' })]);
    await harness.driver.event(pin('U0CAROL', found.ts));
    await harness.driver.event(pin('U0CAROL', reply.ts));
    // Another reaction, and a reaction in a channel that is no room, attach nothing.
    await harness.driver.event(pin('U0ALICE', reply.ts, 'reaction_added', 'eyes'));
    const elsewhere = harness.emulator.addMessage({ channel: 'C0PUBLIC', user: 'U0BOB', text: 'not a room' });
    await harness.driver.event({ ...pin('U0BOB', elsewhere.ts), item: { type: 'message', channel: 'C0PUBLIC', ts: elsewhere.ts } });
    await until('two events', async () => (await caseNow(opened.number)).totals.event === 2, 10_000);
    await settle(harness, 500);
    const events = await fromStore(harness, async (store) => store.listAttachments((await caseNow(opened.number)).id, { limit: 10, types: ['event'] }));
    expect(events.map((event) => (event.data as { message: { text: string; threadTs?: string } }).message).reverse()).toEqual([
      expect.objectContaining({ text: 'Dropper hash 44d88612fea8a8f36de82e1278abb02f from C:\\Temp' }),
      expect.objectContaining({ text: 'Same file on the CFO laptop', threadTs: found.ts }),
    ]);

    // Edited in the room afterwards: followed like any attached message.
    const edit = { type: 'message', subtype: 'message_changed', channel: room.channelId, hidden: true, ts: '1796000001.000100', message: { type: 'message', user: 'U0ALICE', text: 'Dropper hash confirmed by the sandbox', ts: found.ts, edited: { user: 'U0ALICE', ts: '1796000001.000100' } } };
    await harness.driver.event(edit);
    await until('the edit followed', async () => {
      const attached = await fromStore(harness, async (store) => store.listAttachments((await caseNow(opened.number)).id, { limit: 10, types: ['event'] }));
      return attached.some((event) => (event.data as { message: { text: string; edited: boolean } }).message.text === 'Dropper hash confirmed by the sandbox');
    }, 10_000);

    await harness.driver.event(pin('U0ALICE', found.ts, 'reaction_removed'));
    await harness.driver.event(pin('U0ALICE', found.ts, 'reaction_removed'), { retryNum: 1, retryReason: 'http_timeout' });
    await until('the removal recorded', async () => (await caseNow(opened.number)).totals.user === 1, 10_000);
    await settle(harness, 500);
    expect(await caseNow(opened.number)).toMatchObject({ totals: expect.objectContaining({ event: 2, user: 1 }) });
  });

  test('capture all: every message posted in the room is attached once, by its author; caseops\' own and other channels\' are not; capture pins stops it', async () => {
    const opened = await openCaseByCommand(harness, 'Insider exfiltration to a personal cloud');
    expect(String((await runCommand(harness, `room ${opened.number} capture all`)).text)).toContain('has no war room yet');
    await runCommand(harness, `room ${opened.number}`);
    const room = await roomOf(opened.number);
    expect(String((await runCommand(harness, `room ${opened.number} capture all`)).text)).toContain('every message of the war room is attached from now on');
    expect(String((await runCommand(harness, `room ${opened.number} capture everything`)).text)).toContain('`/case room 42 capture all`');

    const posted = (user: string, text: string, channel = room.channelId!) => {
      const message = harness.emulator.addMessage({ channel, user, text });
      return { type: 'message', channel, user, text, ts: message.ts, channel_type: 'channel' };
    };
    const first = posted('U0ALICE', 'Uploads to a personal Drive since Monday');
    await harness.driver.event(first);
    await harness.driver.event(first, { retryNum: 1, retryReason: 'http_timeout' });
    await harness.driver.event(posted('U0BOB', 'HR confirms the notice period started Monday'));
    await harness.driver.event({ ...posted('U0ALICE', 'not in the room', 'C0PUBLIC') });
    await harness.driver.event({ type: 'message', subtype: 'channel_join', channel: room.channelId, user: 'U0CAROL', text: '<@U0CAROL> has joined the channel', ts: '1796000000.000100' });
    await harness.driver.event({ type: 'message', channel: room.channelId, user: harness.emulator.botUserId, bot_id: 'B0CASEOPS', text: 'a caseops notice', ts: '1796000000.000200' });
    await until('two events', async () => (await caseNow(opened.number)).totals.event === 2, 10_000);

    await runCommand(harness, `room ${opened.number} capture pins`);
    await harness.driver.event(posted('U0ALICE', 'After capture stopped'));
    await settle(harness, 500);
    const events = await fromStore(harness, async (store) => store.listAttachments((await caseNow(opened.number)).id, { limit: 10, types: ['event'] }));
    expect(events.map((event) => (event.data as { message: { text: string; author: { id: string } } }).message).map(({ text, author }) => `${author.id}: ${text}`).sort()).toEqual([
      'U0ALICE: Uploads to a personal Drive since Monday',
      'U0BOB: HR confirms the notice period started Monday',
    ]);
  });

  test('closing the case tells the room, with a summary and a button that archives it; the card says so', async () => {
    const opened = await openCaseByCommand(harness, 'Brute force on the VPN');
    await runCommand(harness, `room ${opened.number}`);
    const room = await roomOf(opened.number);
    await runCommand(harness, `comment ${opened.number} Blocked the source ASN`);
    await runCommand(harness, `close ${opened.number}`);
    const told = await harness.emulator.waitFor(() => harness.emulator.messagesIn(room.channelId!).find((message) => String(message.text).includes('was closed by')), 10_000);
    expect(told.text).toMatch(new RegExp(`Case #${opened.number} was closed by <@U0ALICE> after \\d+s: 0 events · 0 alerts · 0 indicators · 1 comment\\.`));
    expect(textOf(told.blocks)).toContain('"action_id":"case_room_archive"');

    await harness.driver.blockAction({ actionId: 'case_room_archive', channelId: room.channelId!, messageTs: told.ts, userId: 'U0BOB' });
    await until('the room archived', () => harness.emulator.getChannel(room.channelId!)!.isArchived, 10_000);
    await until('the card says so', () => cardIn('C0PUBLIC', opened.card.ts).includes(`War room <#${room.channelId}> (archived)`), 10_000);
    // Pressed again: nothing more to do, and no error.
    await harness.driver.blockAction({ actionId: 'case_room_archive', channelId: room.channelId!, messageTs: told.ts, userId: 'U0BOB' });
    await settle(harness);
    expect(harness.emulator.callsTo('conversations.archive')).toHaveLength(1);
    // The archived room's card is left as it is: nothing tries to edit it, nothing is given up on.
    const roomCardEdits = () => harness.emulator.callsTo('chat.update').filter((call) => call.args.channel === room.channelId).length;
    const editsWhenArchived = roomCardEdits();
    await runCommand(harness, `reopen ${opened.number}`);
    await settle(harness);
    expect(roomCardEdits()).toBe(editsWhenArchived);
    expect(harness.logLines.join('')).not.toContain('effect given up on');
  });

  test('a room archived in Slack itself: the case’s changes still edit its card, its closing tells nobody there, and nothing is given up on', async () => {
    const opened = await openCaseByCommand(harness, 'Exfiltration over DNS');
    await runCommand(harness, `room ${opened.number}`);
    const room = await roomOf(opened.number);
    harness.emulator.getChannel(room.channelId!)!.isArchived = true;
    await runCommand(harness, `severity ${opened.number} high`);
    const severityField = textOf(`*Severity*\n${severityBadge('high')}`).slice(1, -1);
    await until('the card shows the change', () => cardIn('C0PUBLIC', opened.card.ts).includes(severityField), 10_000);
    await settle(harness);
    expect(harness.logLines.join('')).toContain('the war room no longer shows the case card');
    await runCommand(harness, `close ${opened.number}`);
    await settle(harness);
    expect(harness.logLines.join('')).toContain('the war room is gone; it was not told its case is closed');
    expect(harness.logLines.join('')).not.toContain('effect given up on');
    expect(harness.emulator.callsTo('chat.postMessage').filter((call) => String(call.args.channel).startsWith('U0'))).toEqual([]);
  });

  test('a closed case, an unknown one, or a malformed command gets a short answer and opens nothing', async () => {
    const opened = await openCaseByCommand(harness, 'Old phishing');
    await runCommand(harness, `close ${opened.number}`);
    expect(String((await runCommand(harness, `room ${opened.number}`)).text)).toContain('is closed: reopen it to open a war room');
    expect(String((await runCommand(harness, 'room 999')).text)).toMatch(/#999/);
    expect(String((await runCommand(harness, `room ${opened.number} carol`)).text)).toContain('`/case room` takes a case');
    await settle(harness);
    expect(harness.emulator.callsTo('conversations.create')).toHaveLength(0);
  });
});
