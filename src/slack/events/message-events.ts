import type { App } from '@slack/bolt';
import { actorOf } from '../actor';
import type { SlackDeps } from '../deps';
import { captureRoomMessage, type PostedMessageEvent } from './room-events';

interface ChangedMessageEvent {
  subtype: 'message_changed';
  channel: string;
  message: { ts: string; text?: string; user?: string };
}

interface DeletedMessageEvent {
  subtype: 'message_deleted';
  channel: string;
  deleted_ts: string;
  previous_message?: { user?: string };
}

/**
 * Messages of war rooms that capture every message, and edits and deletions of attached messages, from the channels
 * caseops is in. Bolt acks events before this runs; a retried delivery (X-Slack-Retry-Num) finds the snapshot already
 * current and changes nothing.
 */
export function registerMessageEvents(app: App, deps: SlackDeps): void {
  app.event('message', async ({ event, context, client }) => {
    const teamId = context.teamId ?? '';
    const subtype = (event as { subtype?: string }).subtype;
    try {
      if (subtype !== 'message_changed' && subtype !== 'message_deleted') {
        await captureRoomMessage(deps, client, teamId, event as unknown as PostedMessageEvent, context.botUserId);
      } else if (subtype === 'message_changed') {
        const changed = event as unknown as ChangedMessageEvent;
        const editor = actorOf({ id: changed.message.user ?? 'unknown' }, teamId);
        await deps.evidence.recordMessageEdit(teamId, changed.channel, changed.message.ts, { text: changed.message.text ?? '', editor });
      } else if (subtype === 'message_deleted') {
        const deleted = event as unknown as DeletedMessageEvent;
        const actor = actorOf({ id: deleted.previous_message?.user ?? 'unknown' }, teamId);
        await deps.evidence.recordMessageDeletion(teamId, deleted.channel, deleted.deleted_ts, actor);
      }
    } catch (error) {
      deps.logger.error({ err: error, subtype, retryNum: context.retryNum }, 'could not apply a message, an edit or a deletion to attached events');
    }
  });
}
