import type { WebClient } from '@slack/web-api';
import type { Actor } from '../cases/model';
import { formatRange } from '../charts/range';
import type { SlackMessage } from './blocks/case-card';
import { digestMessage } from './blocks/digest';
import { info } from './blocks/notice';
import { channelOrigin } from './channels';
import type { SlackDeps } from './deps';
import { cannotPostHere } from './replies';

/** A digest covers the day before it. */
const DIGEST_PERIOD_MS = 24 * 3_600_000;

/**
 * `/case digest`: the channel's digest of the last 24 hours (src/cases/digest.ts), posted in the channel, over the
 * cases every member of the channel may see.
 */
export async function postDigest(deps: SlackDeps, client: WebClient, actor: Actor, channelId: string, now: Date): Promise<SlackMessage> {
  const origin = await channelOrigin(client, actor.teamId, channelId, deps.logger);
  const period = { fromMs: now.getTime() - DIGEST_PERIOD_MS, toMs: now.getTime() };
  const digest = await deps.service.channelDigest(actor.teamId, { id: channelId, isPrivate: origin.isPrivate }, period);
  const range = { from: new Date(period.fromMs).toISOString(), to: now.toISOString(), bucket: { count: 1, unit: 'd' as const }, timeZone: deps.charts.timeZone };
  try {
    await client.chat.postMessage({ channel: channelId, ...digestMessage(digest, formatRange(range), now) });
  } catch (error) {
    return cannotPostHere('the digest', error);
  }
  return info('Case digest posted in this channel.');
}
