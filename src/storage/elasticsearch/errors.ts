import { errors } from '@elastic/elasticsearch';
import type { estypes } from '@elastic/elasticsearch';
import { StoreUnavailableError } from '../../cases/errors';
import { isUnavailableStatus, unavailability } from '../../elasticsearch/errors';

/**
 * Sorts what the Elasticsearch client throws into the two things the store cares about: a 409 (a conditional
 * write lost a race, which the store's protocol handles) and "the cluster cannot serve us right now", which
 * becomes StoreUnavailableError so a Slack user reads "case storage is unavailable; nothing was changed".
 * Everything else (a 400 from a malformed request, say) is a bug and propagates unchanged.
 */

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

/** The StoreUnavailableError an error means, or the error itself when it is not about availability. */
export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  const reason = unavailability(error);
  return reason === undefined ? error : new StoreUnavailableError(reason);
}

/** The error of one failed bulk item, classified like a failed request. */
export function bulkItemError(item: estypes.BulkResponseItem): Error {
  const reason = `${item.error?.type ?? 'error'}: ${item.error?.reason ?? ''} (${item._index}/${item._id ?? '?'}, status ${item.status})`;
  if (isUnavailableStatus(item.status, item.error?.type)) return new StoreUnavailableError(`Elasticsearch bulk item failed: ${reason}`);
  return new Error(`Elasticsearch bulk item failed: ${reason}`);
}
