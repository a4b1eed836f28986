import type { ConversationsHistoryResponse, WebClient } from '@slack/web-api';
import type { SlackEmulator } from '../support/slack-emulator';
import { TOKEN, postForm, useEmulator } from './helpers';

const shared = useEmulator();
let emulator: SlackEmulator;
let client: WebClient;
beforeEach(() => ({ emulator, client } = shared.current()));

const platformError = (error: string) => ({ code: 'slack_webapi_platform_error', data: expect.objectContaining({ ok: false, error }) });
const effect = (id: string) => ({ event_type: 'caseops_effect', event_payload: { effect_id: id, case: 12 } });

/** Posts `texts` in order to C0PUBLIC and returns their timestamps. */
async function post(...texts: string[]): Promise<string[]> {
  const stamps: string[] = [];
  for (const text of texts) stamps.push((await client.chat.postMessage({ channel: 'C0PUBLIC', text })).ts as string);
  return stamps;
}

describe('message metadata on chat.postMessage and chat.update', () => {
  it('stores metadata on the message; the answer, like every read without include_all_metadata, shows only event_type', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'card', metadata: effect('e1') });
    expect(posted.message?.metadata).toEqual({ event_type: 'caseops_effect' });
    expect(emulator.findMessage('C0PUBLIC', posted.ts as string)?.metadata).toEqual(effect('e1'));
    expect(emulator.callsTo('chat.postMessage')[0]?.args.metadata).toEqual(effect('e1'));
  });

  it('takes metadata as a JSON string in a form or as an object in a JSON body', async () => {
    await expect(postForm(emulator, 'chat.postMessage', { token: TOKEN, channel: 'C0PUBLIC', text: 'form', metadata: JSON.stringify(effect('f')) })).resolves.toMatchObject({ ok: true });
    const json = await fetch(`${emulator.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ channel: 'C0PUBLIC', text: 'json', metadata: effect('j') }),
    });
    await expect(json.json()).resolves.toMatchObject({ ok: true });
    expect(emulator.messagesIn('C0PUBLIC').map((m) => m.metadata)).toEqual([effect('f'), effect('j')]);
  });

  it.each([
    ['text that is not JSON', '{event_type: oops', 'invalid_metadata_format'],
    ['JSON that is not an object', '["caseops_effect"]', 'invalid_metadata_format'],
    ['no event_payload', '{"event_type":"caseops_effect"}', 'invalid_metadata_schema'],
    ['no event_type', '{"event_payload":{"a":1}}', 'invalid_metadata_schema'],
    ['a payload that is not an object', '{"event_type":"caseops_effect","event_payload":"e1"}', 'invalid_metadata_schema'],
  ])('refuses %s with %s and posts nothing', async (_case, metadata, error) => {
    await expect(postForm(emulator, 'chat.postMessage', { token: TOKEN, channel: 'C0PUBLIC', text: 'x', metadata })).resolves.toMatchObject({ ok: false, error });
    expect(emulator.messagesIn('C0PUBLIC')).toEqual([]);
  });

  it('posts the message but drops metadata whose event_type has characters other than letters, digits and _', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'dotted', metadata: { event_type: 'caseops.effect', event_payload: { a: 1 } } });
    expect(posted.ok).toBe(true);
    expect(emulator.findMessage('C0PUBLIC', posted.ts as string)).not.toHaveProperty('metadata');
  });

  it('chat.update keeps metadata when the argument is absent, replaces it when given, removes it with {}', async () => {
    const ts = (await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'v1', metadata: effect('e1') })).ts as string;
    await client.chat.update({ channel: 'C0PUBLIC', ts, text: 'v2' });
    expect(emulator.findMessage('C0PUBLIC', ts)).toMatchObject({ text: 'v2', metadata: effect('e1') });
    await client.chat.update({ channel: 'C0PUBLIC', ts, text: 'v3', metadata: effect('e2') });
    expect(emulator.findMessage('C0PUBLIC', ts)?.metadata).toEqual(effect('e2'));
    await client.apiCall('chat.update', { channel: 'C0PUBLIC', ts, text: 'v4', metadata: {} });
    expect(emulator.findMessage('C0PUBLIC', ts)).not.toHaveProperty('metadata');
    await expect(client.apiCall('chat.update', { channel: 'C0PUBLIC', ts, text: 'v5', metadata: { event_type: 'x' } })).rejects.toMatchObject(
      platformError('invalid_metadata_schema'),
    );
  });
});

describe('conversations.history', () => {
  it('lists the channel newest first, thread parents but not their replies, with payloads only on include_all_metadata', async () => {
    const [first, parent] = await post('first', 'parent');
    await client.chat.postMessage({ channel: 'C0PUBLIC', thread_ts: parent as string, text: 'reply', metadata: effect('r') });
    const last = (await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'last', metadata: effect('l') })).ts;

    const plain = await client.conversations.history({ channel: 'C0PUBLIC' });
    expect(plain).toMatchObject({ ok: true, has_more: false, pin_count: 0, response_metadata: { next_cursor: '' } });
    expect(plain.messages?.map((m) => [m.ts, m.text])).toEqual([[last, 'last'], [parent, 'parent'], [first, 'first']]);
    expect(plain.messages?.[0]?.metadata).toEqual({ event_type: 'caseops_effect' });
    expect(plain.messages?.[1]).toMatchObject({ reply_count: 1, thread_ts: parent });

    const full = await client.conversations.history({ channel: 'C0PUBLIC', include_all_metadata: true });
    expect(full.messages?.[0]?.metadata).toEqual(effect('l'));
  });

  it('bounds the window by oldest and latest, exclusive unless inclusive', async () => {
    const [a, b, c, d] = (await post('a', 'b', 'c', 'd')) as [string, string, string, string];
    const texts = async (args: Record<string, unknown>) =>
      (await client.conversations.history({ channel: 'C0PUBLIC', ...args })).messages?.map((m) => m.text);
    await expect(texts({ oldest: a, latest: d })).resolves.toEqual(['c', 'b']);
    await expect(texts({ oldest: a, latest: d, inclusive: true })).resolves.toEqual(['d', 'c', 'b', 'a']);
    await expect(texts({ oldest: b })).resolves.toEqual(['d', 'c']);
    await expect(texts({ latest: c })).resolves.toEqual(['b', 'a']);
    const seconds = String(Math.floor(Number(a)) - 1);
    await expect(texts({ oldest: seconds })).resolves.toEqual(['d', 'c', 'b', 'a']);
  });

  it('pages with limit and cursor, has_more and next_cursor, as the SDK paginator walks them', async () => {
    await post('m1', 'm2', 'm3', 'm4', 'm5');
    const first = await client.conversations.history({ channel: 'C0PUBLIC', limit: 2 });
    expect(first).toMatchObject({ has_more: true, response_metadata: { next_cursor: expect.stringMatching(/\S/) } });
    expect(first.messages?.map((m) => m.text)).toEqual(['m5', 'm4']);

    const pages: string[][] = [];
    for await (const page of client.paginate('conversations.history', { channel: 'C0PUBLIC', limit: 2 })) {
      pages.push((page as ConversationsHistoryResponse).messages?.map((m) => m.text ?? '') ?? []);
    }
    expect(pages).toEqual([['m5', 'm4'], ['m3', 'm2'], ['m1']]);
  });

  it('answers the documented errors', async () => {
    emulator.addChannel({ id: 'C0UNJOINED', name: 'unjoined', botIsMember: false });
    emulator.addChannel({ id: 'G0SECRET', name: 'secret', isPrivate: true, botIsMember: false });
    const history = (args: Record<string, unknown>) => client.apiCall('conversations.history', args);
    await expect(history({ channel: 'C0NOWHERE' })).rejects.toMatchObject(platformError('channel_not_found'));
    await expect(history({})).rejects.toMatchObject(platformError('channel_not_found'));
    await expect(history({ channel: 'G0SECRET' })).rejects.toMatchObject(platformError('channel_not_found'));
    await expect(history({ channel: 'C0UNJOINED' })).rejects.toMatchObject(platformError('not_in_channel'));
    await expect(history({ channel: 'C0PUBLIC', latest: 'yesterday' })).rejects.toMatchObject(platformError('invalid_ts_latest'));
    await expect(history({ channel: 'C0PUBLIC', oldest: '-1' })).rejects.toMatchObject(platformError('invalid_ts_oldest'));
    await expect(history({ channel: 'C0PUBLIC', cursor: 'bm9wZQ==' })).rejects.toMatchObject(platformError('invalid_cursor'));
    await expect(history({ channel: 'C0PUBLIC', limit: 1000 })).rejects.toMatchObject(platformError('invalid_arguments'));
  });
});

describe('conversations.replies', () => {
  it('returns the parent then its replies, payloads only on include_all_metadata, and the parent leads even past oldest', async () => {
    const [parent] = (await post('parent')) as [string];
    const replies: string[] = [];
    for (const id of ['r1', 'r2', 'r3']) {
      replies.push((await client.chat.postMessage({ channel: 'C0PUBLIC', thread_ts: parent, text: id, metadata: effect(id) })).ts as string);
    }
    const all = await client.conversations.replies({ channel: 'C0PUBLIC', ts: parent });
    expect(all.messages?.map((m) => m.text)).toEqual(['parent', 'r1', 'r2', 'r3']);
    expect(all.messages?.[1]?.metadata).toEqual({ event_type: 'caseops_effect' });

    const full = await client.conversations.replies({ channel: 'C0PUBLIC', ts: replies[1] as string, include_all_metadata: true });
    expect(full.messages?.slice(1).map((m) => m.metadata)).toEqual([effect('r1'), effect('r2'), effect('r3')]);

    const windowed = await client.conversations.replies({ channel: 'C0PUBLIC', ts: parent, oldest: replies[0] as string });
    expect(windowed.messages?.map((m) => m.text)).toEqual(['parent', 'r2', 'r3']);
  });

  it('pages the thread, the parent only on the first page; unknown ts is thread_not_found', async () => {
    const [parent] = (await post('parent')) as [string];
    for (const text of ['r1', 'r2', 'r3']) await client.chat.postMessage({ channel: 'C0PUBLIC', thread_ts: parent, text });
    const first = await client.conversations.replies({ channel: 'C0PUBLIC', ts: parent, limit: 2 });
    expect(first).toMatchObject({ has_more: true });
    const second = await client.conversations.replies({ channel: 'C0PUBLIC', ts: parent, limit: 2, cursor: first.response_metadata?.next_cursor });
    expect([first, second].map((page) => page.messages?.map((m) => m.text))).toEqual([['parent', 'r1'], ['r2', 'r3']]);
    expect(second).toMatchObject({ has_more: false, response_metadata: { next_cursor: '' } });
    await expect(client.conversations.replies({ channel: 'C0PUBLIC', ts: '1.000001' })).rejects.toMatchObject(platformError('thread_not_found'));
  });
});

describe('uploads in history', () => {
  it('a file completed into a channel or a thread is the message Slack creates, findable by its title', async () => {
    const [parent] = (await post('case #12')) as [string];
    await client.filesUploadV2({ content: 'a,b\n', filename: 'export.csv', title: 'caseops-export-e7', channel_id: 'C0PUBLIC' });
    await client.filesUploadV2({ content: 'png', filename: 'chart.png', title: 'caseops-chart-e8', channel_id: 'C0PUBLIC', thread_ts: parent });

    const history = await client.conversations.history({ channel: 'C0PUBLIC' });
    const upload = history.messages?.find((m) => m.files?.some((f) => f.title === 'caseops-export-e7'));
    expect(upload).toMatchObject({ user: emulator.botUserId, files: [{ name: 'export.csv', title: 'caseops-export-e7', id: expect.stringMatching(/^F/) }] });

    const thread = await client.conversations.replies({ channel: 'C0PUBLIC', ts: parent });
    expect(thread.messages?.[1]).toMatchObject({ thread_ts: parent, files: [{ name: 'chart.png', title: 'caseops-chart-e8' }] });
  });
});
