import type { App } from '@slack/bolt';
import { actorOf, actorOfInteraction } from './actor';
import { caseCard } from './blocks/case-card';
import { HOME_LIST_SIZE, HOME_VIEW_CASE, homeView } from './blocks/home';
import type { SlackDeps } from './deps';
import { replyForError } from './replies';
import { caseDetailsModal, loadingModal, messageModal } from './views/case-modals';

const ACTIVE = ['open', 'in-progress'] as ('open' | 'in-progress')[];
const HISTORY_SHOWN = 10;

/** App Home (`app_home_opened` → `views.publish`), built from the cases the user may see. */
export function registerHome(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, client, context }) => {
    if (event.tab !== 'home') return;
    const actor = actorOf({ id: event.user }, context.teamId ?? '');
    try {
      const [mine, recent] = await Promise.all([
        deps.service.listCases(actor, { statuses: ACTIVE, mine: true, limit: HOME_LIST_SIZE }),
        deps.service.listCases(actor, { limit: HOME_LIST_SIZE }),
      ]);
      await client.views.publish({ user_id: event.user, view: homeView(mine, recent) });
    } catch (error) {
      const text = replyForError(error, deps.logger).text;
      await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] } });
    }
  });

  // "View" opens the card in a modal: opened first (the trigger expires), filled once the case is read.
  app.action(HOME_VIEW_CASE, async ({ ack, body, action, client }) => {
    await ack();
    const actor = actorOfInteraction(body);
    const opened = await client.views.open({ trigger_id: (body as { trigger_id: string }).trigger_id, view: loadingModal('Case') });
    const viewId = opened.view?.id;
    if (!viewId) return;
    const ref = { id: (action as { value?: string }).value ?? '' };
    try {
      const theCase = await deps.service.getCase(actor, ref);
      const history = await deps.service.recentHistory(actor, ref, HISTORY_SHOWN);
      await client.views.update({ view_id: viewId, view: caseDetailsModal(theCase, caseCard(theCase, { history, sla: deps.settings.sla, kibana: deps.settings.kibana })) });
    } catch (error) {
      await client.views.update({ view_id: viewId, view: messageModal('Case', replyForError(error, deps.logger).text) });
    }
  });
}
