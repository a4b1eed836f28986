import type { KibanaCredential } from '../config';
import type { KibanaCase, KibanaComment, KibanaFoundCases, KibanaUserActions } from './kibana-shapes';

/**
 * Kibana's Cases HTTP API (the OpenAPI document in Kibana's cases plugin, docs/openapi/bundled.yaml), as much of it
 * as live sync uses. Every route is space-prefixed (`/s/<space>`) outside the default space; writes carry the
 * `kbn-xsrf` header Kibana requires. A failure is a KibanaRequestError: Kibana's status and message, or no answer.
 */
export interface KibanaClientOptions {
  /** KIBANA_URL, a base path included. */
  url: string;
  space?: string;
  credential: KibanaCredential;
  /** A request with no answer after this long is abandoned (it may still have been done: see push.ts). */
  timeoutMs?: number;
  /** Told of each 401/403: the credential is for an admin to fix (credential-alarm.ts). */
  onCredentialRefused?: (error: KibanaRequestError) => Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** A request Kibana refused, or that got no answer (`status` null: refused connection, reset, timeout). */
export class KibanaRequestError extends Error {
  constructor(
    readonly status: number | null,
    /** Kibana's own message, or what happened to the connection. */
    readonly detail: string,
    /** Whether the request may have been done all the same (the answer was lost, not refused). */
    readonly mayHaveLanded: boolean,
    /** From a 429's Retry-After. */
    readonly retryAfterMs?: number,
  ) {
    super(status === null ? `Kibana did not answer (${detail})` : `Kibana answered ${status}: ${detail}`);
    this.name = 'KibanaRequestError';
  }
}

type Query = Record<string, string | number | readonly string[] | undefined>;

export class KibanaCasesClient {
  private readonly base: string;
  private readonly authorization: string;

  constructor(private readonly options: KibanaClientOptions) {
    const root = options.url.replace(/\/+$/, '');
    this.base = options.space && options.space !== 'default' ? `${root}/s/${options.space}` : root;
    const { credential } = options;
    this.authorization = 'apiKey' in credential ? `ApiKey ${credential.apiKey}` : `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
  }

  createCase(body: Record<string, unknown>): Promise<KibanaCase> {
    return this.request('POST', '/api/cases', { body });
  }

  getCase(caseId: string): Promise<KibanaCase> {
    return this.request('GET', `/api/cases/${encodeURIComponent(caseId)}`);
  }

  /** PATCH /api/cases for one case: `version` must be the case's current one, or Kibana answers 409. */
  async updateCase(update: { id: string; version: string } & Record<string, unknown>): Promise<KibanaCase> {
    const [updated] = await this.request<KibanaCase[]>('PATCH', '/api/cases', { body: { cases: [update] } });
    return updated!;
  }

  addComment(caseId: string, body: Record<string, unknown>): Promise<KibanaCase> {
    return this.request('POST', `/api/cases/${encodeURIComponent(caseId)}/comments`, { body });
  }

  findCases(query: Query): Promise<KibanaFoundCases> {
    return this.request('GET', '/api/cases/_find', { query });
  }

  findComments(caseId: string, query: Query): Promise<{ comments: KibanaComment[]; total: number }> {
    return this.request('GET', `/api/cases/${encodeURIComponent(caseId)}/comments/_find`, { query });
  }

  findUserActions(caseId: string, query: Query): Promise<KibanaUserActions> {
    return this.request('GET', `/api/cases/${encodeURIComponent(caseId)}/user_actions/_find`, { query });
  }

  private async request<T>(method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
    const url = new URL(`${this.base}${path}`);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
    }
    const headers: Record<string, string> = { authorization: this.authorization, accept: 'application/json' };
    if (method !== 'GET') Object.assign(headers, { 'kbn-xsrf': 'caseops', 'content-type': 'application/json' });
    let answer: Response;
    try {
      answer = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      throw noAnswer(error, method);
    }
    const text = await answer.text().catch((error: unknown) => {
      throw noAnswer(error, method);
    });
    if (!answer.ok) {
      const error = refusal(answer, text);
      if (error.status === 401 || error.status === 403) await this.options.onCredentialRefused?.(error).catch(() => undefined);
      throw error;
    }
    return JSON.parse(text) as T;
  }
}

/** A connection refused never reached Kibana; a reset or a timeout may have come after Kibana did the work. */
function noAnswer(error: unknown, method: string): KibanaRequestError {
  const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
  const refused = cause === 'ECONNREFUSED' || cause === 'ENOTFOUND';
  return new KibanaRequestError(null, cause === 'TimeoutError' ? 'timed out' : String(cause), !refused && method !== 'GET');
}

function refusal(answer: Response, text: string): KibanaRequestError {
  let detail = text.slice(0, 300);
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') detail = body.message;
  } catch {
    // not JSON (a proxy's error page): the start of the text says enough
  }
  const retryAfter = Number(answer.headers.get('retry-after'));
  // A gateway's 502/504 may come after Kibana did the work; Kibana's own 500 too (it failed after writing, say).
  const mayHaveLanded = answer.status === 500 || answer.status === 502 || answer.status === 504;
  return new KibanaRequestError(answer.status, detail, mayHaveLanded, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
}
