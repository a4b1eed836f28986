/**
 * What the Elasticsearch client's errors mean, for every part of caseops that talks to a cluster (the case
 * store and the evidence features): whether the cluster, not our request, is the problem, the error type and
 * the reasons Elasticsearch gave. Shared so both report an outage alike, and kept below both so neither imports
 * the other.
 */
import { errors } from '@elastic/elasticsearch';

/** Error types that say the cluster (not our request) is the problem, whatever HTTP status carries them. */
const UNAVAILABLE_TYPES = new Set([
  'cluster_block_exception',
  'es_rejected_execution_exception',
  'circuit_breaking_exception',
  'unavailable_shards_exception',
  'no_shard_available_action_exception',
  'node_not_connected_exception',
  'master_not_discovered_exception',
  'index_not_found_exception',
  'security_exception',
]);

/** Client errors raised before any response arrived: nothing to classify, the cluster is unreachable. */
const TRANSPORT_FAILURES = [errors.ConnectionError, errors.TimeoutError, errors.NoLivingConnectionsError, errors.ProductNotSupportedError];

/** Whether an HTTP status and error type (of a response or of one bulk item) mean the cluster is unavailable. */
export function isUnavailableStatus(status: number | undefined, type: string | undefined): boolean {
  if (type !== undefined && UNAVAILABLE_TYPES.has(type)) return true;
  return status !== undefined && (status >= 500 || status === 429 || status === 401 || status === 403);
}

/**
 * Why the cluster cannot serve us (no answer, 5xx, 429, rejected or blocked), for a log line; undefined when
 * the error is about something else. Note that it counts `index_not_found_exception` and `security_exception`
 * as outages; callers for whom those mean something else check for them first.
 */
export function unavailability(error: unknown): string | undefined {
  if (TRANSPORT_FAILURES.some((kind) => error instanceof kind)) {
    return `Elasticsearch unreachable: ${(error as Error).name}: ${(error as Error).message}`;
  }
  if (error instanceof errors.ResponseError) {
    const type = errorType(error);
    if (isUnavailableStatus(error.statusCode, type)) return `Elasticsearch answered ${error.statusCode ?? '?'} ${type ?? ''}: ${error.message}`.trim();
  }
  return undefined;
}

/** The error's `type` as Elasticsearch names it (`index_not_found_exception`, …), when it is a response error. */
export function errorType(error: unknown): string | undefined {
  if (!(error instanceof errors.ResponseError)) return undefined;
  const body: unknown = error.meta.body;
  const type = (body as { error?: { type?: unknown } } | undefined)?.error?.type;
  return typeof type === 'string' ? type : undefined;
}

/** Whether the cluster, not the request, is the problem (see `unavailability`). */
export function isUnreachable(error: unknown): boolean {
  return unavailability(error) !== undefined;
}

/**
 * Every `reason` in an Elasticsearch error body, outermost first: the top error, its root causes, the failed
 * shards' reasons and each `caused_by` chain. The innermost ones are the specific ones users can act on.
 */
export function errorReasons(error: unknown): string[] {
  if (!(error instanceof errors.ResponseError)) return [];
  const reasons: string[] = [];
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const { type, reason, root_cause: rootCause, failed_shards: failedShards, caused_by: causedBy } = node as Record<string, unknown>;
    if (typeof reason === 'string') reasons.push(`${typeof type === 'string' ? `${type}: ` : ''}${reason}`);
    else visit(reason);
    for (const list of [rootCause, failedShards]) if (Array.isArray(list)) list.forEach(visit);
    visit(causedBy);
  };
  visit((error.meta.body as { error?: unknown } | undefined)?.error);
  return reasons;
}
