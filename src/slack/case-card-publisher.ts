import type { WebClient } from '@slack/web-api';
import type { Case } from '../cases/model';
import type { CaseService } from '../cases/service';
import type { Logger } from '../log';
import { type SlackMessage, caseCard } from './blocks/case-card';
import { caseLabel } from './blocks/case-format';
import { warning } from './blocks/notice';
import { slackErrorCode } from './slack-errors';

/** Slack errors meaning the bot cannot post in that conversation, though the person who asked may see it. */
const CANNOT_POST_HERE = new Set(['not_in_channel', 'channel_not_found']);

/**
 * Where the card goes when the bot cannot post in the case's channel: a slash command's response_url
 * (Slack delivers it to the channel on the bot's behalf), or a direct message to the person who opened it.
 */
export type CardFallback = (card: SlackMessage, reason: string) => Promise<void>;

/**
 * Posts a new case's card in its channel and remembers the message, so later changes edit it in place and
 * go into its thread.
 */
export async function publishCaseCard(
  theCase: Case,
  client: WebClient,
  fallback: CardFallback,
  service: CaseService,
  logger: Logger,
): Promise<void> {
  const card = caseCard(theCase);
  let posted: { ts?: string };
  try {
    posted = await client.chat.postMessage({ channel: theCase.origin.channelId, ...card });
  } catch (error) {
    const code = slackErrorCode(error);
    if (code && CANNOT_POST_HERE.has(code)) {
      await fallback(card, code);
      return;
    }
    logger.error({ err: error, caseId: theCase.id }, 'posting the case card failed');
    await fallback(
      warning(`Case ${caseLabel(theCase)} is open, but I could not post its card (${code ?? 'Slack did not answer'}). \`/case show ${theCase.number}\` shows it.`),
      code ?? 'unknown',
    );
    return;
  }
  // The card is out; failing to remember it is logged, not reported as a failed post.
  if (posted.ts) await service.recordCardMessage(theCase, posted.ts).catch((error: unknown) => logger.error({ err: error, caseId: theCase.id }, 'could not record the case card'));
}
