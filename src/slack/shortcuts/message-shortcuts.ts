import type { App, MessageShortcut, RespondFn } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { MessageSnapshot } from '../../cases/attachments';
import { deterministicId } from '../../cases/ids';
import { CASE_LIMITS } from '../../cases/model';
import { warning } from '../blocks/notice';
import { plainText } from '../blocks/text';
import type { SlackDeps } from '../deps';
import { isRedeliveredTrigger } from '../slack-errors';
import { enrichSnapshot, snapshotFromShortcut } from '../message-snapshot';
import { addMessageModal } from '../views/evidence-modals';
import { newCaseModal } from '../views/new-case-modal';

export const MESSAGE_SHORTCUTS = { newCase: 'case_from_message', addToCase: 'case_add_message' } as const;

/**
 * "New case from message" and "Add to case": the modal opens first (its trigger id dies in 3 s), then the
 * message is captured — at once from the payload, then completed from Slack — for the submission to use.
 */
export function registerMessageShortcuts(app: App, deps: SlackDeps): void {
  app.shortcut<MessageShortcut>(MESSAGE_SHORTCUTS.newCase, async ({ ack, shortcut, client, respond }) => {
    await ack();
    const { snapshot, captureId } = fromShortcut(shortcut);
    const view = newCaseModal({ channelId: shortcut.channel.id, title: titleFrom(snapshot.text), description: quoteFor(snapshot), captureId });
    if (await openOrSay(deps, client, respond, shortcut.trigger_id, view)) await capture(deps, client, shortcut, captureId, snapshot);
  });

  app.shortcut<MessageShortcut>(MESSAGE_SHORTCUTS.addToCase, async ({ ack, shortcut, client, respond }) => {
    await ack();
    const { snapshot, captureId } = fromShortcut(shortcut);
    if (await openOrSay(deps, client, respond, shortcut.trigger_id, addMessageModal(captureId, snapshot))) await capture(deps, client, shortcut, captureId, snapshot);
  });
}

/** Opens the form; when Slack will not (a late trigger, an outage), tells the person instead of doing nothing. */
async function openOrSay(deps: SlackDeps, client: WebClient, respond: RespondFn, triggerId: string, view: ModalView): Promise<boolean> {
  try {
    await client.views.open({ trigger_id: triggerId, view });
    return true;
  } catch (error) {
    if (isRedeliveredTrigger(error)) return false;
    deps.logger.warn({ err: error }, 'could not open the form of a message shortcut');
    await respond({ response_type: 'ephemeral', ...warning('Slack did not let me open the form (it took too long). Please use the shortcut again.') }).catch(() => undefined);
    return false;
  }
}

function fromShortcut(shortcut: MessageShortcut): { snapshot: MessageSnapshot; captureId: string } {
  const teamId = shortcut.team?.id ?? shortcut.user.team_id ?? '';
  const snapshot = snapshotFromShortcut({
    teamId,
    teamDomain: shortcut.team?.domain,
    channel: shortcut.channel,
    message: shortcut.message as Parameters<typeof snapshotFromShortcut>[0]['message'],
  });
  // One capture per use of the shortcut: the same message captured by two people stays two captures.
  const captureId = deterministicId('capture', teamId, shortcut.channel.id, snapshot.ts, shortcut.user.id, shortcut.action_ts);
  return { snapshot, captureId };
}

async function capture(deps: SlackDeps, client: WebClient, shortcut: MessageShortcut, captureId: string, snapshot: MessageSnapshot): Promise<void> {
  const teamId = snapshot.teamId;
  const responseUrl = shortcut.response_url;
  await deps.evidence.saveCapture(teamId, captureId, { message: snapshot, responseUrl });
  const enriched = await enrichSnapshot(client, snapshot, deps.logger);
  await deps.evidence.saveCapture(teamId, captureId, { message: enriched, responseUrl });
}

/** The case title suggested from a message: its first non-empty line, within the title limit. */
export function titleFrom(text: string): string {
  const firstLine = plainText(text)
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '');
  const title = firstLine ?? 'Case from a Slack message';
  return title.length > CASE_LIMITS.titleLength ? `${title.slice(0, CASE_LIMITS.titleLength - 1)}…` : title;
}

/** The description suggested from a message: who said it, where, the link, and the text quoted. */
export function quoteFor(snapshot: MessageSnapshot): string {
  const where = `@${snapshot.author.name ?? snapshot.author.id} in #${snapshot.channel.name ?? snapshot.channel.id}`;
  const link = snapshot.permalink ? `\n${snapshot.permalink}` : '';
  const quoted = plainText(snapshot.text)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  return `From a Slack message by ${where}:${link}\n\n${quoted}`.slice(0, 3000);
}
