import { createLogger } from '../../src/log';
import { ProgressMessage } from '../../src/slack/progress-message';
import { useEmulator } from '../support-selftest/helpers';

/** ProgressMessage against the Slack emulator: what a progress message shows, and when. */
describe('a progress message', () => {
  const slack = useEmulator();

  /** A progress message posted in C0PUBLIC, with the warnings it logs. */
  async function posted(everyMs: number) {
    const { emulator, client } = slack.current();
    const message = await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'Working…' });
    const warnings: string[] = [];
    const logger = createLogger('warn', { write: (line: string) => void warnings.push(line) });
    return { emulator, warnings, progress: new ProgressMessage(client, 'C0PUBLIC', message.ts, logger, everyMs) };
  }

  const updates = () => slack.current().emulator.callsTo('chat.update').map((call) => call.args.text);

  test('is edited at most once per interval; its outcome is always shown', async () => {
    const { progress } = await posted(60_000);
    progress.show('1 of 3');
    progress.show('2 of 3');
    await progress.end('done');
    expect(updates()).toEqual(['done']);

    const often = await posted(0);
    often.progress.show('1 of 3');
    often.progress.show('2 of 3');
    await often.progress.end('done');
    expect(updates().slice(1)).toEqual(['1 of 3', '2 of 3', 'done']);
  });

  test('ends after the edit in flight, so the outcome is what stays', async () => {
    const { emulator, progress } = await posted(0);
    emulator.failNext('chat.update', { delayMs: 300 });
    progress.show('1 of 3');
    await progress.end('done');
    // The delayed edit lands 300 ms after it was sent: whatever it does has happened by then.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const message = emulator.messagesIn('C0PUBLIC').at(-1);
    expect(message?.text).toBe('done');
  });

  test('an edit Slack refuses is logged and the work goes on; the outcome’s failure is the caller’s', async () => {
    const { emulator, progress, warnings } = await posted(0);
    emulator.failNext('chat.update', { error: 'message_not_found' });
    progress.show('1 of 3');
    emulator.failNext('chat.update', { error: 'channel_not_found' });
    await expect(progress.end('done')).rejects.toThrow(/channel_not_found/);
    expect(warnings.join('\n')).toMatch(/could not update a progress message/);
  });
});
