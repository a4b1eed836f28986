import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/log';
import { buildSlackApp } from '../../../src/slack/app';
import { SqliteCaseStore } from '../../../src/storage/sqlite/sqlite-store';
import { BOT_TOKEN } from '../../support/harness';

export interface ListenerIds {
  actions: string[];
  views: string[];
  options: string[];
}

/**
 * The action ids, modal callback ids and options ids the app listens for, read from the app itself (its
 * listener catalogue, which the manifest test keeps honest), so the fuzz reaches every surface, new ones
 * included. Registering listeners touches no service, so none is built.
 */
export function appListenerIds(): ListenerIds {
  const config = loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: 'unused', SLACK_API_URL: 'http://127.0.0.1:9/api/' });
  if (!config.ok) throw new Error(config.problems.join('\n'));
  const { listeners } = buildSlackApp(config.config, {
    store: new SqliteCaseStore('/nonexistent'),
    logger: createLogger('silent'),
    services: () => ({}) as never,
  });
  return { actions: [...new Set(listeners.action)], views: [...new Set(listeners.view)], options: [...new Set(listeners.options)] };
}
