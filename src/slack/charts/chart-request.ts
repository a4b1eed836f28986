import { type ChartRange, parseRange } from '../../charts/range';
import type { EventSplit } from '../../charts/case-sources';
import type { QueryChartSpec } from '../../evidence-es/query-chart-source';
import { readQueryChartWords } from '../../evidence-es/query-chart-words';

/** What `/case chart <ref> …` and the Chart modal can draw for one case. */
export type CaseChartKind = 'activity' | 'events';
export const CASE_CHART_KINDS: readonly CaseChartKind[] = ['activity', 'events'];

interface RequestBase {
  range: ChartRange;
  /** Things to tell the user, such as a coarsened bucket. */
  notes: string[];
}

/** A chart of the case's own data, or of an Elasticsearch query (`query "…" [index …] [split field]`). */
export type CaseChartRequest =
  | (RequestBase & { kind: CaseChartKind; split: EventSplit })
  | (RequestBase & { kind: 'query'; query: QueryChartSpec; title?: string; noun?: string })
  /** Security alerts over time by severity, for the hosts and rules of the case's attached alerts. */
  | (RequestBase & { kind: 'alerts' });

export type ChartRequestResult = { ok: true; request: CaseChartRequest } | { ok: false; error: string };

/**
 * Reads `[what] [last 24h | from <iso> to <iso>] [by <bucket>] [split channel|author]`, resolving the range
 * to absolute times now, so the chart stored with the case never changes afterwards.
 */
export function parseCaseChartRequest(words: readonly string[], now: Date, timeZone: string): ChartRequestResult {
  if (words[0]?.toLowerCase() === 'query') return parseQueryChartRequest(words, now, timeZone);
  if (words[0]?.toLowerCase() === 'alerts') {
    const range = parseRange(words.slice(1), { now, timeZone });
    if (!range.ok) return { ok: false, error: range.error.message };
    if (range.otherWords.length) return { ok: false, error: 'An alerts chart takes a range and a bucket only, e.g. `/case chart 42 alerts last 7d by 6h`.' };
    return { ok: true, request: { kind: 'alerts', range: range.range, notes: [...range.notes] } };
  }
  const range = parseRange(words, { now, timeZone });
  if (!range.ok) return { ok: false, error: range.error.message };
  let kind: CaseChartKind = 'activity';
  let split: EventSplit = 'channel';
  const rest = [...range.otherWords];
  for (let index = 0; index < rest.length; index += 1) {
    const word = rest[index]!.toLowerCase();
    if ((CASE_CHART_KINDS as readonly string[]).includes(word)) {
      kind = word as CaseChartKind;
    } else if (word === 'split' && (rest[index + 1] === 'channel' || rest[index + 1] === 'author')) {
      split = rest[index + 1] as EventSplit;
      index += 1;
    } else {
      return {
        ok: false,
        error: `I can't chart \`${rest[index]!.slice(0, 40).replace(/`/g, "'")}\`. Charts of a case: \`activity\` (everything attached, by kind) or \`events\` (attached messages, \`split channel\` or \`split author\`), e.g. \`/case chart 42 events last 7d by 6h\`.`,
      };
    }
  }
  return { ok: true, request: { kind, split, range: range.range, notes: [...range.notes] } };
}

function parseQueryChartRequest(words: readonly string[], now: Date, timeZone: string): ChartRequestResult {
  const read = readQueryChartWords(words);
  if (!read.ok) return { ok: false, error: read.error };
  const range = parseRange(read.otherWords, { now, timeZone });
  if (!range.ok) return { ok: false, error: range.error.message };
  const [extra] = range.otherWords;
  if (extra !== undefined) return { ok: false, error: `I don't understand \`${extra.slice(0, 40).replace(/`/g, "'")}\` in a query chart.` };
  return { ok: true, request: { kind: 'query', query: read.spec, range: range.range, notes: [...range.notes] } };
}
