import { EvidenceError } from '../evidence-es/errors';
import type { Logger } from '../log';
import { CaseError, CaseNotFoundError, InvalidInputError, StoreUnavailableError, VersionConflictError } from '../cases/errors';
import type { SlackMessage } from './blocks/case-card';
import { warning } from './blocks/notice';
import { escapeMrkdwn } from './blocks/text';
import { slackErrorCode } from './slack-errors';

/**
 * The reply a user gets when a use-case fails. Domain errors carry their own short message; anything else is
 * logged with its stack and answered without one. A domain message often repeats what the user typed (a
 * value, an index pattern), so it is escaped: it is text, and `<!channel>` in it must not notify anyone.
 */
export function replyForError(error: unknown, logger: Logger): SlackMessage {
  if (error instanceof CaseNotFoundError) {
    // Numbers are what people type; an id only comes from a button, so it is not worth repeating back.
    const which = error.ref.startsWith('#') ? `There is no case ${error.ref}.` : 'That case does not exist.';
    return warning(`${which} \`/case list\` shows the cases you can see.`);
  }
  if (error instanceof InvalidInputError) return warning(escapeMrkdwn(`${error.message}. Nothing was changed.`.replace('.. ', '. ')));
  if (error instanceof StoreUnavailableError) {
    logger.error({ reason: error.reason }, 'case storage unavailable');
    return warning(escapeMrkdwn(error.message));
  }
  if (error instanceof VersionConflictError || error instanceof CaseError) return warning(escapeMrkdwn(error.message));
  // Elasticsearch evidence errors (a malformed query, an unreachable cluster) carry a message written for users.
  if (error instanceof EvidenceError) return warning(escapeMrkdwn(error.message));
  logger.error({ err: error }, 'unexpected failure while handling a Slack request');
  return warning('Something went wrong on our side and nothing was changed. Please try again; if it keeps happening, tell your caseops admin.');
}

/** Said when caseops could not post `what` in the channel it was asked for in (it is not a member, say). */
export function cannotPostHere(what: string, error: unknown): SlackMessage {
  return warning(`I could not post ${what} here (${slackErrorCode(error) ?? 'Slack refused it'}). Invite me with \`/invite @caseops\`.`);
}
