import type { App, BlockAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Actor, CaseRef } from '../../cases/model';
import type { ChangeResult } from '../../cases/case-access';
import { DuplicateAttachmentError } from '../../cases/errors';
import { actorOfInteraction } from '../actor';
import { type SlackMessage, caseCard } from '../blocks/case-card';
import { CARD_WILL_CATCH_UP, cardCaughtUp } from '../case-activity';
import type { SlackDeps } from '../deps';
import { runExport } from '../kibana/export';
import { replyForError } from '../replies';
import { isRedeliveredTrigger, slackErrorCode } from '../slack-errors';
import { activityLine } from '../blocks/activity';
import { caseLabel } from '../blocks/case-format';
import { info } from '../blocks/notice';
import { roomRequestReply } from '../blocks/room';
import { caseDetailsModal, commentModal, editModal, loadingModal, messageModal } from '../views/case-modals';
import { CARD_ACTIONS, caseIdFromBlockId } from './ids';

/** The fields of a card's interactive element that handlers read, whatever its type. */
interface ElementAction {
  block_id?: string;
  value?: string;
  selected_option?: { value?: string } | null;
  selected_users?: string[];
}

interface ActionContext extends SlackDeps {
  actor: Actor;
  ref: CaseRef;
  body: BlockAction;
  action: ElementAction;
  client: WebClient;
  respond?: RespondFn;
}

/** What "Still working" on a nudge records, as the person's comment on the case. */
const STILL_WORKING = 'Still working on this.';

/**
 * The case card's menus and buttons. Every handler acks first, learns the case from the card's block id,
 * and goes through the service, which answers an invisible case exactly as a missing one.
 */
export function registerCardActions(app: App, deps: SlackDeps): void {
  const onCard = (actionId: string, handle: (context: ActionContext) => Promise<void>) =>
    app.action<BlockAction>(actionId, async ({ ack, body, action, client, respond }) => {
      await ack();
      const element = action as ElementAction;
      const caseId = caseIdFromBlockId(element.block_id) ?? element.value;
      const actor = actorOfInteraction(body);
      const context: ActionContext = { ...deps, actor, ref: { id: caseId ?? 'unknown' }, body, action: element, client, respond };
      try {
        await handle(context);
      } catch (error) {
        if (isRedeliveredTrigger(error)) return;
        await tell(context, replyForError(error, deps.logger));
      }
    });

  const change = (actionId: string, perform: (context: ActionContext) => Promise<ChangeResult>) =>
    onCard(actionId, async (context) => showChange(context, await perform(context)));

  change(CARD_ACTIONS.status, (c) => c.service.setStatus(c.actor, c.ref, c.action.selected_option?.value as never));
  change(CARD_ACTIONS.severity, (c) => c.service.setSeverity(c.actor, c.ref, c.action.selected_option?.value as never));
  change(CARD_ACTIONS.assignees, (c) => c.service.changeAssignees(c.actor, c.ref, { set: c.action.selected_users ?? [] }));
  change(CARD_ACTIONS.close, (c) => c.service.setStatus(c.actor, c.ref, 'closed'));
  change(CARD_ACTIONS.reopen, (c) => c.service.setStatus(c.actor, c.ref, 'open'));

  // A nudge's "Still working": a comment, once per person per nudge (the nudge's ts and the person are its key).
  onCard(CARD_ACTIONS.stillWorking, async (c) => {
    const key = `still-working:${c.body.message?.ts ?? c.body.trigger_id}:${c.actor.userId}`;
    const result = await c.service.addComment(c.actor, c.ref, STILL_WORKING, key).catch((error: unknown) => {
      if (error instanceof DuplicateAttachmentError) return null; // pressed again
      throw error;
    });
    if (result) await showChange(c, result);
  });

  onCard(CARD_ACTIONS.room, async (c) => {
    await tell(c, roomRequestReply(await c.rooms.open(c.actor, c.ref, [], c.body.response_url)));
  });

  onCard(CARD_ACTIONS.archiveRoom, async (c) => {
    const archived = await c.rooms.archiveRoom(c.actor, c.ref, async (channel) => {
      await c.client.conversations.archive({ channel }).catch((error: unknown) => {
        if (slackErrorCode(error) !== 'already_archived') throw error;
      });
    });
    await tell(c, info(`The war room of case ${caseLabel(archived)} is archived.`));
  });

  onCard(CARD_ACTIONS.export, async (c) => {
    const channelId = c.body.channel?.id ?? c.actor.userId;
    const exported = await runExport(c, c.actor, { kind: 'cases', refs: [c.ref] }, channelId, c.body.trigger_id);
    if (exported) await tell(c, exported);
  });

  // Modals open before any store read: the trigger id dies within 3 seconds.
  onCard(CARD_ACTIONS.comment, async (c) => {
    await c.client.views.open({ trigger_id: c.body.trigger_id, view: commentModal('id' in c.ref ? c.ref.id : '') });
  });
  onCard(CARD_ACTIONS.edit, async (c) => {
    const opened = await c.client.views.open({ trigger_id: c.body.trigger_id, view: loadingModal('Edit case') });
    const viewId = opened.view?.id;
    if (!viewId) return;
    try {
      await c.client.views.update({ view_id: viewId, view: editModal(await c.service.getCase(c.actor, c.ref)) });
    } catch (error) {
      await c.client.views.update({ view_id: viewId, view: messageModal('Edit case', replyForError(error, c.logger).text) });
    }
  });
}

/**
 * After a change: the canonical card and its thread (for everyone), and the surface the person acted on —
 * an ephemeral copy of the card from `/case show`, or a modal — refreshed for them.
 */
async function showChange(context: ActionContext, result: ChangeResult): Promise<void> {
  if (result.actions.length === 0) return;
  const { body } = context;
  if (!(await cardCaughtUp(context.delivery, result))) {
    // The change is stored but the card still shows the old state: the person who acted must not think it failed.
    await tell(context, info(`Case ${caseLabel(result.case)}: ${activityLine(context.actor, result.actions)}. ${CARD_WILL_CATCH_UP}`));
    return;
  }
  if (body.container?.type === 'view' && body.view?.id) {
    await context.client.views.update({ view_id: body.view.id, view: caseDetailsModal(result.case, caseCard(result.case, { sla: context.settings.sla, kibana: context.settings.kibana })) });
  } else if (body.container?.is_ephemeral && context.respond) {
    await context.respond({ replace_original: true, ...caseCard(result.case, { sla: context.settings.sla, kibana: context.settings.kibana }) });
  }
}

/** Answers only the person who acted: through the message's response_url, or in the modal they are in. */
async function tell(context: ActionContext, message: SlackMessage): Promise<void> {
  if (context.respond) {
    await context.respond({ response_type: 'ephemeral', replace_original: false, ...message });
  } else if (context.body.view?.id) {
    await context.client.views.update({ view_id: context.body.view.id, view: messageModal('caseops', message.text) });
  }
}
