/**
 * What the Elasticsearch evidence features raise. Every error carries a short message fit to show a Slack user
 * as it is (never a stack trace or a raw Elasticsearch reason dump); the original error stays on `cause` for logs.
 */
import { errors } from '@elastic/elasticsearch';

import { StoreUnavailableError } from '../cases/errors';
import { unavailability } from '../elasticsearch/errors';

export class EvidenceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The cluster could not be asked (unreachable, overloaded, refusing us); `feature` says what could not be done. */
export class EvidenceUnavailableError extends EvidenceError {
  constructor(
    readonly feature: string,
    cause: unknown,
  ) {
    super(`${capitalise(feature)} unavailable: Elasticsearch cannot be reached right now. Please try again shortly.`, { cause });
  }
}

export type ChartQueryErrorCode =
  | 'bad-query'
  | 'too-expensive'
  | 'bad-index'
  | 'no-such-index'
  | 'too-many-buckets'
  | 'timeout'
  | 'forbidden';

/** An Elasticsearch-sourced chart cannot be drawn as asked; the message says what to change. */
export class ChartQueryError extends EvidenceError {
  constructor(
    readonly code: ChartQueryErrorCode,
    message: string,
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}

/**
 * Whether an error says the cluster, not the request, is the problem, classified as the case store does (see
 * `unavailability` for what counts, and for the error types callers may need to check first).
 */
export function isUnreachable(error: unknown): boolean {
  return error instanceof StoreUnavailableError || unavailability(error) !== undefined;
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

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
