/**
 * Text helpers for Block Kit: Slack's mrkdwn escaping (only &, < and > — reference/slack-platform.md §5) and
 * truncation that keeps every message inside Slack's limits instead of having it rejected.
 */

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts `text` to at most `max` characters (code points kept whole), marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

export const mentionUser = (userId: string): string => `<@${userId}>`;
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
