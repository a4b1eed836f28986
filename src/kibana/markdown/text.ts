/** Small markdown helpers shared by the comment renderings. */

/** Link text with the characters that would end or confuse it escaped. */
export function escapeLinkText(text: string): string {
  return text.replace(/[\\[\]]/g, (character) => `\\${character}`);
}

/** A fenced code block whose fence is longer than any backtick run inside, so the content cannot close it. */
export function fencedBlock(content: string, language: string): string {
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${content}\n${fence}`;
}

/**
 * Every line prefixed with `> `, blank lines with a bare `>`, so the block stays one quote. Line by line with
 * indexOf: splitting into an array, mapping and joining it took several times as long (an export quotes every
 * attached Slack message).
 */
export function blockQuote(text: string): string {
  let quoted = '';
  for (let start = 0; ; ) {
    const end = text.indexOf('\n', start);
    const line = end < 0 ? text.slice(start) : text.slice(start, end);
    quoted += line ? `> ${line}` : '>';
    if (end < 0) return quoted;
    quoted += '\n';
    start = end + 1;
  }
}
