/**
 * What the Elasticsearch evidence features raise. Every error carries a short message fit to show a Slack user
 * as it is (never a stack trace or a raw Elasticsearch reason dump); the original error stays on `cause` for logs.
 */
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

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
