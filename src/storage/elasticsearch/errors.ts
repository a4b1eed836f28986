import { errors } from '@elastic/elasticsearch';
import type { estypes } from '@elastic/elasticsearch';
import { StoreUnavailableError } from '../../cases/errors';

/**
 * Sorts what the Elasticsearch client throws into the two things the store cares about: a 409 (a conditional
 * write lost a race, which the store's protocol handles) and "the cluster cannot serve us right now", which
 * becomes StoreUnavailableError so a Slack user reads "case storage is unavailable; nothing was changed".
 * Everything else (a 400 from a malformed request, say) is a bug and propagates unchanged.
 */

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

export function isConflict(error: unknown): boolean {
  return error instanceof errors.ResponseError && error.statusCode === 409;
}

/**
 * A 409 the cluster gave to the first and only attempt of a request: a race lost to someone else. After a retry
 * (the client resends when a connection fails, maybe after the write had landed) it may be our own write.
 */
export function isFirstAttemptConflict(error: unknown): boolean {
  return isConflict(error) && (error as InstanceType<typeof errors.ResponseError>).meta.meta.attempts === 0;
}

/** Whether an HTTP status and error type (of a response or of one bulk item) mean the cluster is unavailable. */
export function isUnavailableStatus(status: number | undefined, type: string | undefined): boolean {
  if (type !== undefined && UNAVAILABLE_TYPES.has(type)) return true;
  return status !== undefined && (status >= 500 || status === 429 || status === 401 || status === 403);
}

/** The StoreUnavailableError an error means, or the error itself when it is not about availability. */
export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  if (TRANSPORT_FAILURES.some((kind) => error instanceof kind)) {
    return new StoreUnavailableError(`Elasticsearch unreachable: ${(error as Error).name}: ${(error as Error).message}`);
  }
  if (error instanceof errors.ResponseError) {
    const type = responseErrorType(error);
    if (isUnavailableStatus(error.statusCode, type)) {
      return new StoreUnavailableError(`Elasticsearch answered ${error.statusCode ?? '?'} ${type ?? ''}: ${error.message}`.trim());
    }
  }
  return error;
}

/** The error of one failed bulk item, classified like a failed request. */
export function bulkItemError(item: estypes.BulkResponseItem): Error {
  const reason = `${item.error?.type ?? 'error'}: ${item.error?.reason ?? ''} (${item._index}/${item._id ?? '?'}, status ${item.status})`;
  if (isUnavailableStatus(item.status, item.error?.type)) return new StoreUnavailableError(`Elasticsearch bulk item failed: ${reason}`);
  return new Error(`Elasticsearch bulk item failed: ${reason}`);
}

function responseErrorType(error: InstanceType<typeof errors.ResponseError>): string | undefined {
  const body: unknown = error.meta.body;
  if (typeof body !== 'object' || body === null) return undefined;
  const cause = (body as { error?: unknown }).error;
  if (typeof cause !== 'object' || cause === null) return undefined;
  const type = (cause as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}
