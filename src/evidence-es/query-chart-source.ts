/**
 * `/case chart <ref> query "<Lucene query>" [index <pattern>] [range] [by <bucket>] [split <field>]`: matching
 * documents over time from any index the user may chart, as a ChartDataSource for the chart pipeline.
 */
import type { Client } from '@elastic/elasticsearch';

import type { ChartDataSource } from '../charts/pipeline';

import { countedTimePoints } from './counted-time-points';
import { countOverTime } from './counts-over-time';
import { ChartQueryError } from './errors';
import type { IndexAllowList } from './index-patterns';

/** Elastic Security's default data view covers `logs-*`: where a SOC's events usually are. */
export const DEFAULT_QUERY_INDEX = 'logs-*';

/** What an Elasticsearch-sourced chart counts; stored with the chart so it can be drawn (and opened in Kibana) again. */
export interface QueryChartSpec {
  /** Lucene query syntax, as Kibana's Lucene mode and `query_string` read it. */
  readonly query: string;
  readonly index: string;
  readonly split?: { readonly field: string; readonly size?: number };
}

export interface QueryChartOptions {
  /** The indices users may chart; a spec outside it is refused before the cluster is asked anything. */
  readonly allowedIndices: IndexAllowList;
  readonly timeoutMs?: number;
}

export function queryChartSource(client: Client, spec: QueryChartSpec, options: QueryChartOptions): ChartDataSource {
  const query = spec.query.trim();
  if (query === '') throw new ChartQueryError('bad-query', 'Give a query to chart, e.g. `query "event.action:logon-failed"`.');
  if (hasRegularExpression(query)) {
    throw new ChartQueryError('too-expensive', 'Regular expressions (`/…/`) can make Elasticsearch read every term of a field: use words or `abc*`. (Write `\\/` for a literal slash.)');
  }
  // Said when the chart is asked for, not after the user has waited for it.
  const index = options.allowedIndices.check(spec.index);
  return {
    async timePoints(chart) {
      const series = await countOverTime(client, {
        index,
        // Leading wildcards make Elasticsearch read every term of a field: refused, with a message that says so.
        query: { query_string: { query, allow_leading_wildcard: false, time_zone: chart.range.timeZone } },
        range: chart.range,
        split: spec.split,
        seriesName: chart.noun ?? 'matches',
        timeoutMs: options.timeoutMs,
      });
      return countedTimePoints(series);
    },
    async severityCounts() {
      // A query chart counts over time; it has no doughnut form.
      return {};
    },
  };
}

/**
 * Whether Lucene query syntax holds a regular expression: an unescaped `/` outside a quoted phrase, which is
 * how `query_string` starts one (it has no switch to turn them off).
 */
export function hasRegularExpression(query: string): boolean {
  let quoted = false;
  for (let at = 0; at < query.length; at += 1) {
    const character = query[at];
    if (character === '\\') at += 1;
    else if (character === '"') quoted = !quoted;
    else if (character === '/' && !quoted) return true;
  }
  return false;
}
