/**
 * Reads the Elasticsearch part of `/case chart <ref> query "<Lucene query>" [index <pattern>] [split <field>]`
 * from the command's words, leaving the range words (`last 24h`, `from … to …`, `by 1h`) for parseRange.
 *
 * The command arrives split on whitespace, so a quoted query spans words. It may be quoted with straight or
 * curly double quotes (phones type “ ”) or with backticks (Slack's code format, handy when the query itself holds
 * a quoted phrase); it ends at the first word that ends with the matching closing quote.
 */
import { checkIndexPattern } from './index-patterns';
import { DEFAULT_QUERY_INDEX, type QueryChartSpec } from './query-chart-source';
import { ChartQueryError } from './errors';

/** A query longer than this was pasted by mistake, or is not one a phone user could fix. */
export const MAX_QUERY_LENGTH = 1000;

export type QueryChartWords =
  | { readonly ok: true; readonly spec: QueryChartSpec; readonly otherWords: readonly string[] }
  | { readonly ok: false; readonly error: string };

const CLOSING_QUOTE: Readonly<Record<string, string>> = { '"': '"”', '“': '"”', '`': '`' };
/** ECS-style dotted field names; Elasticsearch allows more, but a split field typed in chat is one of these. */
const FIELD_NAME = /^[A-Za-z0-9_@][A-Za-z0-9_@.-]{0,255}$/;
const EXAMPLE = 'e.g. `/case chart 42 query "event.action:logon-failed" index logs-* last 7d by 6h split host.name`';

export function readQueryChartWords(words: readonly string[]): QueryChartWords {
  let query: string | undefined;
  let index = DEFAULT_QUERY_INDEX;
  let split: string | undefined;
  const otherWords: string[] = [];
  for (let at = 0; at < words.length; ) {
    const word = words[at] as string;
    const next = words[at + 1];
    switch (word.toLowerCase()) {
      case 'query': {
        const read = readQuoted(words, at + 1);
        if (!read) return fail(`Expected the query after \`query\`, in quotes, ${EXAMPLE}.`);
        query = read.text;
        at = read.next;
        break;
      }
      case 'index':
        if (next === undefined) return fail(`Expected an index pattern after \`index\`, ${EXAMPLE}.`);
        index = next;
        at += 2;
        break;
      case 'split':
        if (next === undefined || !FIELD_NAME.test(next)) return fail(`Expected a field name after \`split\`, e.g. \`split host.name\`.`);
        split = next;
        at += 2;
        break;
      default:
        otherWords.push(word);
        at += 1;
    }
  }
  if (query === undefined || query.trim() === '') return fail(`Give the query to chart, ${EXAMPLE}.`);
  if (query.length > MAX_QUERY_LENGTH) return fail(`Queries are at most ${MAX_QUERY_LENGTH} characters.`);
  try {
    index = checkIndexPattern(index);
  } catch (error) {
    if (error instanceof ChartQueryError) return fail(error.message);
    throw error;
  }
  return { ok: true, spec: split === undefined ? { query, index } : { query, index, split: { field: split } }, otherWords };
}

/** The quoted text starting at words[start] (or the one bare word there) and the index after it. */
function readQuoted(words: readonly string[], start: number): { text: string; next: number } | undefined {
  const first = words[start];
  if (first === undefined) return undefined;
  const closers = CLOSING_QUOTE[first.charAt(0)];
  if (closers === undefined) return { text: first, next: start + 1 };
  const taken: string[] = [first.slice(1)];
  for (let at = start; at < words.length; at += 1) {
    if (at > start) taken.push(words[at] as string);
    const last = taken[taken.length - 1] as string;
    if (last.length > 0 && closers.includes(last.charAt(last.length - 1))) {
      taken[taken.length - 1] = last.slice(0, -1);
      return { text: taken.join(' '), next: at + 1 };
    }
  }
  return undefined;
}

function fail(error: string): QueryChartWords {
  return { ok: false, error };
}
