import { SqliteCaseStore } from '../../src/storage/sqlite/sqlite-store';
import { Harness, type HarnessOptions } from '../support/harness';

/** Helpers shared by the end-to-end suites: reading what the app sent to the Slack emulator. */

export const textOf = (value: unknown): string => JSON.stringify(value);

export function repliesTo(harness: Harness, responseUrl: string) {
  const id = responseUrl.split('/').pop();
  return harness.emulator.responses.filter((response) => response.id === id);
}

export async function replyTo(harness: Harness, responseUrl: string) {
  return harness.emulator.waitFor(() => repliesTo(harness, responseUrl)[0]);
}

/** Runs `/case <text>` and waits for its first reply through the response_url. */
export async function runCommand(harness: Harness, text: string, options: { userId?: string; channelId?: string } = {}) {
  const response = await harness.driver.command(text, options);
  if (response.status !== 200) throw new Error(`/case ${text} answered HTTP ${response.status}`);
  return replyTo(harness, response.responseUrl);
}

/** Opens a case by command and returns its number, id and card message. */
export async function openCaseByCommand(harness: Harness, text: string, options: { userId?: string; channelId?: string } = {}) {
  const channelId = options.channelId ?? 'C0PUBLIC';
  const before = harness.emulator.messagesIn(channelId).length;
  await harness.driver.command(`new ${text}`, { ...options, channelId });
  const card = await harness.emulator.waitFor(() => harness.emulator.messagesIn(channelId)[before]);
  const header = textOf(card.blocks).match(/#(\d+) · /);
  const blockId = textOf(card.blocks).match(/"block_id":"case:([0-9a-f-]{36})"/);
  if (!header?.[1] || !blockId?.[1]) throw new Error(`no case card in ${textOf(card)}`);
  return { number: Number(header[1]), id: blockId[1], card, channelId };
}

/**
 * The import log sent to `userId` by direct message, once sent: the message with blocks (the import's progress
 * message before it is text only).
 */
export function importLogTo(emulator: Harness['emulator'], userId: string) {
  return emulator.callsTo('chat.postMessage').find((call) => call.args.channel === userId && call.args.blocks !== undefined);
}

/** Reads the app's SQLite store through a connection of its own, as another process would. */
export async function fromStore<T>(harness: Harness, read: (store: SqliteCaseStore) => Promise<T>): Promise<T> {
  const store = new SqliteCaseStore(harness.dataDir);
  await store.init();
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

/** Resolves once nothing new has reached the emulator for a moment: the app finished its follow-up work. */
export async function settle(harness: Harness, quietMs = 150): Promise<void> {
  let seen = -1;
  for (;;) {
    const count = harness.emulator.calls.length + harness.emulator.responses.length;
    if (count === seen) return;
    seen = count;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

/**
 * Starts caseops before each test and stops it after, checking that Slack would have accepted every message
 * the app sent. Returns the running harness.
 */
export function useHarness(options: HarnessOptions = {}): () => Harness {
  let harness: Harness | undefined;
  beforeEach(async () => {
    harness = await Harness.start(options);
  });
  afterEach(async () => {
    const running = harness;
    harness = undefined;
    expect(running?.emulator.blockKitViolations).toEqual([]);
    await running?.stop();
  });
  return () => {
    if (!harness) throw new Error('the harness runs only inside a test');
    return harness;
  };
}
