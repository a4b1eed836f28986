import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Case } from '../cases/model';
import type { CaseService } from '../cases/service';
import type { Logger } from '../log';
import { caseCard } from './blocks/case-card';
import { caseLabel } from './blocks/case-format';
import { warning } from './blocks/notice';

/** Slack errors meaning the bot cannot post in that conversation, though the user who asked can see it. */
const CANNOT_POST_HERE = new Set(['not_in_channel', 'channel_not_found']);

/**
 * Posts a new case's card in its channel and remembers the message, so later changes edit it in place and
 * go into its thread. Where the bot cannot post (a DM, a private channel it is not in), the card goes
 * through the command's response_url instead, which Slack delivers to the channel on the bot's behalf.
 */
export async function publishCaseCard(
  theCase: Case,
  client: WebClient,
  respond: RespondFn,
  service: CaseService,
  logger: Logger,
): Promise<void> {
  const card = caseCard(theCase);
  try {
    const posted = await client.chat.postMessage({ channel: theCase.origin.channelId, ...card });
    if (posted.ts) await service.recordCardMessage(theCase, posted.ts);
    return;
  } catch (error) {
    const code = slackErrorCode(error);
    if (!code || !CANNOT_POST_HERE.has(code)) {
      logger.error({ err: error, caseId: theCase.id }, 'posting the case card failed');
      await respond({
        response_type: 'ephemeral',
        ...warning(`Case ${caseLabel(theCase)} is open, but I could not post its card here (${code ?? 'Slack did not answer'}). \`/case show ${theCase.number}\` shows it.`),
      });
      return;
    }
  }
  await respond({ response_type: 'in_channel', ...card });
}

/** The `error` of a Web API `ok:false` answer, if that is what failed. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}
