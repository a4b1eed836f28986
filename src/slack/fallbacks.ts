import type { App } from '@slack/bolt';
import type { Logger } from '../log';
import type { ListenerCatalog } from './listener-catalog';

/** Said to whoever presses a button no listener knows: the message it is on was posted by another version. */
const STALE_BUTTON = 'That button is from an older message and no longer does anything. `/case show <number>` posts the case as it is now.';

/** Matches any id except those listed: the ids nothing else listens to. */
function anyIdExcept(ids: string[]): RegExp {
  const escaped = ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^(?!(?:${escaped.join('|')})$)`);
}

/**
 * Acks interactions no listener knows — a button on a card an older or newer caseops posted, a stale modal —
 * so Slack does not show the person an error after 3 seconds. Registered on the app itself, after every
 * other listener, so it stays out of the catalogue the manifest is checked against.
 */
export function registerFallbacks(app: App, catalog: ListenerCatalog, logger: Logger): void {
  const unknown = (kind: string) => (id: unknown) => logger.info({ kind, id }, 'acked an interaction no listener knows');
  app.action(anyIdExcept(catalog.action), async ({ ack, action, respond }) => {
    await ack();
    unknown('action')((action as { action_id?: string }).action_id);
    await respond?.({ response_type: 'ephemeral', replace_original: false, text: STALE_BUTTON }).catch((error: unknown) => logger.warn({ err: error }, 'could not say a button no longer works'));
  });
  app.view(anyIdExcept(catalog.view), async ({ ack, view }) => {
    await ack();
    unknown('view')(view.callback_id);
  });
  app.options(anyIdExcept(catalog.options), async ({ ack, body }) => {
    await ack({ options: [] });
    unknown('options')((body as { action_id?: string }).action_id);
  });
  app.shortcut(anyIdExcept(catalog.shortcut), async ({ ack, shortcut }) => {
    await ack();
    unknown('shortcut')(shortcut.callback_id);
  });
}
