import type { Actor } from '../../cases/model';
/**
 * Text helpers for Block Kit: Slack's mrkdwn escaping (only &, < and > — reference/slack-platform.md §5) and
 * truncation that keeps every message inside Slack's limits instead of having it rejected.
 */

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Cuts `text` to at most `max` characters as Slack counts them (UTF-16 units, so an emoji counts two),
 * never splitting a character, and marks the cut with an ellipsis.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const char of text) {
    if (kept.length + char.length > max - 1) break;
    kept += char;
  }
  return `${kept}…`;
}

/**
 * User text to echo inside an inline code span: short, with no backtick to break out of the span and no
 * `<…>` markup left to notify or link (Slack still parses mentions inside code spans).
 */
export function codeText(text: string, max = 40): string {
  return escapeMrkdwn(truncate(text.replace(/`/g, "'"), max));
}

export const mentionUser = (userId: string): string => `<@${userId}>`;

/** A Slack user as a mention; anyone else (a Kibana user, met on import or through live sync) by name, in bold. */
export function mentionActor(actor: Actor): string {
  return SLACK_USER.test(actor.userId) ? mentionUser(actor.userId) : `*${escapeMrkdwn(actor.name ?? actor.userId)}*`;
}
const SLACK_USER = /^[UWB][A-Z0-9]+$/;
export const mentionChannel = (channelId: string): string => `<#${channelId}>`;

/** Slack renders this in each reader's own time zone; the fallback is shown where it cannot. */
export function slackDate(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${iso.slice(0, 16).replace('T', ' ')} UTC>`;
}

/**
 * Joins whole lines while they fit in `max` characters, then says how many were left out. Cutting a line in
 * the middle could split a `<@U…>` or `<!date…>` sequence and show the reader raw markup.
 */
export function joinWithin(lines: string[], max: number, separator = '\n'): string {
  const kept: string[] = [];
  let length = 0;
  for (const [index, line] of lines.entries()) {
    const more = `${separator}…and ${lines.length - index} more`;
    if (length + separator.length + line.length + more.length > max) return kept.join(separator) + more;
    kept.push(line);
    length += line.length + separator.length;
  }
  return kept.join(separator);
}

/**
 * Slack markup made readable as plain text: `<@U1>` → `@U1` (or `@` and the name `nameOf` knows), `<url|label>` →
 * `label`, entities decoded.
 */
export function plainText(text: string, nameOf: (userId: string) => string | undefined = () => undefined): string {
  return text
    .replace(/<([@#!])([^|>]+)(?:\|([^>]+))?>/g, (_, sigil: string, id: string, label?: string) => `${sigil === '!' ? '@' : sigil}${label ?? (sigil === '@' ? nameOf(id) : undefined) ?? id}`)
    .replace(/<([^|>]+)\|([^>]+)>/g, '$2')
    .replace(/<([^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
