import type { Logger } from '../log';
import type { FallbackListeners } from './listener-router';

/** Said to whoever presses a button no listener knows: the message it is on was posted by another version. */
const STALE_BUTTON = 'That button is from an older message and no longer does anything. `/case show <number>` posts the case as it is now.';

/**
 * Acks interactions no listener knows — a button on a card an older or newer caseops posted, a stale modal —
 * so Slack does not show the person an error after 3 seconds; a button also says it no longer works.
 */
export function fallbackListeners(logger: Logger): FallbackListeners {
  const logUnknown = (kind: string, id: unknown) => logger.info({ kind, id }, 'acked an interaction no listener knows');
  return {
    action: async ({ ack, action, respond }) => {
      await ack();
      logUnknown('action', 'action_id' in action ? action.action_id : undefined);
      await respond?.({ response_type: 'ephemeral', replace_original: false, text: STALE_BUTTON }).catch((error: unknown) => logger.warn({ err: error }, 'could not say a button no longer works'));
    },
    view: async ({ ack, view }) => {
      await ack();
      logUnknown('view', view.callback_id);
    },
    options: async ({ ack, body }) => {
      await ack({ options: [] });
      logUnknown('options', 'action_id' in body ? body.action_id : undefined);
    },
    shortcut: async ({ ack, shortcut }) => {
      await ack();
      logUnknown('shortcut', shortcut.callback_id);
    },
  };
}
