import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log';
import type { SlackMessage } from './blocks/case-card';
import { mentionChannel } from './blocks/text';

/**
 * Tells one person something when there is no response_url to answer through (modal submissions, global
 * shortcuts): a direct message from the app, which every user can receive.
 */
export async function notifyUser(client: WebClient, userId: string, message: SlackMessage, logger: Logger): Promise<void> {
  try {
    await client.chat.postMessage({ channel: userId, ...message });
  } catch (error) {
    logger.warn({ err: error, userId }, 'could not send a direct message');
  }
}

/** The card fallback for cases opened from a modal: the opener gets the card by DM, with the reason. */
export function directMessageFallback(client: WebClient, userId: string, channelId: string, logger: Logger) {
  return async (card: SlackMessage, reason: string) => {
    const note =
      reason === 'not_in_channel' || reason === 'channel_not_found'
        ? `I can't post in ${mentionChannel(channelId)}: invite me there with \`/invite @caseops\`. Here is the card:`
        : 'Here is the case card:';
    await notifyUser(client, userId, { text: card.text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: note } }, ...card.blocks] }, logger);
  };
}
