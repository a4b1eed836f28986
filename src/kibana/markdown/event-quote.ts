import type { EventData } from '../../cases/attachments';
import { blockQuote } from './text';

/**
 * An attached Slack message as Kibana markdown: who said it, where and when, the text quoted, its files and
 * a link back to Slack. What Kibana shows when it cannot (or the target version does not) hold the message
 * as an event attachment; also the human-readable side of the snapshot next to a Kibana event attachment.
 */
export function renderEventQuote(event: EventData): string {
  const { message } = event;
  const author = message.author.name ?? message.author.id;
  const channel = `#${message.channel.name ?? message.channel.id}${message.channel.isPrivate ? ' (private channel)' : ''}`;
  const state = message.deleted ? ' (since deleted in Slack)' : message.edited ? ' (edited in Slack)' : '';
  const thread = message.threadTs && message.threadTs !== message.ts ? ', in a thread' : '';
  const parts = [
    `**Slack message from ${author}** in ${channel}${thread}, ${slackTsToIso(message.ts)}${state}`,
    blockQuote(message.text || '_(no text)_'),
  ];
  if (message.originalText !== undefined) parts.push(`Text when attached to the case:\n\n${blockQuote(message.originalText || '_(no text)_')}`);
  if (message.files.length) parts.push(`Files: ${message.files.map((file) => `\`${file.name}\``).join(', ')}`);
  if (message.permalink) parts.push(`[Open in Slack](${message.permalink})`);
  if (event.document) parts.push(`Elasticsearch document \`${event.document.id}\` in \`${event.document.index}\``);
  if (event.note) parts.push(`Note: ${event.note}`);
  return parts.join('\n\n');
}

/** Slack's message ts is seconds.microseconds since the epoch; shown as ISO time (UTC). */
function slackTsToIso(ts: string): string {
  const seconds = Number(ts);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(Math.floor(seconds * 1000)).toISOString() : ts;
}
