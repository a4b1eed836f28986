import type { SectionBlock } from '@slack/types';
import { type Logger, LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';
import { SlackEmulator } from '../support/slack-emulator';

export const TOKEN = 'xoxb-selftest-0001-0002-abcdefabcdefabcdef';

/** The SDK logs Slack's `[ERROR]`/`[WARN]` messages; the self-tests provoke them on purpose. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/** The real @slack/web-api client pointed at the emulator, without retries unless asked; `null` sends no token. */
export function webClient(emulator: SlackEmulator, options: WebClientOptions = {}, token: string | null = TOKEN): WebClient {
  return new WebClient(token ?? undefined, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 }, logger: silentLogger, ...options });
}

/** A form POST to a Web API method, for wire details the SDK never produces (bad JSON, token placement). */
export async function postForm(emulator: SlackEmulator, method: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${emulator.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return (await response.json()) as Record<string, unknown>;
}

export function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/**
 * One emulator for a test file, with empty recordings and channels before each test, and a client on it.
 * Returns getters, since both exist only once the file's tests run.
 */
export function useEmulator(): { current: () => { emulator: SlackEmulator; client: WebClient } } {
  let emulator: SlackEmulator | undefined;
  let client: WebClient | undefined;
  beforeAll(async () => {
    emulator = await SlackEmulator.start({ botToken: TOKEN });
    client = webClient(emulator);
  });
  afterAll(() => emulator?.stop());
  beforeEach(() => {
    emulator?.reset();
    emulator?.forgetMessages();
  });
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the emulator runs only inside the tests of this file');
    return value;
  };
  return { current: () => ({ emulator: need(emulator), client: need(client) }) };
}
