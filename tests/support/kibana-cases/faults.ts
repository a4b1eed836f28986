/**
 * Fault injection: failures queued for matching requests, each used once, and an outage that refuses every
 * request until lifted.
 *
 * An outage answers 503, not a refused connection: Kibana is reached through a load balancer (Elastic
 * Cloud's proxy, or one in front of several Kibana instances), and while no Kibana behind it is healthy the
 * balancer still accepts the connection and answers 503. Kibana itself answers the same status, with this
 * body, while it starts or runs its saved object migrations.
 */
import { errorBody, reasonPhrase } from './errors';
import type { FailOptions, RequestMatch } from './types';

export interface FaultReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** What to do with a request instead of, or besides, answering it normally. */
export type FaultDecision = { kind: 'fail' | 'down'; reply: FaultReply } | { kind: 'hang' | 'loseAnswer' } | undefined;

type QueuedFault = { matches: (request: MatchedRequest) => boolean; remaining: number } & (
  | { kind: 'fail'; reply: FaultReply }
  | { kind: 'hang' | 'loseAnswer' }
);

interface MatchedRequest {
  method: string;
  /** Without the `/s/<space>` prefix. */
  path: string;
  space: string;
}

const OUTAGE_REPLY: FaultReply = { status: 503, headers: {}, body: errorBody(503, 'Kibana server is not ready yet') };

/** Boom's message for a 500; any other status carries its reason phrase as its message. */
const FAILURE_MESSAGES: Record<number, string> = { 500: 'An internal server error occurred.' };

/** `'PATCH /api/cases'` or `'GET /api/cases/*'`: a method (or `*`) and a path where `*` is one segment. */
function matcher(match: RequestMatch): (request: MatchedRequest) => boolean {
  if (typeof match === 'function') return match;
  const [method = '', pattern = ''] = match.trim().split(/\s+/, 2);
  const segments = pattern.split('/').map((segment) => (segment === '*' ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  const path = new RegExp(`^${segments.join('/')}$`);
  return (request) => (method === '*' || method.toUpperCase() === request.method) && path.test(request.path);
}

export class Faults {
  private readonly queue: QueuedFault[] = [];
  private outage = false;

  fail(match: RequestMatch, options: FailOptions): void {
    const { status, retryAfterSeconds } = options;
    const retryAfter = retryAfterSeconds ?? (status === 429 ? 1 : undefined);
    const reply: FaultReply = {
      status,
      headers: retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
      body: errorBody(status, FAILURE_MESSAGES[status] ?? reasonPhrase(status)),
    };
    this.queue.push({ matches: matcher(match), kind: 'fail', remaining: options.times ?? 1, reply });
  }

  add(match: RequestMatch, kind: 'hang' | 'loseAnswer', times = 1): void {
    this.queue.push({ matches: matcher(match), kind, remaining: times });
  }

  setOutage(on: boolean): void {
    this.outage = on;
  }

  /** The fault for this request, using up one of its times; only the outage applies to `onlyOutage` requests. */
  take(request: MatchedRequest, onlyOutage: boolean): FaultDecision {
    if (this.outage) return { kind: 'down', reply: OUTAGE_REPLY };
    if (onlyOutage) return undefined;
    const fault = this.queue.find((queued) => queued.remaining > 0 && queued.matches(request));
    if (!fault) return undefined;
    fault.remaining -= 1;
    return fault.kind === 'fail' ? { kind: 'fail', reply: fault.reply } : { kind: fault.kind };
  }
}
