import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log';
import type { SlackMessage } from './blocks/case-card';

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

