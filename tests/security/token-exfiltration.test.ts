/**
 * The bot token travels with every file download. These tests attack the import's download from every side a
 * user or a file can reach, with an "attacker" server listening on loopback: it fails the test if it ever sees
 * the token. caseops' SLACK_API_URL points at a hostile front in front of the Slack emulator, so a test can
 * also make "Slack" answer with a foreign file URL or a redirect.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DownloadError, downloadFile, isSlackFileUrl } from '../../src/slack/file-download';
import { settle, textOf, useHarness } from '../e2e/support';
import { BOT_TOKEN, type Harness } from '../support/harness';
import { HostileSlackFront } from './support/hostile-slack-front';
import { LoopbackServer } from './support/loopback-server';
import { recordAttack } from './support/security-report';

const KIBANA_81_EXPORT = path.resolve(
  __dirname,
  '../../../shared/fixtures/kibana/x-pack/platform/test/cases_api_integration/common/fixtures/saved_object_exports/single_case_user_actions_one_comment.ndjson',
);
const ADMIN = 'U0CAROL';

let attacker: LoopbackServer;
let front: HostileSlackFront;

beforeAll(async () => {
  attacker = await LoopbackServer.start();
  front = await HostileSlackFront.start();
});
afterAll(async () => {
  await attacker.stop();
  await front.stop();
});

describe('the import download never hands the bot token to anyone but Slack', () => {
  const current = useHarness({
    env: (emulator) => {
      front.passTo(emulator.url);
      return { CASEOPS_ADMINS: ADMIN, SLACK_API_URL: front.apiUrl };
    },
  });
  let harness: Harness;

  beforeEach(() => {
    harness = current();
    attacker.seen.length = 0;
    front.server.seen.length = 0;
    front.rewriteApi = (_method, body) => body;
    front.onFile = undefined;
  });

  afterEach(() => {
    expect(attacker.sightingsOf(BOT_TOKEN)).toEqual([]);
  });

  function sharedExport() {
    const file = harness.emulator.addUserFile({ name: 'kibana.ndjson', mimetype: 'application/x-ndjson', bytes: fs.readFileSync(KIBANA_81_EXPORT), channel: 'C0PUBLIC', user: ADMIN });
    return { file, message: harness.emulator.messagesIn('C0PUBLIC').at(-1)! };
  }

  async function directMessageToAdmin(): Promise<string> {
    await settle(harness, 300);
    return textOf(harness.emulator.callsTo('chat.postMessage').filter((call) => call.args.channel === ADMIN).map((call) => call.args));
  }

  test('an honest import through the same front reads the file with the token (the attacks below can succeed)', async () => {
    const { message } = sharedExport();
    await harness.driver.messageShortcut({ callbackId: 'case_import_file', message, userId: ADMIN });
    expect(await directMessageToAdmin()).toMatch(/Written: #1/);
    expect(front.server.sightingsOf(BOT_TOKEN).some((request) => request.url.startsWith('/files-pri/'))).toBe(true);
  });

  test('a crafted shortcut payload pointing url_private at the attacker: the file is read from Slack instead', async () => {
    const { file, message } = sharedExport();
    const crafted = { ...message, files: [{ ...file, url_private: `${attacker.url}/steal`, url_private_download: `${attacker.url}/steal/download` }] };
    await harness.driver.messageShortcut({ callbackId: 'case_import_file', message: crafted, userId: ADMIN });
    expect(await directMessageToAdmin()).toMatch(/Written: #1/);
    expect(attacker.seen).toEqual([]);
    recordAttack('token', 'crafted url_private in a message shortcut payload', 'file read from files.info URL; attacker saw nothing');
  });

  test('a crafted modal submission naming a file Slack does not know, with an attacker URL: refused, nothing read', async () => {
    await harness.driver.viewSubmission({
      callbackId: 'case_import_modal',
      userId: ADMIN,
      privateMetadata: JSON.stringify({ channelId: 'C0PUBLIC' }),
      values: { file: { value: { type: 'file_input', files: [{ id: 'F0FORGED', name: 'x.ndjson', url_private: `${attacker.url}/steal` }] } } },
    });
    expect(await directMessageToAdmin()).toMatch(/Slack did not give caseops that file \(file_not_found\).*Nothing was imported/);
    expect(attacker.seen).toEqual([]);
    recordAttack('token', 'forged file id with attacker URL in a modal submission', 'refused (file_not_found)');
  });

  test.each([
    ['another host', () => `${attacker.url}/files-pri/T1-F1/download/x.ndjson`],
    ['the Slack host as user-info before the attacker host', () => `http://${new URL(front.server.url).host}@${new URL(attacker.url).host}/files-pri/x`],
    ['the Slack host as a query parameter', () => `${attacker.url}/?next=${front.server.url}/files-pri/x`],
    ['localhost instead of the API host', () => attacker.url.replace('127.0.0.1', 'localhost')],
    ['the API host with a "files." prefix on another port', () => attacker.url.replace('127.0.0.1', 'files.127.0.0.1')],
  ])('files.info answering with a file URL on %s (a remote file, a tampered answer): refused, nothing sent', async (label, foreign) => {
    const { message } = sharedExport();
    const url = foreign();
    front.rewriteApi = (method, body) => (method === 'files.info' ? { ...body, file: { ...(body.file as object), url_private: url, url_private_download: url } } : body);
    await harness.driver.messageShortcut({ callbackId: 'case_import_file', message, userId: ADMIN });
    expect(await directMessageToAdmin()).toMatch(/not stored in Slack.*Nothing was imported/);
    expect(attacker.seen).toEqual([]);
    recordAttack('token', `files.info URL on ${label}`, 'refused before any request');
  });

  test('files.info describing an external file (is_external) on the Slack host: refused', async () => {
    const { message } = sharedExport();
    front.rewriteApi = (method, body) => (method === 'files.info' ? { ...body, file: { ...(body.file as object), is_external: true, mode: 'external' } } : body);
    await harness.driver.messageShortcut({ callbackId: 'case_import_file', message, userId: ADMIN });
    expect(await directMessageToAdmin()).toMatch(/not stored in Slack/);
    expect(front.server.seen.filter((request) => request.url.startsWith('/files-pri/'))).toEqual([]);
  });

  test.each([301, 302, 303, 307, 308])('the file host answering %i to the attacker: the redirect is not followed', async (status) => {
    const { message } = sharedExport();
    front.onFile = (res) => {
      res.writeHead(status, { location: `${attacker.url}/stolen` }).end();
      return true;
    };
    await harness.driver.messageShortcut({ callbackId: 'case_import_file', message, userId: ADMIN });
    expect(await directMessageToAdmin()).toMatch(new RegExp(`Slack sent the file elsewhere \\(HTTP ${status}\\).*Nothing was imported`));
    expect(attacker.seen).toEqual([]);
    recordAttack('token', `HTTP ${status} redirect from the file host`, 'not followed');
  });

  test('a download that fails once the import is under way ends its progress message, and the next message says why', async () => {
    const { message } = sharedExport();
    front.onFile = (res) => {
      res.writeHead(500).end();
      return true;
    };
    await harness.driver.messageShortcut({ callbackId: 'case_import_file', message, userId: ADMIN });
    expect(await directMessageToAdmin()).toMatch(/Importing `kibana.ndjson`….*Slack refused the download \(HTTP 500\)\. Nothing was imported/);
    const [progress] = harness.emulator.callsTo('chat.update').map((call) => call.args.text);
    expect(progress).toBe(':warning: The import of `kibana.ndjson` stopped; the next message says why.');
  });
});

describe('the file host is the configured Slack API’s own', () => {
  test.each([
    ['https://files.slack.com/files-pri/T1-F1/download/a.ndjson', true],
    ['https://slack.com/files-pri/T1-F1/a.ndjson', true],
    ['https://FILES.SLACK.COM/files-pri/T1-F1/a.ndjson', true],
    ['https://files.slack.com.evil.example/files-pri/T1-F1/a.ndjson', false],
    ['https://evil.example/?u=https://files.slack.com/', false],
    ['https://files.slack.com@evil.example/files-pri/T1-F1/a.ndjson', false],
    ['https://user:pass@files.slack.com/files-pri/T1-F1/a.ndjson', false],
    ['http://files.slack.com/files-pri/T1-F1/a.ndjson', false],
    ['https://files.slack.com:8443/files-pri/T1-F1/a.ndjson', false],
    ['https://evilslack.com/files-pri/T1-F1/a.ndjson', false],
    ['https://files.files.slack.com/a', false],
    ['https://files.slack.com./a', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('%s → %s (API https://slack.com/api/)', (url, allowed) => {
    expect(isSlackFileUrl(url, 'https://slack.com/api/')).toBe(allowed);
  });
});

describe('downloads are capped in time and size', () => {
  test('a file host that never answers is given up on after the time limit', async () => {
    const stalling = await LoopbackServer.start(() => new Promise<void>(() => undefined));
    try {
      const reading = downloadFile({ id: 'F1', name: 'a.ndjson', url: `${stalling.url}/f` }, BOT_TOKEN, { maxBytes: 1000, timeoutMs: 200 });
      await expect(reading.next()).rejects.toThrow(new DownloadError('Slack did not send the file in time'));
    } finally {
      await stalling.stop();
    }
  });

  test('a file host that sends endlessly: reading stops just past the byte limit', async () => {
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    const endless = await LoopbackServer.start((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    try {
      let received = 0;
      for await (const bytes of downloadFile({ id: 'F1', name: 'a.ndjson', url: `${endless.url}/f` }, BOT_TOKEN, { maxBytes: 100_000, timeoutMs: 10_000 })) received += bytes.length;
      expect(received).toBeGreaterThan(100_000);
      expect(received).toBeLessThan(100_000 + 1024 * 1024);
      recordAttack('token', 'endless file body', `reading stopped after ${received} bytes (limit 100000)`);
    } finally {
      await endless.stop();
    }
  });
});
