import type { WebClient } from '@slack/web-api';
import type { SlackOrigin } from '../cases/model';
import type { Logger } from '../log';

/**
 * Where a case comes from, with the privacy that drives its visibility. A channel caseops cannot inspect
 * (a DM, a private channel it is not in) is treated as private: failing closed never leaks a case.
 */
export async function channelOrigin(client: WebClient, teamId: string, channelId: string, logger: Logger): Promise<SlackOrigin> {
  try {
    const { channel } = await client.conversations.info({ channel: channelId });
    return {
      teamId,
      channelId,
      channelName: channel?.name,
      isPrivate: Boolean(channel?.is_private || channel?.is_im || channel?.is_mpim),
    };
  } catch (error) {
    logger.warn({ channelId, err: error }, 'cannot inspect the channel; treating the case as private');
    return { teamId, channelId, isPrivate: true };
  }
}
