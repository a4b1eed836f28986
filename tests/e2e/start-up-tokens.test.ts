import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { startCaseops } from '../../src/runtime';
import { APP_TOKEN, BOT_TOKEN, SIGNING_SECRET } from '../support/harness';
import { SlackEmulator } from '../support/slack-emulator';

/** A token Slack refuses stops start-up with a message naming the setting, and leaves nothing running. */
describe('start-up with a token Slack refuses', () => {
  let emulator: SlackEmulator;
  let dataDir: string;
  const logLines: string[] = [];

  beforeEach(async () => {
    emulator = await SlackEmulator.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-tokens-'));
    logLines.length = 0;
  });

  afterEach(async () => {
    await emulator.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function start(env: Record<string, string>) {
    const loaded = loadConfig({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: emulator.apiUrl, PORT: '0', CASEOPS_DATA_DIR: dataDir, ...env });
    if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
    const sink = new Writable({ write: (chunk, _encoding, done) => done(void logLines.push(String(chunk))) });
    return startCaseops(loaded.config, createLogger('info', sink));
  }

  test('a bot token Slack does not know: "Slack refused SLACK_BOT_TOKEN (invalid_auth)"', async () => {
    await expect(start({ SLACK_BOT_TOKEN: 'xoxb-not-this-workspace' })).rejects.toThrow('Slack refused SLACK_BOT_TOKEN (invalid_auth): it must be the bot token of the installed app (xoxb-…)');
    expect(logLines.join('')).not.toContain('xoxb-not-this-workspace');
  });

  test('an app-level token Slack does not know: "Slack refused SLACK_APP_TOKEN (invalid_auth)", no connection', async () => {
    await expect(start({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-revoked' })).rejects.toThrow('Slack refused SLACK_APP_TOKEN (invalid_auth): it must be an app-level token (xapp-…) with connections:write');
    expect(logLines.join('')).not.toContain('xapp-revoked');
    expect(emulator.socketMode.connections).toBe(0);
  });
});
