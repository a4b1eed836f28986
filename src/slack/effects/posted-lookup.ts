import type { WebClient } from '@slack/web-api';
import type { Effect } from '../../cases/outbox';

/**
 * Exactly once on Slack. chat.postMessage has no idempotency key, so every message caseops posts for an effect
 * carries the effect's id in Slack message metadata; an attempt that may have posted before (the process died,
 * or Slack's answer was lost) first looks for that message in the window of the earlier attempts.
 */
export const EFFECT_EVENT_TYPE = 'caseops_effect';

/** How far before the first attempt the search starts: clocks of Slack and of replicas differ a little. */
const CLOCK_SKEW_S = 30;
/** Messages read per page of history, and pages at most: the window holds the attempts of one effect. */
const PAGE = 200;
const MAX_PAGES = 5;

export function effectMetadata(effect: Effect): { event_type: string; event_payload: Record<string, string> } {
  return { event_type: EFFECT_EVENT_TYPE, event_payload: { effect_id: effect.id, stream: effect.stream } };
}

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
  files?: { id?: string; name?: string; permalink?: string }[];
}

/**
 * The ts of the message an earlier attempt of `effect` posted in `channel` (in the thread of `threadTs` when
 * given), or undefined when there is none.
 */
export function findPostedMessage(client: WebClient, effect: Effect, channel: string, threadTs?: string): Promise<string | undefined> {
  return findInHistory(client, effect, channel, threadTs, (message) =>
    message.metadata?.event_type === EFFECT_EVENT_TYPE && message.metadata.event_payload?.effect_id === effect.id ? message.ts : undefined,
  );
}

/**
 * A file an earlier attempt of `effect` shared (files carry no message metadata, so the upload's file name carries
 * the effect's mark: `fileMark`), or undefined.
 */
export function findUploadedFile(client: WebClient, effect: Effect, channel: string, threadTs?: string): Promise<{ id: string; permalink?: string } | undefined> {
  const mark = fileMark(effect);
  return findInHistory(client, effect, channel, threadTs, (message) => {
    const file = message.files?.find((candidate) => candidate.id && candidate.name?.includes(mark));
    return file?.id ? { id: file.id, ...(file.permalink ? { permalink: file.permalink } : {}) } : undefined;
  });
}

/** What an effect's upload puts in its file name so that a retry can recognise it: short, and unique in the window. */
export function fileMark(effect: Effect): string {
  return effect.id.replace(/-/g, '').slice(0, 12);
}

/** Reads the window of the effect's attempts, newest pages first, until `match` finds something. */
async function findInHistory<T>(client: WebClient, effect: Effect, channel: string, threadTs: string | undefined, match: (message: HistoryMessage) => T | undefined): Promise<T | undefined> {
  const oldest = String(Date.parse(effect.firstAttemptAt ?? effect.createdAt) / 1000 - CLOCK_SKEW_S);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const common = { channel, oldest, inclusive: true, include_all_metadata: true, limit: PAGE, ...(cursor ? { cursor } : {}) };
    const answer = threadTs ? await client.conversations.replies({ ...common, ts: threadTs }) : await client.conversations.history(common);
    for (const message of (answer.messages ?? []) as HistoryMessage[]) {
      const found = match(message);
      if (found !== undefined) return found;
    }
    cursor = answer.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}
