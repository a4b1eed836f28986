import type { FailureVerdict } from '../../outbox/dispatcher';
import { slackErrorCode } from '../slack-errors';
import { WorkspaceNotInstalledError } from '../workspace-clients';

/** Slack `error` codes worth another try: Slack's own trouble and limits, not a refusal of the request. */
const TRANSIENT_CODES = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);

interface WebApiError {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
}

/**
 * What a failed Slack call means for an outbox effect. The outbox's Web API client neither retries nor waits on
 * 429s itself (the dispatcher does, durably), so a rate limit arrives here with Slack's Retry-After.
 */
export function classifySlackFailure(error: unknown): FailureVerdict {
  if (error instanceof WorkspaceNotInstalledError) return { retry: false, reason: error.message };
  const failure = (error ?? {}) as WebApiError;
  switch (failure.code) {
    case 'slack_webapi_rate_limited_error':
      return { retry: true, afterMs: (failure.retryAfter ?? 1) * 1000, reason: 'rate limited by Slack' };
    case 'slack_webapi_request_error':
      // The connection failed or timed out: the request may have reached Slack and done its work.
      return { retry: true, uncertain: true, reason: 'Slack could not be reached' };
    case 'slack_webapi_http_error':
      if (failure.statusCode !== undefined && failure.statusCode < 500 && failure.statusCode !== 408) return { retry: false, reason: `Slack answered HTTP ${failure.statusCode}` };
      // A 503 is Slack turning the request away; another 5xx may come after the work was done.
      return { retry: true, uncertain: failure.statusCode !== 503, reason: `Slack answered HTTP ${failure.statusCode ?? 'error'}` };
  }
  const code = slackErrorCode(error);
  if (code) return TRANSIENT_CODES.has(code) ? { retry: true, reason: code } : { retry: false, reason: code };
  // Our own trouble (the store unreachable, say): worth another try, since the effect is still owed.
  return { retry: true, uncertain: true, reason: error instanceof Error ? error.message : String(error) };
}
