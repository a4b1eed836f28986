/**
 * Secrets never leave caseops except as credentials to their own service: one end-to-end run at trace level
 * touches every surface (cards, replies, charts, an export, an import, Elasticsearch evidence, refused and forged
 * requests), then everything it produced is scanned for the bot token, the signing secret and the
 * Elasticsearch API key: every log line, every call and reply the Slack emulator recorded (the Authorization
 * header aside, which is where the token belongs), every uploaded file, and every file in the data directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeWithElasticsearch, elasticsearchUrl } from '../elasticsearch/support/test-cluster';
import { openCaseByCommand, runCommand, settle } from '../e2e/support';
import { BOT_TOKEN, Harness, SIGNING_SECRET } from '../support/harness';
import { recordAttack } from './support/security-report';

const API_KEY = `c2VjcmV0LWtleS0${randomBytes(12).toString('hex')}`;
const ADMIN = 'U0CAROL';

function filesUnder(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

describeWithElasticsearch('secrets in everything a run produced', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await Harness.start({
      env: { LOG_LEVEL: 'trace', ELASTICSEARCH_URL: elasticsearchUrl(), ELASTICSEARCH_API_KEY: API_KEY, CASEOPS_ADMINS: ADMIN, KIBANA_URL: 'https://kibana.example.com', CASEOPS_SLACK_EVENTS_NAMESPACE: `sec${randomBytes(4).toString('hex')}` },
    });
  });

  afterAll(async () => {
    await harness.stop();
  });

  test('no secret in logs, Slack calls and replies, uploaded files or the data directory', async () => {
    const { number } = await openCaseByCommand(harness, 'Secrets probe sev:high #ir');
    await runCommand(harness, `comment ${number} checked ${BOT_TOKEN.slice(0, 5)}… nothing`);
    await runCommand(harness, `indicator ${number} 203.0.113.9`);
    await runCommand(harness, `chart ${number} activity last 7d`);
    await runCommand(harness, `chart ${number} query "event.action:x" index logs-caseops-nothing-${randomBytes(4).toString('hex')} last 1d`);
    await runCommand(harness, `chart ${number} query "a:/b/" last 1d`);
    await runCommand(harness, 'no-such-command');
    const message = harness.emulator.addMessage({ channel: 'C0PUBLIC', user: 'U0BOB', text: 'beacon to 198.51.100.4' });
    await harness.driver.messageShortcut({ callbackId: 'case_from_message', message });
    await runCommand(harness, `export ${number}`, { userId: ADMIN });
    const exported = await harness.emulator.waitFor(() => harness.emulator.uploads.find((upload) => upload.filename.endsWith('.ndjson')), 20_000);
    harness.emulator.addUserFile({ name: 'back.ndjson', mimetype: 'application/x-ndjson', bytes: exported.bytes, channel: 'C0PUBLIC', user: ADMIN });
    await harness.driver.messageShortcut({ callbackId: 'case_import_file', message: harness.emulator.messagesIn('C0PUBLIC').at(-1)!, userId: ADMIN });
    await harness.driver.raw({ body: 'command=%2Fcase&text=list', contentType: 'application/x-www-form-urlencoded', signature: 'v0=forged' });
    await harness.driver.raw({ body: 'payload=%7Bnot json', contentType: 'application/x-www-form-urlencoded' });
    await settle(harness, 500);

    const produced: { where: string; text: string }[] = [
      ...harness.logLines.map((line) => ({ where: 'log', text: line })),
      ...harness.emulator.calls.map((call) => {
        const { authorization: _credential, ...headers } = call.headers;
        return { where: `Slack ${call.method}`, text: JSON.stringify({ args: call.args, headers }) };
      }),
      ...harness.emulator.responses.map((response) => ({ where: 'response_url', text: JSON.stringify(response) })),
      ...harness.emulator.uploads.map((upload) => ({ where: `upload ${upload.filename}`, text: upload.bytes.toString('latin1') })),
      ...filesUnder(harness.dataDir).map((file) => ({ where: `data ${path.basename(file)}`, text: fs.readFileSync(file).toString('latin1') })),
    ];
    // Below info: Bolt and the Web API client log requests at debug.
    expect(harness.logLines.some((line) => line.includes('"level":20'))).toBe(true);
    expect(harness.emulator.uploads.length).toBeGreaterThanOrEqual(2);
    // The token is where it belongs (so this search would find it anywhere else).
    expect(harness.emulator.calls.some((call) => String(call.headers.authorization).includes(BOT_TOKEN))).toBe(true);
    const leaks = produced.flatMap(({ where, text }) =>
      Object.entries({ BOT_TOKEN, SIGNING_SECRET, API_KEY })
        .filter(([, secret]) => text.includes(secret))
        .map(([name]) => `${name} in ${where}`),
    );
    expect(leaks).toEqual([]);
    recordAttack('secrets', 'bot token, signing secret and API key searched in a trace-level e2e run', `none in ${produced.length} logs, calls, replies, uploads and data files`, produced.length);
  });
});
