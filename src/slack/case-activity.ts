import type { WebClient } from '@slack/web-api';
import type { Actor } from '../cases/model';
import type { ChangeResult } from '../cases/case-access';
import type { Logger } from '../log';
import { activityLine } from './blocks/activity';
import { caseCard } from './blocks/case-card';

/**
 * Makes a change visible where the case lives: the card is edited in place and one short line goes into
 * its thread — no other channel noise. The change is already stored; a Slack failure here is logged, not
 * reported as a failed change. Returns false when the card could not be edited, so the caller can say so.
 */
export async function publishChange(
  result: ChangeResult,
  actor: Actor,
  client: WebClient,
  logger: Logger,
  options: { threadLine?: boolean } = {},
): Promise<boolean> {
  const { case: theCase, actions } = result;
  const { channelId, cardTs } = theCase.origin;
  if (actions.length === 0 || !cardTs) return true;
  try {
    await client.chat.update({ channel: channelId, ts: cardTs, ...caseCard(theCase) });
  } catch (error) {
    logger.warn({ err: error, caseId: theCase.id }, 'the change is saved but the case card could not be updated');
    return false;
  }
  // A change that already posted in the thread (a chart image) needs no line saying so.
  if (options.threadLine === false) return true;
  await client.chat.postMessage({ channel: channelId, thread_ts: cardTs, text: activityLine(actor, actions) }).catch((error: unknown) => {
    logger.warn({ err: error, caseId: theCase.id }, 'the change is saved but its line in the case thread could not be posted');
  });
  return true;
}
