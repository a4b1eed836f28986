import type { App } from '@slack/bolt';
import { actorOfInteraction } from '../actor';
import { HELP_ACTIONS } from '../blocks/help';
import type { SlackDeps } from '../deps';
import { listReply } from '../commands/case-command';
import { replyForError } from '../replies';

/** The one-tap buttons under `/case help`, for phones where typing syntax is slow. */
export function registerHelpActions(app: App, deps: SlackDeps): void {
  const lists = [
    { actionId: HELP_ACTIONS.myCases, filter: { statuses: ['open', 'in-progress'] as const, mine: true } },
    { actionId: HELP_ACTIONS.openCases, filter: { statuses: ['open', 'in-progress'] as const, mine: false } },
  ];
  for (const { actionId, filter } of lists) {
    app.action(actionId, async ({ ack, body, respond }) => {
      await ack();
      const actor = actorOfInteraction(body);
      try {
        await respond({ response_type: 'ephemeral', replace_original: false, ...(await listReply(deps.service, actor, { ...filter, statuses: [...filter.statuses] })) });
      } catch (error) {
        await respond({ response_type: 'ephemeral', replace_original: false, ...replyForError(error, deps.logger) });
      }
    });
  }
}
