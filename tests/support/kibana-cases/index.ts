/**
 * A stand-in for Kibana's Cases HTTP API, for tests: a real HTTP server that answers as Kibana does, checked
 * against Kibana's own OpenAPI document (contract.ts, with the corrections in spec-corrections.ts).
 *
 * The app under test points its Kibana URL at `url`. Every request is recorded (`requests`); one that breaks
 * the contract is refused 400 and kept in `violations`, and an answer of the stand-in's that breaks it is kept
 * in `responseViolations`: tests of the app assert both stay empty. Faults can be injected per request.
 *
 * This file is the server and the test-facing API; cases-api.ts is Kibana's request pipeline, and each
 * area of the API has its own file (cases, find-cases, comments, user-actions) over store.ts.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Credentials } from './auth';
import { type ApiRequest, CasesApi } from './cases-api';
import { CasesContract } from './contract';
import { Faults } from './faults';
import { KIBANA_USER_HEADER, KibanaUserClient } from './kibana-user-client';
import { encodeCase } from './operation-context';
import { CasesIndex, type SpaceCases } from './store';
import type {
  CaseComment,
  FailOptions,
  KibanaCase,
  RecordedRequest,
  RequestMatch,
  RequestViolation,
  ResponseViolation,
  StandInOptions,
  StandInUser,
  UserAction,
} from './types';

export type * from './types';
export { KibanaRequestError, KibanaUserClient } from './kibana-user-client';
export type { CaseChanges, FindCasesAnswer, NewCase } from './kibana-user-client';

export class KibanaStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly violations: RequestViolation[];
  readonly responseViolations: ResponseViolation[];

  private readonly credentials: Credentials;
  private readonly index: CasesIndex;
  private readonly api: CasesApi;
  private readonly faults = new Faults();
  private baseUrl = '';

  private constructor(
    private readonly options: StandInOptions,
    contract: CasesContract,
    private readonly server: http.Server,
  ) {
    this.credentials = new Credentials(options.users);
    this.index = new CasesIndex(options.spaces ?? []);
    this.api = new CasesApi(contract, this.credentials, this.index);
    this.violations = this.api.violations;
    this.responseViolations = this.api.responseViolations;
  }

  static async start(options: StandInOptions): Promise<KibanaStandIn> {
    const server = http.createServer();
    const kibana = new KibanaStandIn(options, await CasesContract.load(), server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void kibana.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    kibana.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return kibana;
  }

  /** Kibana's base URL, e.g. `http://127.0.0.1:PORT`. */
  get url(): string {
    return this.baseUrl;
  }

  /** Closes every connection, hanging ones included. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  // -------------------------------------------------------------------------------------------------------------
  // What Kibana holds, in the API's shape
  // -------------------------------------------------------------------------------------------------------------

  /** The space's cases, oldest first, as `GET /api/cases/{id}` returns them (comments included). */
  cases(space = 'default'): KibanaCase[] {
    return [...this.spaceCases(space).cases.keys()].map((id) => this.getCase(id, space) as KibanaCase);
  }

  getCase(id: string, space = 'default'): KibanaCase | undefined {
    const cases = this.spaceCases(space);
    const stored = cases.cases.get(id);
    return stored && encodeCase(cases, stored, true);
  }

  /** A case's comments and alerts, oldest first. */
  comments(caseId: string, space = 'default'): CaseComment[] {
    return structuredClone(this.spaceCases(space).commentsOf(caseId));
  }

  /** A case's user actions, oldest first. */
  userActions(caseId: string, space = 'default'): UserAction[] {
    return structuredClone(this.spaceCases(space).userActionsOf(caseId));
  }

  /** The cases deleted in a space, as `delete_case` user actions (Kibana keeps them only in its audit log). */
  caseDeletions(space = 'default'): UserAction[] {
    return structuredClone(this.spaceCases(space).deletions);
  }

  /**
   * A client acting in Kibana as the user of `credential` (an API key, or the username of a Basic user).
   * Its requests are recorded too (`byKibanaUser`); faults other than `down()` leave them alone.
   */
  as(credential: string, options: { space?: string } = {}): KibanaUserClient {
    const user = this.userOf(credential);
    const authorization =
      user.apiKey === credential ? `ApiKey ${credential}` : `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
    const prefix = options.space && options.space !== 'default' ? `/s/${options.space}` : '';
    return new KibanaUserClient(`${this.baseUrl}${prefix}/api/cases`, authorization);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Faults
  // -------------------------------------------------------------------------------------------------------------

  /** The next `times` (default 1) matching requests are answered `status` instead of being performed. */
  fail(match: RequestMatch, options: FailOptions): void {
    this.faults.fail(match, options);
  }

  /** The next `times` matching requests are never answered: the client can only time out. */
  hang(match: RequestMatch, options: { times?: number } = {}): void {
    this.faults.add(match, 'hang', options.times);
  }

  /** The next `times` matching requests are performed, then their connection is destroyed unanswered. */
  loseAnswer(match: RequestMatch, options: { times?: number } = {}): void {
    this.faults.add(match, 'loseAnswer', options.times);
  }

  /** Kibana is down behind its load balancer: every request is answered 503 and performs nothing (faults.ts). */
  down(): void {
    this.faults.setOutage(true);
  }

  up(): void {
    this.faults.setOutage(false);
  }

  /** The credential (API key, or Basic username) stops authenticating: 401 from now on. */
  revoke(credential: string): void {
    this.userOf(credential);
    this.credentials.revoke(credential);
  }

  /** The credential's user loses the Cases privilege: 403 from now on. */
  denyPrivileges(credential: string): void {
    this.userOf(credential);
    this.credentials.denyPrivileges(credential);
  }

  // -------------------------------------------------------------------------------------------------------------
  // HTTP
  // -------------------------------------------------------------------------------------------------------------

  private spaceCases(space: string): SpaceCases {
    const found = this.index.space(space);
    if (!found) throw new Error(`KibanaStandIn: no space ${space} (spaces: default, ${(this.options.spaces ?? []).join(', ')})`);
    return found;
  }

  private userOf(credential: string): StandInUser {
    const user = this.options.users.find((u) => u.apiKey === credential || (u.password !== undefined && u.username === credential));
    if (!user) throw new Error(`KibanaStandIn: no user with credential ${credential}`);
    return user;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const url = new URL(req.url ?? '/', this.baseUrl);
    const [, space = 'default', path = url.pathname] = /^\/s\/([^/]+)(\/.*)$/.exec(url.pathname) ?? [];
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      query[key] = values.length === 1 ? (values[0] as string) : values;
    }
    const rawBody = await readBody(req);
    const method = req.method ?? 'GET';
    const byKibanaUser = req.headers[KIBANA_USER_HEADER] !== undefined;
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      space,
      query,
      body: parseForRecord(rawBody),
      status: undefined,
      user: undefined,
      operationId: undefined,
      fault: undefined,
      byKibanaUser,
      at,
    };
    this.requests.push(record);
    const request: ApiRequest = { method, path, space, query, headers: req.headers, rawBody };
    const fault = this.faults.take({ method, path, space }, byKibanaUser);
    record.fault = fault?.kind;
    if (fault?.kind === 'hang') return; // the connection stays open until the client gives up or stop()
    if (fault?.kind === 'fail' || fault?.kind === 'down') {
      record.operationId = this.api.checkInjected(request, fault.reply);
      record.status = fault.reply.status;
      send(res, fault.reply.status, fault.reply.body, fault.reply.headers);
      return;
    }
    const reply = this.api.answer(request);
    record.user = reply.user;
    record.operationId = reply.operationId;
    if (fault?.kind === 'loseAnswer') {
      res.destroy();
      return;
    }
    record.status = reply.status;
    send(res, reply.status, reply.body, {});
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseForRecord(rawBody: string): unknown {
  if (rawBody === '') return undefined;
  try {
    return JSON.parse(rawBody) as unknown;
  } catch {
    return rawBody;
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  if (res.destroyed) return; // the client gave up first
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}
