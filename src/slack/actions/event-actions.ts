import type { App, BlockAction } from '@slack/bolt';
import type { KnownBlock, ModalView } from '@slack/types';
import type { KibanaLocation } from '../../evidence-es/deep-links';
import { actorOfInteraction } from '../actor';
import { caseLabel } from '../blocks/case-format';
import { EVENT_ACTIONS, EVENTS_PAGE_SIZE, eventDetailsBlocks, eventsMessage, parseEventValue } from '../blocks/events';
import type { SlackDeps } from '../deps';
import { replyForError } from '../replies';
import { loadingModal, messageModal } from '../views/case-modals';
import { VIEWS } from '../views/ids';
import { modal } from '../views/modal';
import { CARD_ACTIONS, caseIdFromBlockId } from './ids';

function kibanaLocation(deps: SlackDeps): KibanaLocation | undefined {
  const { url, space } = deps.settings.kibana;
  return url ? { url, ...(space ? { space } : {}) } : undefined;
}

/** The events list as a modal (from the card's Events button, where there is no room for a long reply). */
function eventsModal(title: string, blocks: KnownBlock[]): ModalView {
  return modal({ title, blocks });
}

/**
 * The Events view (Kibana's Events tab): the card's Events button, paging, and View details. Each reads
 * through the service, so a case the user may not see answers as a missing one.
 */
export function registerEventActions(app: App, deps: SlackDeps): void {
  const failureText = (error: unknown) => replyForError(error, deps.logger).text;

  app.action<BlockAction>(CARD_ACTIONS.events, async ({ ack, body, action, client }) => {
    await ack();
    const opened = await client.views.open({ trigger_id: body.trigger_id, view: loadingModal('Events') });
    const viewId = opened.view?.id;
    if (!viewId) return;
    const caseId = caseIdFromBlockId((action as { block_id?: string }).block_id) ?? '';
    try {
      const page = await deps.evidence.listEvents(actorOfInteraction(body), { id: caseId }, { offset: 0, limit: EVENTS_PAGE_SIZE });
      await client.views.update({ view_id: viewId, view: eventsModal(`Events of ${caseLabel(page.case)}`, eventsMessage(page.case, page).blocks) });
    } catch (error) {
      await client.views.update({ view_id: viewId, view: messageModal('Events', failureText(error)) });
    }
  });

  app.action<BlockAction>(EVENT_ACTIONS.page, async ({ ack, body, action, client, respond }) => {
    await ack();
    const target = parseEventValue((action as { value?: string }).value);
    const offset = Number(target?.rest ?? 0);
    try {
      const page = await deps.evidence.listEvents(actorOfInteraction(body), { id: target?.caseId ?? '' }, { offset: Number.isInteger(offset) && offset >= 0 ? offset : 0, limit: EVENTS_PAGE_SIZE });
      const message = eventsMessage(page.case, page);
      if (body.view?.id) await client.views.update({ view_id: body.view.id, view: eventsModal(`Events of ${caseLabel(page.case)}`, message.blocks) });
      else await respond?.({ replace_original: true, ...message });
    } catch (error) {
      await respond?.({ response_type: 'ephemeral', replace_original: false, text: failureText(error) });
    }
  });

  // Details go on top of the events modal (views.push), or open a new modal from a message.
  app.action<BlockAction>(EVENT_ACTIONS.details, async ({ ack, body, action, client }) => {
    await ack();
    const placeholder = loadingModal('Message');
    const opened = body.view?.id && body.view.type === 'modal'
      ? await client.views.push({ trigger_id: body.trigger_id, view: placeholder })
      : await client.views.open({ trigger_id: body.trigger_id, view: placeholder });
    const viewId = opened.view?.id;
    if (!viewId) return;
    const target = parseEventValue((action as { value?: string }).value);
    try {
      const { case: theCase, event } = await deps.evidence.getEvent(actorOfInteraction(body), { id: target?.caseId ?? '' }, target?.rest ?? '');
      const view = modal({ callbackId: VIEWS.eventDetails, title: `Message in ${caseLabel(theCase)}`, blocks: eventDetailsBlocks(theCase, event, kibanaLocation(deps)) });
      await client.views.update({ view_id: viewId, view });
    } catch (error) {
      await client.views.update({ view_id: viewId, view: messageModal('Message', failureText(error)) });
    }
  });
}
