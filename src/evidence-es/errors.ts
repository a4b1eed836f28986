/**
 * What the Elasticsearch evidence features raise. Every error carries a short message fit to show a Slack user
 * as it is (never a stack trace or a raw Elasticsearch reason dump); the original error stays on `cause` for logs.
 */
import { errors } from '@elastic/elasticsearch';

import { StoreUnavailableError } from '../cases/errors';
import { toStoreError } from '../storage/elasticsearch/errors';

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
 * Whether an error says the cluster, not the request, is the problem: the case store's classification (no answer,
 * 5xx, 429, rejected or blocked), shared so both report an outage alike. Note that it counts
 * `index_not_found_exception` and `security_exception` as outages; callers for whom those mean something else
 * check for them first.
 */
export function isUnreachable(error: unknown): boolean {
  return toStoreError(error) instanceof StoreUnavailableError;
}

/** The error's `type` as Elasticsearch names it (`index_not_found_exception`, …), when it is a response error. */
export function errorType(error: unknown): string | undefined {
  if (!(error instanceof errors.ResponseError)) return undefined;
  const body: unknown = error.meta.body;
  const type = (body as { error?: { type?: unknown } } | undefined)?.error?.type;
  return typeof type === 'string' ? type : undefined;
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
