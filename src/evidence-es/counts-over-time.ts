/**
 * Counts of matching documents per chart bucket, optionally split by the top values of a field with everything
 * else as `other`: one bounded search (`size: 0`, a timeout, no partial results), whose failures come back as
 * typed errors with a message for the user.
 */
import type { Client, estypes } from '@elastic/elasticsearch';

import type { ChartRange } from '../charts/range';

import { errorReasons, errorType, isUnreachable } from '../elasticsearch/errors';
import { ChartQueryError, EvidenceUnavailableError } from './errors';
import { checkIndexPattern } from './index-patterns';
import { DEFAULT_SPLIT_SIZE, MAX_SPLIT_SIZE } from './split-series';
import { type CountedBucket, countedBuckets, TIME_FIELD, timeGridAggregation } from './time-grid';

const OTHER_SERIES = 'other';
/** Long enough for a month of a busy index on a small cluster; short enough for a Slack user to wait. */
const DEFAULT_SEARCH_TIMEOUT_MS = 10_000;

export interface CountsRequest {
  /** An index pattern; checked by checkIndexPattern. */
  readonly index: string;
  /** What to count (the time range is added here). */
  readonly query: estypes.QueryDslQueryContainer;
  readonly range: ChartRange;
  /** Stack by the top `size` values of `field`, the rest as `other`. */
  readonly split?: { readonly field: string; readonly size?: number };
  /** The name of the one series when there is no split. */
  readonly seriesName: string;
  readonly timeoutMs?: number;
}

export interface CountedSeries {
  readonly key: string;
  readonly buckets: readonly CountedBucket[];
}

export async function countOverTime(client: Client, request: CountsRequest): Promise<CountedSeries[]> {
  const index = checkIndexPattern(request.index);
  const overTime = timeGridAggregation(request.range);
  const splitSize = request.split ? checkSplitSize(request.split.size ?? DEFAULT_SPLIT_SIZE) : 0;
  const timeoutMs = request.timeoutMs ?? DEFAULT_SEARCH_TIMEOUT_MS;
  const aggregations: Record<string, estypes.AggregationsAggregationContainer> = { over_time: overTime };
  if (request.split) {
    aggregations.split = { terms: { field: request.split.field, size: splitSize }, aggs: { over_time: overTime } };
  }

  let response: estypes.SearchResponse;
  try {
    response = await client.search(
      {
        index,
        size: 0,
        track_total_hits: false,
        timeout: `${timeoutMs}ms`,
        allow_partial_search_results: false,
        ignore_unavailable: false,
        allow_no_indices: false,
        expand_wildcards: 'open',
        query: { bool: { filter: [request.query, timeFilter(request.range)] } },
        aggregations,
      },
      // The cluster stops at `timeout`; the client waits a little longer for that answer.
      { requestTimeout: timeoutMs + 5_000 },
    );
  } catch (error) {
    throw chartFailure(error, index);
  }
  if (response.timed_out) {
    throw new ChartQueryError('timeout', `Elasticsearch took longer than ${timeoutMs / 1000} s; chart a shorter range or a narrower query.`);
  }
  return seriesOf(response.aggregations, request);
}

function seriesOf(aggregations: Record<string, estypes.AggregationsAggregate> | undefined, request: CountsRequest): CountedSeries[] {
  const total = countedBuckets(aggregations?.over_time);
  if (!request.split) return [{ key: request.seriesName, buckets: total }];
  const values = ((aggregations?.split as estypes.AggregationsStringTermsAggregate | undefined)?.buckets ?? []) as estypes.AggregationsStringTermsBucket[];
  const top = values.map((value) => ({ key: value.key_as_string ?? String(value.key), buckets: countedBuckets(value.over_time) }));
  const inTop = new Map<number, number>();
  for (const bucket of top.flatMap((series) => series.buckets)) inTop.set(bucket.start, (inTop.get(bucket.start) ?? 0) + bucket.count);
  const other = total.map((bucket) => ({ start: bucket.start, count: bucket.count - (inTop.get(bucket.start) ?? 0) }));
  return other.some((bucket) => bucket.count > 0) ? [...top, { key: OTHER_SERIES, buckets: other }] : top;
}

/** [from, to) of the chart: the grid's first and last bars are exactly the range's. */
function timeFilter(range: ChartRange): estypes.QueryDslQueryContainer {
  return { range: { [TIME_FIELD]: { gte: range.from, lt: range.to, format: 'strict_date_optional_time' } } };
}

function checkSplitSize(size: number): number {
  if (!Number.isInteger(size) || size < 1 || size > MAX_SPLIT_SIZE) {
    throw new ChartQueryError('too-expensive', `Split by at most ${MAX_SPLIT_SIZE} values (the rest are grouped as \`${OTHER_SERIES}\`).`);
  }
  return size;
}

/** What a failed search means for the user; an error that is none of these is a bug and propagates. */
function chartFailure(error: unknown, index: string): unknown {
  const type = errorType(error);
  const reasons = errorReasons(error);
  const all = reasons.join('\n');
  if (type === 'index_not_found_exception') return new ChartQueryError('no-such-index', `No index matches \`${index}\`.`, error);
  if (type === 'security_exception') return new ChartQueryError('forbidden', `caseops is not allowed to read \`${index}\`.`, error);
  if (isUnreachable(error)) return new EvidenceUnavailableError('charting from Elasticsearch', error);
  if (/not allowed as first character/.test(all)) {
    return new ChartQueryError('too-expensive', 'A leading wildcard (`*abc`) makes Elasticsearch read every term of a field; put some text before the `*` or `?`.', error);
  }
  if (/too_complex_to_determinize|too_many_(nested_)?clauses|maxClauseCount|too_many_buckets/.test(all)) {
    return new ChartQueryError('too-expensive', 'That query expands to too much work for Elasticsearch; make wildcards and regular expressions more specific.', error);
  }
  if (/time exceeded|timed out|search_timeout/i.test(all)) {
    return new ChartQueryError('timeout', 'Elasticsearch ran out of time; chart a shorter range or a narrower query.', error);
  }
  if (/fielddata|Text fields are not optimised/i.test(all)) {
    return new ChartQueryError('bad-query', 'The split field is a text field; split by a keyword field (e.g. `user.name`, `host.name`).', error);
  }
  if (type === 'search_phase_execution_exception' || type === 'query_shard_exception' || type === 'parse_exception' || type === 'illegal_argument_exception') {
    return new ChartQueryError('bad-query', `That query is not valid: ${shortReason(reasons)}`, error);
  }
  return error;
}

/** The innermost reason, first line, clipped: what went wrong without the parser's list of expected tokens. */
function shortReason(reasons: readonly string[]): string {
  const specific = reasons.filter((reason) => !/all shards failed|Failed to parse query/.test(reason));
  const reason = (specific.at(-1) ?? reasons.at(-1) ?? 'Elasticsearch could not run it').split('\n')[0] ?? '';
  const text = reason.replace(/^[a-z_]+: /, '');
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
