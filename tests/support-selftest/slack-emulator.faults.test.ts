import { type WebClient, WebClientEvent } from '@slack/web-api';
import type { SlackEmulator } from '../support/slack-emulator';
import { TOKEN, section, webClient, useEmulator } from './helpers';

const shared = useEmulator();
let emulator: SlackEmulator;
let client: WebClient;
beforeEach(() => ({ emulator, client } = shared.current()));

const postJson = async (url: string, body: unknown) => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.text() };
};

describe('fault injection', () => {
  it('answers 429 with Retry-After, which the client waits out and retries', async () => {
    emulator.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const retrying = webClient(emulator, { retryConfig: { retries: 1, factor: 1, minTimeout: 10, maxTimeout: 10 } });
    const rateLimited = jest.fn();
    retrying.on(WebClientEvent.RATE_LIMITED, rateLimited);
    const started = Date.now();
    await expect(retrying.chat.postMessage({ channel: 'C0PUBLIC', text: 'eventually' })).resolves.toMatchObject({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(rateLimited).toHaveBeenCalledWith(1, expect.anything());
    expect(emulator.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('answers HTTP 500 as many times as asked', async () => {
    emulator.failNext('conversations.info', { status: 500 }, 2);
    for (let i = 0; i < 2; i += 1) {
      await expect(client.conversations.info({ channel: 'C0PUBLIC' })).rejects.toMatchObject({ code: 'slack_webapi_http_error', statusCode: 500 });
    }
    await expect(client.conversations.info({ channel: 'C0PUBLIC' })).resolves.toMatchObject({ ok: true });
  });

  it('answers a chosen platform error with HTTP 200', async () => {
    emulator.failNext('chat.postMessage', { error: 'msg_too_long' });
    await expect(client.chat.postMessage({ channel: 'C0PUBLIC', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'msg_too_long' },
    });
  });

  it('answers late, then normally', async () => {
    emulator.failNext('auth.test', { delayMs: 150 });
    const started = Date.now();
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('applies to the upload and response_url endpoints too', async () => {
    emulator.failNext('upload', { status: 500 });
    await expect(client.filesUploadV2({ content: 'x', filename: 'x.txt', channel_id: 'C0PUBLIC' })).rejects.toMatchObject({ statusCode: 500 });
    expect(emulator.callsTo('files.completeUploadExternal')).toHaveLength(0);
    emulator.failNext('response_url', { error: 'channel_not_found', status: 404 });
    await expect(postJson(emulator.mintResponseUrl(), { text: 'hi' })).resolves.toEqual({ status: 404, body: '{"ok":false,"error":"channel_not_found"}' });
  });
});

describe('lost answers and outages', () => {
  it('answerLost performs the call, then drops the connection unanswered, for as many calls as asked', async () => {
    emulator.failNext('chat.postMessage', { answerLost: true }, 2);
    for (const text of ['one', 'two']) {
      await expect(client.chat.postMessage({ channel: 'C0PUBLIC', text })).rejects.toMatchObject({ code: 'slack_webapi_request_error' });
    }
    await expect(client.chat.postMessage({ channel: 'C0PUBLIC', text: 'three' })).resolves.toMatchObject({ ok: true });
    expect(emulator.messagesIn('C0PUBLIC').map((m) => m.text)).toEqual(['one', 'two', 'three']);
  });

  it('an outage answers every Web API call, upload and response_url with 503 and performs nothing until lifted', async () => {
    emulator.outage(true);
    await expect(client.chat.postMessage({ channel: 'C0PUBLIC', text: 'lost' })).rejects.toMatchObject({ code: 'slack_webapi_http_error', statusCode: 503 });
    await expect(client.auth.test()).rejects.toMatchObject({ statusCode: 503 });
    await expect(postJson(emulator.mintResponseUrl({ channelId: 'C0PUBLIC' }), { text: 'hi', response_type: 'in_channel' })).resolves.toMatchObject({ status: 503 });
    expect(emulator.messagesIn('C0PUBLIC')).toEqual([]);
    expect(emulator.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'auth.test']);

    emulator.outage(false);
    await expect(client.chat.postMessage({ channel: 'C0PUBLIC', text: 'back' })).resolves.toMatchObject({ ok: true });
    expect(emulator.messagesIn('C0PUBLIC').map((m) => m.text)).toEqual(['back']);
  });

  it('an outage also refuses the upload URL handed out before it; reset() lifts it', async () => {
    const { upload_url: uploadUrl } = await client.files.getUploadURLExternal({ filename: 'x.txt', length: 1 });
    emulator.outage(true);
    const refused = await fetch(uploadUrl as string, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: 'x' });
    expect(refused.status).toBe(503);
    emulator.reset();
    await expect(client.filesUploadV2({ content: 'x', filename: 'x.txt', channel_id: 'C0PUBLIC' })).resolves.toMatchObject({ ok: true });
    expect(emulator.uploads).toHaveLength(1);
  });
});

describe('response_url', () => {
  it('records posts, turns in_channel responses into channel messages, and allows 5 uses', async () => {
    const url = emulator.mintResponseUrl({ channelId: 'C0PUBLIC', userId: 'U0ALICE' });
    expect(url).toMatch(new RegExp(`^${emulator.url}/respond/\\w+$`));
    await expect(postJson(url, { text: 'only you', response_type: 'ephemeral' })).resolves.toEqual({ status: 200, body: '{"ok":true}' });
    await postJson(url, { text: 'everyone', response_type: 'in_channel', blocks: [section('everyone')] });
    expect(emulator.messagesIn('C0PUBLIC')).toEqual([expect.objectContaining({ text: 'everyone', user: emulator.botUserId })]);
    for (let i = 0; i < 3; i += 1) await postJson(url, { text: `more ${i}` });
    await expect(postJson(url, { text: 'sixth' })).resolves.toEqual({ status: 404, body: 'used_url' });
    expect(emulator.responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 404]);
    expect(emulator.responses[0]).toMatchObject({ text: 'only you', response_type: 'ephemeral' });
  });

  it('replace_original edits the message an interaction came from; delete_original removes it', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'pending', blocks: [section('pending')] });
    const url = emulator.mintResponseUrl({ channelId: 'C0PUBLIC', messageTs: posted.ts as string });
    await postJson(url, { text: 'done', replace_original: true });
    const replaced = emulator.findMessage('C0PUBLIC', posted.ts as string);
    expect(replaced?.text).toBe('done');
    expect(replaced?.blocks).toBeUndefined();
    await postJson(url, { delete_original: true });
    expect(emulator.messagesIn('C0PUBLIC')).toEqual([]);
  });

  it('rejects invalid blocks with HTTP 400 invalid_blocks, and expires after 30 minutes', async () => {
    const url = emulator.mintResponseUrl({ channelId: 'C0PUBLIC' });
    const rejected = await postJson(url, { text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] });
    expect(rejected.status).toBe(400);
    expect(JSON.parse(rejected.body)).toMatchObject({
      ok: false,
      error: 'invalid_blocks',
      errors: ['must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
    });
    expect(emulator.blockKitViolations).toEqual([expect.objectContaining({ source: 'response_url' })]);
    emulator.advanceTime(30 * 60_000 + 1);
    await expect(postJson(url, { text: 'late' })).resolves.toEqual({ status: 404, body: 'expired_url' });
  });
});
