import type { Harness } from '../../support/harness';
import type { RecordedCall, RecordedResponse, SlackEmulator } from '../../support/slack-emulator';

/** Slack gives up on an ack after 3 seconds. */
export const ACK_DEADLINE_MS = 3000;

/**
 * Reading what the app did, from a point on: every Web API call, response_url post and log line after a
 * mark. A mark is a position in the emulator's recordings: valid until the emulator is reset.
 */
export interface Mark {
  calls: number;
  responses: number;
  logs: number;
}

/** Before anything happened: everything the app did is after it. */
export const START: Mark = { calls: 0, responses: 0, logs: 0 };

export const markOf = (harness: Harness): Mark => ({
  calls: harness.emulator.calls.length,
  responses: harness.emulator.responses.length,
  logs: harness.logLines.length,
});

export interface Activity {
  calls: RecordedCall[];
  responses: RecordedResponse[];
  /** Log lines at error level or above (pino levels 50 and 60). */
  errorLogs: string[];
}

export function activitySince(harness: Harness, mark: Mark): Activity {
  return {
    calls: harness.emulator.calls.slice(mark.calls),
    responses: harness.emulator.responses.slice(mark.responses),
    errorLogs: harness.logLines.slice(mark.logs).filter((line) => /"level":(50|60)\b/.test(line)),
  };
}

/** What replyForError says when a listener failed on something it did not expect: a crash, seen from Slack. */
const UNEXPECTED_FAILURE = 'Something went wrong on our side';

/** Replies, messages and views the app sent that report an unexpected failure. */
function unexpectedFailures(activity: Activity): string[] {
  const sent = [...activity.responses.map((response) => JSON.stringify(response)), ...activity.calls.map((call) => JSON.stringify(call.args))];
  return sent.filter((text) => text.includes(UNEXPECTED_FAILURE));
}

/** Everything in `activity` that counts as a crash: unexpected-failure replies and error-level log lines. */
export function crashesIn(activity: Activity): string[] {
  return [...unexpectedFailures(activity), ...activity.errorLogs];
}

/** `<!channel>`, `<!here>`, `<!everyone>`: markup that notifies a whole channel, never the app's to send on a user's behalf. */
const BROADCAST_MENTION = /<!(?:channel|here|everyone)[|>]/;

/** The texts of a message Slack reads as mrkdwn: its `text`, and every mrkdwn text object in its blocks. */
function mrkdwnTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(mrkdwnTexts);
  if (typeof node !== 'object' || node === null) return [];
  const object = node as Record<string, unknown>;
  const own = object.type === 'mrkdwn' && typeof object.text === 'string' ? [object.text] : [];
  return [...own, ...Object.values(object).flatMap(mrkdwnTexts)];
}

/** Messages posted or edited in channels that would notify everyone in them (plain_text is never parsed). */
export function broadcastMentions(activity: Activity): string[] {
  return activity.calls
    .filter((call) => call.method === 'chat.postMessage' || call.method === 'chat.update')
    .flatMap((call) => [typeof call.args.text === 'string' ? call.args.text : '', ...mrkdwnTexts(call.args.blocks)])
    .filter((text) => BROADCAST_MENTION.test(text));
}

/** Resolves once nothing new has reached the emulator for `quietMs`: the app has finished what it was doing. */
export async function quiet(emulator: SlackEmulator, quietMs = 150): Promise<void> {
  for (let seen = -1; ; ) {
    const count = emulator.calls.length + emulator.responses.length;
    if (count === seen) return;
    seen = count;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}
