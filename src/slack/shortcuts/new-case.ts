import type { App } from '@slack/bolt';
import { newCaseModal } from '../views/new-case-modal';

export const NEW_CASE_SHORTCUT = 'case_new';
export const NEW_CASE_BUTTONS = { help: 'help_new_case', home: 'home_new_case' } as const;

/**
 * Every way to the new-case modal without typing syntax: the global shortcut (no channel: the modal asks
 * for one), the button under `/case help` (its channel is known) and the one on App Home.
 */
export function registerNewCaseEntryPoints(app: App): void {
  app.shortcut(NEW_CASE_SHORTCUT, async ({ ack, shortcut, client }) => {
    await ack();
    await client.views.open({ trigger_id: shortcut.trigger_id, view: newCaseModal() });
  });
  for (const actionId of Object.values(NEW_CASE_BUTTONS)) {
    app.action(actionId, async ({ ack, body, client }) => {
      await ack();
      const channelId = 'channel' in body ? body.channel?.id : undefined;
      await client.views.open({ trigger_id: (body as { trigger_id: string }).trigger_id, view: newCaseModal({ channelId }) });
    });
  }
}
