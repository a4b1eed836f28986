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
}

/**
 * The ts of the message an earlier attempt of `effect` posted in `channel` (in the thread of `threadTs` when
 * given), or undefined when there is none.
 */
export async function findPostedMessage(client: WebClient, effect: Effect, channel: string, threadTs?: string): Promise<string | undefined> {
  const oldest = String(Date.parse(effect.firstAttemptAt ?? effect.createdAt) / 1000 - CLOCK_SKEW_S);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const common = { channel, oldest, inclusive: true, include_all_metadata: true, limit: PAGE, ...(cursor ? { cursor } : {}) };
    const answer = threadTs ? await client.conversations.replies({ ...common, ts: threadTs }) : await client.conversations.history(common);
    const found = ((answer.messages ?? []) as HistoryMessage[]).find(
      (message) => message.metadata?.event_type === EFFECT_EVENT_TYPE && message.metadata.event_payload?.effect_id === effect.id,
    );
    if (found?.ts) return found.ts;
    cursor = answer.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}
