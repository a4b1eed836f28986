import type { RecordedCall, RecordedResponse } from '../../support/slack-emulator';

type Obj = Record<string, unknown>;

/**
 * Hostile text's markers: ids and a host no caseops message ever means. Any of them reaching Slack as live
 * markup is a notification caseops did not intend, or a link that can pass for something else.
 */
export const HOSTILE_USER = 'U9EVIL';
export const HOSTILE_CHANNEL = 'C9EVIL';
export const HOSTILE_HOST = 'evil.example';

/** What Slack would act on in mrkdwn: broadcasts, user group and user mentions, channel links, and links under a label of their own. */
const LIVE_MARKUP = new RegExp(
  [`<!(?:channel|here|everyone|subteam\\^)`, `<@${HOSTILE_USER}`, `<#${HOSTILE_CHANNEL}`, `<[a-z]+:[^>|]*${HOSTILE_HOST.replace('.', '\\.')}[^>|]*\\|`].join('|'),
  'i',
);

/** The same as rich-text elements, which need no markup at all. */
function liveRichText(node: Obj): boolean {
  if (node.type === 'broadcast' || node.type === 'usergroup') return true;
  if (node.type === 'user' && String(node.user_id).startsWith(HOSTILE_USER)) return true;
  if (node.type === 'channel' && String(node.channel_id).startsWith(HOSTILE_CHANNEL)) return true;
  return node.type === 'link' && String(node.url).includes(HOSTILE_HOST);
}

export interface LiveMarkup {
  where: string;
  text: string;
}

/**
 * Every place in what caseops sent where Slack would render hostile text as live markup: mrkdwn text objects
 * anywhere (messages, modals, Home tab), a message's top-level `text` (mrkdwn unless `mrkdwn: false`), a file's
 * `initial_comment`, and rich-text elements. plain_text objects, file titles, file names and alt text are
 * shown as they are, so markup in them is inert.
 */
export function liveMarkupIn(calls: readonly RecordedCall[], responses: readonly RecordedResponse[]): LiveMarkup[] {
  const found: LiveMarkup[] = [];
  const check = (where: string, text: unknown) => {
    if (typeof text === 'string' && LIVE_MARKUP.test(text)) found.push({ where, text });
  };
  const walk = (where: string, node: unknown): void => {
    if (Array.isArray(node)) return node.forEach((child) => walk(where, child));
    if (typeof node !== 'object' || node === null) return;
    const object = node as Obj;
    if (object.type === 'mrkdwn') check(where, object.text);
    if (liveRichText(object)) found.push({ where, text: JSON.stringify(object) });
    Object.values(object).forEach((child) => walk(where, child));
  };
  for (const call of calls) {
    const args = call.args;
    if (args.mrkdwn !== false && args.mrkdwn !== 'false') check(`${call.method} text`, args.text);
    check(`${call.method} initial_comment`, args.initial_comment);
    walk(call.method, [args.blocks, args.attachments, args.view]);
  }
  for (const response of responses) {
    check('response_url text', response.text);
    walk('response_url', response.blocks);
  }
  return found;
}
