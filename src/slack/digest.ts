import type { WebClient } from '@slack/web-api';
import type { Actor } from '../cases/model';
import type { CaseService } from '../cases/service';
import { formatRange } from '../charts/range';
import type { Logger } from '../log';
import type { EffectHandler } from '../outbox/dispatcher';
import type { SlackMessage } from './blocks/case-card';
import { digestMessage } from './blocks/digest';
import { info } from './blocks/notice';
import { channelOrigin } from './channels';
import type { SlackDeps } from './deps';
import { effectMetadata, findPostedMessage } from './effects/posted-lookup';
import { cannotPostHere } from './replies';

/** A digest covers the day before it. */
const DIGEST_PERIOD_MS = 24 * 3_600_000;

interface DigestDeps {
  service: CaseService;
  logger: Logger;
  timeZone: string;
}

/** The channel's digest of the 24 hours before `end` (src/cases/digest.ts), over the cases every member may see. */
async function channelDigestMessage(deps: DigestDeps, client: WebClient, teamId: string, channelId: string, end: Date): Promise<SlackMessage> {
  const origin = await channelOrigin(client, teamId, channelId, deps.logger);
  const period = { fromMs: end.getTime() - DIGEST_PERIOD_MS, toMs: end.getTime() };
  const digest = await deps.service.channelDigest(teamId, { id: channelId, isPrivate: origin.isPrivate }, period);
  const range = { from: new Date(period.fromMs).toISOString(), to: end.toISOString(), bucket: { count: 1, unit: 'd' as const }, timeZone: deps.timeZone };
  return digestMessage(digest, formatRange(range), end);
}

/** `/case digest`: the channel's digest of the last 24 hours, posted in the channel now. */
export async function postDigest(deps: SlackDeps, client: WebClient, actor: Actor, channelId: string, now: Date): Promise<SlackMessage> {
  const message = await channelDigestMessage({ ...deps, timeZone: deps.charts.timeZone }, client, actor.teamId, channelId, now);
  try {
    await client.chat.postMessage({ channel: channelId, ...message });
  } catch (error) {
    return cannotPostHere('the digest', error);
  }
  return info('Case digest posted in this channel.');
}

/**
 * A scheduled digest (the `digest` effect): the channel's digest of the 24 hours before its time, posted with the
 * effect's metadata, so a retry after a lost answer finds it in the channel instead of posting it twice.
 */
export function digestHandler(deps: DigestDeps & { client: WebClient }): EffectHandler {
  return {
    async deliver(effect, { retrying }) {
      const scheduled = effect.payload.digest;
      if (!scheduled) return;
      if (retrying && (await findPostedMessage(deps.client, effect, scheduled.channelId))) return;
      const message = await channelDigestMessage(deps, deps.client, effect.teamId, scheduled.channelId, new Date(scheduled.at));
      await deps.client.chat.postMessage({ channel: scheduled.channelId, ...message, metadata: effectMetadata(effect) });
    },
  };
}
