import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { DEFAULT_SLA_POLICY } from '../../src/cases/sla';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { buildSlackApp, EVENTS_PATH } from '../../src/slack/app';
import { SqliteCaseStore } from '../../src/storage/sqlite/sqlite-store';
import { BOT_TOKEN } from '../support/harness';
import { SLACK_FIXTURES_DIR, SlackEmulator } from '../support/slack-emulator';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../manifests/slack-app.json'), 'utf8'));

/** Slack's official manifest schema, with its remote $refs pointed at the local copies. */
function manifestValidator() {
  const dir = path.join(SLACK_FIXTURES_DIR, 'manifest');
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  for (const version of ['1.0.0', '2.0.0']) {
    const schema = read(`manifest.schema.${version}.json`);
    ajv.addSchema(schema, `https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.${version}.json`);
  }
  return ajv.compile(read('manifest.schema.json'));
}

describe('the Slack app manifest', () => {
  test('is valid against Slack’s official JSON Schema', () => {
    const validate = manifestValidator();
    expect(validate(manifest) ? [] : validate.errors).toEqual([]);
  });

  test('the schema is really enforced (an invalid manifest fails)', () => {
    const validate = manifestValidator();
    const broken = structuredClone(manifest);
    broken.features.shortcuts = [{ name: 'x'.repeat(40), type: 'message', callback_id: 'a', description: 'd' }];
    expect(validate(broken)).toBe(false);
  });

  test('every request URL is the one endpoint caseops serves', () => {
    const urls = [
      ...manifest.features.slash_commands.map((command: { url: string }) => command.url),
      manifest.settings.interactivity.request_url,
      manifest.settings.interactivity.message_menu_options_url,
      manifest.settings.event_subscriptions?.request_url,
    ].filter(Boolean);
    for (const url of urls) expect(new URL(url).pathname).toBe(EVENTS_PATH);
  });

  describe('and the app’s listeners match it', () => {
    let emulator: SlackEmulator;
    let listeners: ReturnType<typeof buildSlackApp>['listeners'];

    beforeAll(async () => {
      emulator = await SlackEmulator.start({ botToken: BOT_TOKEN });
      const config = loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: emulator.apiUrl });
      if (!config.ok) throw new Error(config.problems.join());
      const store = new SqliteCaseStore('/nonexistent');
      listeners = buildSlackApp(config.config, {
        store,
        logger: createLogger('silent'),
        services: () => ({
          service: {} as never,
          evidence: {} as never,
          settings: { kibana: {} as never, indicators: { includePrivateIps: false, ignoreDomains: [] }, sla: DEFAULT_SLA_POLICY, rooms: { reaction: 'pushpin' } },
          charts: {} as never,
          transfer: {} as never,
          delivery: {} as never,
          rooms: {} as never,
          exportClaims: store.requestClaims,
        }),
      }).listeners;
    });

    afterAll(async () => {
      await emulator.stop();
    });

    const sorted = (values: string[]) => [...new Set(values)].sort();

    test('slash commands', () => {
      expect(sorted(listeners.command)).toEqual(sorted(manifest.features.slash_commands.map((c: { command: string }) => c.command)));
    });

    test('shortcut callback ids', () => {
      expect(sorted(listeners.shortcut)).toEqual(sorted((manifest.features.shortcuts ?? []).map((s: { callback_id: string }) => s.callback_id)));
    });

    test('events', () => {
      // Subscriptions are named by scope (message.channels, message.groups); listeners by event type (message).
      const subscribed = (manifest.settings.event_subscriptions?.bot_events ?? []).map((event: string) => event.split('.')[0]);
      expect(sorted(listeners.event)).toEqual(sorted(subscribed));
    });

    test('interactivity is enabled exactly when something listens for it', () => {
      const interactive = [...listeners.shortcut, ...listeners.action, ...listeners.view, ...listeners.options];
      expect(manifest.settings.interactivity.is_enabled).toBe(interactive.length > 0);
      expect(Boolean(manifest.features.app_home?.home_tab_enabled)).toBe(listeners.event.includes('app_home_opened'));
    });
  });
});
