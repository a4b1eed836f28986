import type { FailureVerdict } from '../outbox/dispatcher';
import { KibanaRequestError } from './client';

/** How long a refused credential waits before the next try: an admin has to fix the key, a retry every second is noise. */
const CREDENTIAL_RETRY_MS = 60_000;

/**
 * What a failed push means for the outbox (dispatcher.ts): Kibana down, overloaded or answering 5xx → retried with
 * backoff (after Retry-After on a 429), and looked for first when the answer was lost after Kibana may have done it;
 * a refused credential (401/403) → retried every minute until an admin fixes it, since nothing is wrong with the
 * change itself; any other refusal → given up, with Kibana's words. Undefined for an error that is not Kibana's.
 */
export function classifyKibanaFailure(error: unknown): FailureVerdict | undefined {
  if (!(error instanceof KibanaRequestError)) return undefined;
  const reason = error.status === null ? `Kibana: ${error.detail}` : `Kibana ${error.status}: ${error.detail}`;
  if (error.status === null || error.status >= 500 || error.status === 409) return { retry: true, uncertain: error.mayHaveLanded, reason };
  if (error.status === 429) return { retry: true, afterMs: error.retryAfterMs, reason };
  if (error.status === 401 || error.status === 403) return { retry: true, afterMs: CREDENTIAL_RETRY_MS, reason };
  return { retry: false, reason };
}
