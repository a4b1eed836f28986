import type { WebClient } from '@slack/web-api';
import type { SlackEmulator } from '../support/slack-emulator';
import { TOKEN, postForm, section, webClient, useEmulator } from './helpers';

const shared = useEmulator();
let emulator: SlackEmulator;
let client: WebClient;
beforeEach(() => ({ emulator, client } = shared.current()));

const platformError = (error: string, extra: Record<string, unknown> = {}) => ({
  code: 'slack_webapi_platform_error',
  data: { ok: false, error, ...extra },
});

describe('authentication', () => {
  it('answers not_authed without a token and invalid_auth with a wrong one (HTTP 200, like Slack)', async () => {
    await expect(webClient(emulator, {}, null).auth.test()).rejects.toMatchObject(platformError('not_authed'));
    await expect(webClient(emulator, {}, 'xoxb-wrong').auth.test()).rejects.toMatchObject(platformError('invalid_auth'));
  });

  it('describes the bot in auth.test', async () => {
    await expect(client.auth.test()).resolves.toMatchObject({
      ok: true,
      url: 'https://caseops-test.slack.com/',
      team: expect.any(String),
      user: 'caseops',
      team_id: 'T0001',
      user_id: emulator.botUserId,
      bot_id: expect.stringMatching(/^B/),
    });
  });

  it('takes the token from a form field, but only from the Authorization header for JSON bodies', async () => {
    await expect(postForm(emulator, 'auth.test', { token: TOKEN })).resolves.toMatchObject({ ok: true });
    const json = await fetch(`${emulator.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: TOKEN, channel: 'C0PUBLIC', text: 'hi' }),
    });
    await expect(json.json()).resolves.toEqual({ ok: false, error: 'not_authed' });
  });

  it('answers unknown_method for methods Slack does not have', async () => {
    await expect(client.apiCall('chat.sendCarrierPigeon')).rejects.toMatchObject(platformError('unknown_method'));
  });
});

describe('argument checks from the method descriptions', () => {
  it.each([
    ['chat.postMessage', { text: 'hi' }, 'channel_not_found', 'channel'],
    ['chat.postMessage', { channel: 'C0PUBLIC' }, 'no_text', 'text'],
    ['views.open', { view: { type: 'modal' } }, 'invalid_arguments', 'trigger_id'],
    ['users.info', {}, 'user_not_found', 'user'],
    ['conversations.replies', { channel: 'C0PUBLIC' }, 'thread_not_found', 'ts'],
    ['files.completeUploadExternal', {}, 'invalid_arguments', 'files'],
    ['files.getUploadURLExternal', { filename: 'a.txt', length: 0 }, 'missing_argument', 'length'],
  ])('%s with %j → %s', async (method, args, error, arg) => {
    await expect(client.apiCall(method, args)).rejects.toMatchObject(
      platformError(error, { response_metadata: { messages: [`[ERROR] missing required field: ${arg}`] } }),
    );
  });

  it('rejects a wrongly typed argument with invalid_arguments', async () => {
    await expect(client.apiCall('conversations.members', { channel: 'C0PUBLIC', limit: 'many' })).rejects.toMatchObject(
      platformError('invalid_arguments', { response_metadata: { messages: [expect.stringMatching(/^\[ERROR\] .*limit/)] } }),
    );
  });

  it('reports blocks that are not JSON as invalid_blocks_format', async () => {
    const body = await postForm(emulator, 'chat.postMessage', { channel: 'C0PUBLIC', blocks: '[{"type":' }, { authorization: `Bearer ${TOKEN}` });
    expect(body).toMatchObject({ ok: false, error: 'invalid_blocks_format' });
  });
});

describe('chat', () => {
  it('postMessage answers {ok, channel, ts, message} with unique, increasing ts', async () => {
    const first = await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'one' });
    const second = await client.chat.postMessage({ channel: '#soc', text: 'two' });
    expect(first).toMatchObject({
      ok: true,
      channel: 'C0PUBLIC',
      ts: expect.stringMatching(/^\d{10}\.\d{6}$/),
      message: { type: 'message', text: 'one', user: emulator.botUserId, bot_id: expect.stringMatching(/^B/), ts: first.ts },
    });
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(emulator.messagesIn('C0PUBLIC').map((m) => m.text)).toEqual(['one', 'two']);
  });

  it('posting to a user id opens the DM with them', async () => {
    const result = await client.chat.postMessage({ channel: 'U0BOB', text: 'psst' });
    expect(result.channel).toMatch(/^D/);
    await expect(client.conversations.info({ channel: result.channel as string })).resolves.toMatchObject({
      channel: { is_im: true, user: 'U0BOB' },
    });
  });

  it('threads replies; getPermalink and conversations.replies see the thread', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'parent' });
    const reply = await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'reply', thread_ts: parent.ts as string });
    expect(reply.message).toMatchObject({ thread_ts: parent.ts, parent_user_id: emulator.botUserId });

    const base = 'https://caseops-test.slack.com/archives/C0PUBLIC/p';
    await expect(client.chat.getPermalink({ channel: 'C0PUBLIC', message_ts: parent.ts as string })).resolves.toMatchObject({
      ok: true,
      channel: 'C0PUBLIC',
      permalink: `${base}${(parent.ts as string).replace('.', '')}`,
    });
    const replyLink = await client.chat.getPermalink({ channel: 'C0PUBLIC', message_ts: reply.ts as string });
    expect(replyLink.permalink).toBe(`${base}${(reply.ts as string).replace('.', '')}?thread_ts=${parent.ts}&cid=C0PUBLIC`);

    const replies = await client.conversations.replies({ channel: 'C0PUBLIC', ts: reply.ts as string });
    expect(replies.messages?.map((m) => m.text)).toEqual(['parent', 'reply']);
    expect(replies.messages?.[0]).toMatchObject({ reply_count: 1, latest_reply: reply.ts });
    expect(emulator.messagesIn('C0PUBLIC', { threadTs: parent.ts as string }).map((m) => m.text)).toEqual(['reply']);
  });

  it('update edits the stored message and answers message_not_found for an unknown ts', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'draft', blocks: [section('draft')] });
    const updated = await client.chat.update({ channel: 'C0PUBLIC', ts: posted.ts as string, text: 'final' });
    expect(updated).toMatchObject({
      ok: true,
      channel: 'C0PUBLIC',
      ts: posted.ts,
      text: 'final',
      message: { text: 'final', edited: { user: emulator.botUserId } },
    });
    expect(emulator.findMessage('C0PUBLIC', posted.ts as string)?.blocks).toHaveLength(1);
    await expect(client.chat.update({ channel: 'C0PUBLIC', ts: '1.000001', text: 'x' })).rejects.toMatchObject(platformError('message_not_found'));
  });

  it('refuses unknown, unjoined private and archived channels; unjoined public ones take messages, not files', async () => {
    emulator.addChannel({ id: 'C0SECRET', name: 'secret', isPrivate: true, botIsMember: false });
    emulator.addChannel({ id: 'C0OLD', name: 'old', isArchived: true });
    emulator.addChannel({ id: 'C0LOBBY', name: 'lobby', botIsMember: false });
    await expect(client.chat.postMessage({ channel: 'C0NOPE', text: 'x' })).rejects.toMatchObject(platformError('channel_not_found'));
    await expect(client.chat.postMessage({ channel: 'C0SECRET', text: 'x' })).rejects.toMatchObject(platformError('not_in_channel'));
    await expect(client.chat.postMessage({ channel: 'C0LOBBY', text: 'x' })).resolves.toMatchObject({ ok: true });
    await expect(client.filesUploadV2({ content: 'x', filename: 'x.txt', channel_id: 'C0LOBBY' })).rejects.toMatchObject(platformError('not_in_channel'));
    await expect(client.chat.postMessage({ channel: 'C0OLD', text: 'x' })).rejects.toMatchObject(platformError('is_archived'));
    await expect(client.conversations.info({ channel: 'C0SECRET' })).rejects.toMatchObject(platformError('channel_not_found'));
  });

  it('postEphemeral answers message_ts and needs the user to be in the channel', async () => {
    await expect(client.chat.postEphemeral({ channel: 'C0PUBLIC', user: 'U0ALICE', text: 'just you' })).resolves.toEqual({
      ok: true,
      message_ts: expect.stringMatching(/^\d+\.\d{6}$/),
      response_metadata: {},
    });
    expect(emulator.ephemeralMessages).toEqual([expect.objectContaining({ channel: 'C0PUBLIC', user: 'U0ALICE', text: 'just you' })]);
    emulator.addUser({ id: 'U0DAVE', name: 'dave' });
    await expect(client.chat.postEphemeral({ channel: 'C0PUBLIC', user: 'U0DAVE', text: 'x' })).rejects.toMatchObject(
      platformError('user_not_in_channel'),
    );
  });
});

describe('Block Kit limits', () => {
  it('rejects a 51-block message with invalid_blocks and records the violation', async () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const error = 'no more than 50 items allowed [json-pointer:/blocks]';
    await expect(client.chat.postMessage({ channel: 'C0PUBLIC', text: 'x', blocks })).rejects.toMatchObject(
      platformError('invalid_blocks', { errors: [error], response_metadata: { messages: [`[ERROR] ${error}`] } }),
    );
    expect(emulator.blockKitViolations).toEqual([expect.objectContaining({ source: 'chat.postMessage', surface: 'message', errors: [error] })]);
    expect(emulator.messagesIn('C0PUBLIC')).toEqual([]);
  });

  it('rejects a 3001-character section text', async () => {
    await expect(client.chat.postMessage({ channel: 'C0PUBLIC', text: 'x', blocks: [section('a'.repeat(3001))] })).rejects.toMatchObject(
      platformError('invalid_blocks', { errors: ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]'] }),
    );
    await expect(client.chat.postMessage({ channel: 'C0PUBLIC', text: 'x', blocks: [section('a'.repeat(3000))] })).resolves.toMatchObject({ ok: true });
  });

  it('answers msg_blocks_too_long beyond 12,000 characters of text across blocks', async () => {
    const blocks = Array.from({ length: 5 }, () => section('b'.repeat(2500)));
    await expect(client.chat.postMessage({ channel: 'C0PUBLIC', text: 'x', blocks })).rejects.toMatchObject(platformError('msg_blocks_too_long'));
  });

  it('truncates text beyond 40,000 characters with a message_truncated warning', async () => {
    const result = await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'c'.repeat(40_001) });
    expect(result.response_metadata?.warnings).toEqual(['message_truncated']);
    expect(emulator.findMessage('C0PUBLIC', result.ts as string)?.text).toHaveLength(40_000);
  });

  it('gives blocks without a block_id one, as Slack does', async () => {
    const result = await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'x', blocks: [section('hi')] });
    expect(result.message?.blocks?.[0]?.block_id).toEqual(expect.any(String));
  });
});

describe('conversations and users', () => {
  it("conversations.info has Slack's channel shape", async () => {
    await expect(client.conversations.info({ channel: 'C0PUBLIC', include_num_members: true })).resolves.toMatchObject({
      ok: true,
      channel: {
        id: 'C0PUBLIC',
        name: 'soc',
        is_channel: true,
        is_group: false,
        is_im: false,
        is_private: false,
        is_archived: false,
        is_member: true,
        num_members: 4,
      },
    });
  });

  it('conversations.members paginates with limit and cursor', async () => {
    const members = ['U01', 'U02', 'U03', 'U04', 'U05'];
    emulator.addChannel({ id: 'C0BIG', name: 'big', members });
    const first = await client.conversations.members({ channel: 'C0BIG', limit: 4 });
    expect(first.members).toEqual(members.slice(0, 4));
    expect(first.response_metadata?.next_cursor).not.toBe('');
    const second = await client.conversations.members({ channel: 'C0BIG', limit: 4, cursor: first.response_metadata?.next_cursor });
    expect(second).toMatchObject({ members: ['U05', emulator.botUserId], response_metadata: { next_cursor: '' } });
    await expect(client.conversations.members({ channel: 'C0BIG', cursor: 'bm9wZQ==' })).rejects.toMatchObject(platformError('invalid_cursor'));
  });

  it('users.info returns the user, or user_not_found', async () => {
    emulator.addUser({ id: 'U0ADMIN', name: 'ada', realName: 'Ada Admin', isAdmin: true });
    await expect(client.users.info({ user: 'U0ADMIN' })).resolves.toMatchObject({
      user: { id: 'U0ADMIN', name: 'ada', real_name: 'Ada Admin', is_admin: true, is_bot: false, team_id: 'T0001', profile: { display_name: 'ada' } },
    });
    await expect(client.users.info({ user: 'U0GHOST' })).rejects.toMatchObject(platformError('user_not_found'));
  });

  it('users.lookupByEmail finds the member with that address whatever its case, or answers users_not_found', async () => {
    emulator.addUser({ id: 'U0EVE', name: 'eve', realName: 'Eve Hunter', email: 'Eve.Hunter@example.com' });
    await expect(client.users.lookupByEmail({ email: 'eve.hunter@EXAMPLE.com' })).resolves.toMatchObject({
      user: { id: 'U0EVE', name: 'eve', deleted: false, is_bot: false, profile: { email: 'Eve.Hunter@example.com' } },
    });
    await expect(client.users.lookupByEmail({ email: 'nobody@example.com' })).rejects.toMatchObject(platformError('users_not_found'));
    await expect(client.apiCall('users.lookupByEmail', {})).rejects.toMatchObject(platformError('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: email'] } }));
  });
});

describe('recording', () => {
  it('records every call with its decoded arguments and headers', async () => {
    await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'x', blocks: [section('hi')] });
    const [call] = emulator.callsTo('chat.postMessage');
    expect(call?.args).toMatchObject({ channel: 'C0PUBLIC', text: 'x', blocks: [section('hi')] });
    expect(call?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('waitFor resolves with the first defined value and fails after its timeout', async () => {
    setTimeout(() => void client.chat.postMessage({ channel: 'C0PUBLIC', text: 'later' }), 20);
    await expect(emulator.waitFor(() => emulator.messagesIn('C0PUBLIC').find((m) => m.text === 'later'))).resolves.toMatchObject({ text: 'later' });
    await expect(emulator.waitFor(() => false, 30)).rejects.toThrow(/within 30 ms/);
  });
});
