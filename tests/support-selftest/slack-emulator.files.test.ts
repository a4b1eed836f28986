import type { WebClient } from '@slack/web-api';
import type { SlackEmulator } from '../support/slack-emulator';
import { TOKEN, useEmulator } from './helpers';

const shared = useEmulator();
let emulator: SlackEmulator;
let client: WebClient;
beforeEach(() => ({ emulator, client } = shared.current()));

async function download(url: string, token?: string) {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('files upload v2', () => {
  it('filesUploadV2 completes the three-request flow and the emulator keeps the exact bytes', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'case #12' });
    const content = 'rule,hits\nphishing — café ☕,3\n';
    const result = await client.filesUploadV2({
      content,
      filename: 'export.csv',
      channel_id: 'C0PUBLIC',
      thread_ts: parent.ts as string,
      alt_text: 'case export',
      initial_comment: 'the export',
    });

    expect(emulator.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'files.getUploadURLExternal', 'files.completeUploadExternal']);
    expect(emulator.callsTo('files.getUploadURLExternal')[0]?.args).toMatchObject({ filename: 'export.csv', length: String(Buffer.byteLength(content)) });
    const [upload] = emulator.uploads;
    expect(upload?.bytes.equals(Buffer.from(content))).toBe(true);
    expect(upload).toMatchObject({
      filename: 'export.csv',
      title: 'export.csv',
      channelId: 'C0PUBLIC',
      threadTs: parent.ts,
      altText: 'case export',
      initialComment: 'the export',
    });

    const fileId = upload?.fileId as string;
    const completed = expect.objectContaining({ id: fileId, title: 'export.csv', mimetype: 'text/csv' });
    expect(result.files).toEqual([expect.objectContaining({ ok: true, files: [completed] })]);
    const [share] = emulator.messagesIn('C0PUBLIC', { threadTs: parent.ts as string });
    expect(share).toMatchObject({ text: 'the export', user: emulator.botUserId, files: [{ id: fileId }] });

    const info = await client.files.info({ file: fileId });
    expect(info.file).toMatchObject({
      id: fileId,
      name: 'export.csv',
      size: Buffer.byteLength(content),
      shares: { public: { C0PUBLIC: [{ thread_ts: parent.ts }] } },
    });
    expect((await download(info.file?.url_private as string, TOKEN)).bytes.equals(Buffer.from(content))).toBe(true);
  });

  it('uploads binary buffers byte for byte', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await client.filesUploadV2({ file: bytes, filename: 'all-bytes.bin', channel_id: 'C0PUBLIC' });
    expect(emulator.uploads[0]?.bytes.equals(bytes)).toBe(true);
  });

  it('answers file_not_found when completing a file that was never uploaded', async () => {
    const { file_id } = await client.files.getUploadURLExternal({ filename: 'a.txt', length: 3 });
    await expect(client.files.completeUploadExternal({ files: [{ id: file_id as string }] })).rejects.toMatchObject({
      data: { ok: false, error: 'file_not_found' },
    });
  });

  it('makes every problem at the upload URL a non-200', async () => {
    const { upload_url } = await client.files.getUploadURLExternal({ filename: 'a.txt', length: 3 });
    const post = (body: string, headers: Record<string, string>) => fetch(upload_url as string, { method: 'POST', body, headers });
    expect((await post('abc', {})).status).toBe(401);
    expect((await post('abcd', { authorization: `Bearer ${TOKEN}` })).status).toBe(400);
    const raw = await post('abc', { authorization: `Bearer ${TOKEN}` });
    expect({ status: raw.status, body: await raw.text() }).toEqual({ status: 200, body: 'OK - 3' });
    expect((await fetch(`${emulator.url}/upload/F000NOPE`, { method: 'POST', body: 'x' })).status).toBe(404);
  });
});

describe('files users shared', () => {
  it('serves url_private only with the bot token, like Slack', async () => {
    const bytes = Buffer.from('{"alert":"suspicious login"}');
    const file = emulator.addUserFile({ name: 'alert.json', mimetype: 'application/json', bytes, channel: 'C0PUBLIC', user: 'U0BOB' });
    expect(file.url_private).toBe(`${emulator.url}/files-pri/T0001-${file.id as string}/alert.json`);

    const ok = await download(file.url_private as string, TOKEN);
    expect(ok.status).toBe(200);
    expect(ok.type).toBe('application/json');
    expect(ok.bytes.equals(bytes)).toBe(true);
    expect((await download(file.url_private_download as string, TOKEN)).bytes.equals(bytes)).toBe(true);

    const anonymous = await download(file.url_private as string);
    expect({ status: anonymous.status, type: anonymous.type }).toEqual({ status: 200, type: 'text/html; charset=utf-8' });
    expect((await download(file.url_private as string, 'xoxb-wrong')).status).toBe(403);

    const shared = expect.objectContaining({ subtype: 'file_share', user: 'U0BOB', files: [expect.objectContaining({ id: file.id })] });
    expect(emulator.messagesIn('C0PUBLIC')).toEqual([shared]);
  });
});
