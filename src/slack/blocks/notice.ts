import type { SlackMessage } from './case-card';
import { truncate } from './text';

/** A short ephemeral reply: a problem the user can fix, or a plain confirmation. */
export function warning(text: string): SlackMessage {
  const line = truncate(`:warning: ${text}`, 2900);
  return { text: line, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: line } }] };
}

export function info(text: string): SlackMessage {
  const line = truncate(text, 2900);
  return { text: line, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: line } }] };
}
