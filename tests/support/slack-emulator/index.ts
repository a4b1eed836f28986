/**
 * An in-memory Slack for end-to-end tests: a real HTTP server that answers the Web API the way Slack does
 * (wire format, error codes, success shapes), plus the other Slack-hosted URLs an app talks to:
 * `response_url`s, the file upload URL of files.getUploadURLExternal, `url_private` file downloads, and the
 * OAuth v2 authorize page.
 *
 * The app under test points `SLACK_API_URL` at `apiUrl`; everything it does is recorded so tests can
 * assert on it, and faults can be injected per method. Behaviour follows ../shared/reference/slack-platform.md.
 *
 * This file is the server: routing (a Web API call goes to the workspace its token belongs to), argument
 * checking against the method descriptions (method-specs.ts), fault injection (faults.ts) and the test-facing
 * API. The emulator is the handle of its first workspace (emulated-workspace.ts); `addWorkspace` makes more,
 * and `registerOAuthApp` / `approveInstall` install the app into them (oauth.ts). Tokens and what they grant
 * are in tokens.ts; each Slack API area has its own file over the shared workspace.ts.
 */
import http, { IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { SocketModeLink } from '../slack-socket-mode';
import { EmulatorClock } from './clock';
import { EmulatedWorkspace, type EmulatorContext } from './emulated-workspace';
import { Faults } from './faults';
import { type HttpReply, bearerToken, jsonReply, mediaType, parseJsonObject, parseMultipart, readBody, textReply } from './http';
import { type MethodSpec, checkArgs, decodeJsonArgs, loadMethodSpecs } from './method-specs';
import { type Installer, type OAuthAppRegistration, OAuthServer } from './oauth';
import { TokenRegistry } from './tokens';
import type { EmulatorOptions, NewWorkspace, RecordedCall, SlackFault } from './types';
import { type Handlers, type Obj, PlatformError, str } from './web-api';

export { SLACK_FIXTURES_DIR } from './method-specs';
export { EmulatedWorkspace } from './emulated-workspace';
export type { Installer, OAuthAppRegistration } from './oauth';
export type * from './types';

/** The app every workspace has installed (or installs with OAuth): one app id, as in Slack. */
const APP_ID = 'A0CASEOPS';
const PRIMARY_IDENTITY = { teamName: 'CaseOps Test', teamDomain: 'caseops-test', botId: 'B0CASEOPS', appId: APP_ID };

export class SlackEmulator extends EmulatedWorkspace {
  /** Every Web API call, to any workspace, in arrival order. */
  readonly calls: RecordedCall[] = [];
  readonly botToken: string;
  readonly appToken: string | undefined;
  /** Slack's Socket Mode side: the WebSocket the app connects to, and the envelopes sent over it. */
  readonly socketMode: SocketModeLink;

  /** Every workspace by team id, the emulator's own (the first) included. */
  private readonly workspaces = new Map<string, EmulatedWorkspace>();
  /** Methods that take the app-level token (Socket Mode) rather than a workspace's bot token. */
  private readonly appMethods: Handlers;
  private readonly oauth: OAuthServer;
  private installer: Installer | undefined;

  private constructor(
    options: EmulatorOptions,
    private readonly context: EmulatorContext & { setBaseUrl: (url: string) => void },
    private readonly specs: Map<string, MethodSpec>,
    private readonly server: http.Server,
  ) {
    super({ ...PRIMARY_IDENTITY, teamId: options.teamId ?? 'T0001', botUserId: options.botUserId ?? 'U0CASEOPS' }, context);
    this.botToken = options.botToken;
    this.appToken = options.appToken;
    this.workspaces.set(this.teamId, this);
    context.tokens.grant(this.botToken, { teamId: this.teamId, kind: 'bot' });
    if (this.appToken) context.tokens.grant(this.appToken, { teamId: this.teamId, kind: 'app' });
    this.socketMode = new SocketModeLink(server, context.baseUrl, this.appId);
    this.appMethods = { 'apps.connections.open': () => ({ ok: true, url: this.socketMode.openUrl() }) };
    this.oauth = new OAuthServer(context.clock, context.tokens, (teamId) => this.workspaces.get(teamId));
    this.seedWorkspace();
  }

  static async start(options: EmulatorOptions): Promise<SlackEmulator> {
    const server = http.createServer();
    const clock = new EmulatorClock();
    let baseUrl = '';
    const context = {
      clock,
      faults: new Faults(),
      tokens: new TokenRegistry(clock),
      baseUrl: () => baseUrl,
      setBaseUrl: (url: string) => (baseUrl = url),
    };
    const emulator = new SlackEmulator(options, context, loadMethodSpecs(), server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void emulator.route(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    context.setBaseUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return emulator;
  }

  /** Base URL, e.g. `http://127.0.0.1:PORT`. */
  get url(): string {
    return this.context.baseUrl();
  }

  /** What the app uses as `SLACK_API_URL` (`slackApiUrl`). */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  async stop(): Promise<void> {
    await this.socketMode.close();
    this.context.faults.stop();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Workspaces and installs
  // -------------------------------------------------------------------------------------------------------------

  private seedWorkspace(): void {
    this.addUser({ id: 'U0ALICE', name: 'alice', realName: 'Alice Analyst' });
    this.addUser({ id: 'U0BOB', name: 'bob', realName: 'Bob Responder' });
    this.addUser({ id: 'U0CAROL', name: 'carol', realName: 'Carol Lead' });
    this.addChannel({ id: 'C0PUBLIC', name: 'soc', members: ['U0ALICE', 'U0BOB', 'U0CAROL'] });
  }

  /**
   * Another workspace, empty but for the app's bot user (its ids minted like every other id here). The app
   * gets a token for it by an OAuth install (`approveInstall`), or at once with `botToken`.
   */
  addWorkspace(workspace: NewWorkspace): EmulatedWorkspace {
    if (this.workspaces.has(workspace.teamId)) throw new Error(`SlackEmulator: workspace ${workspace.teamId} exists already`);
    const { clock, tokens } = this.context;
    // The workspaces of an Enterprise Grid org share the app's one bot user.
    const orgSibling = workspace.enterpriseId ? [...this.workspaces.values()].find((other) => other.enterpriseId === workspace.enterpriseId) : undefined;
    const added = new EmulatedWorkspace(
      {
        teamId: workspace.teamId,
        teamName: workspace.name ?? `Workspace ${workspace.teamId}`,
        teamDomain: workspace.domain ?? workspace.teamId.toLowerCase(),
        botUserId: orgSibling?.botUserId ?? clock.nextId('U'),
        botId: orgSibling?.botId ?? clock.nextId('B'),
        appId: APP_ID,
        enterpriseId: workspace.enterpriseId,
        enterpriseName: workspace.enterpriseName,
      },
      this.context,
    );
    this.workspaces.set(added.teamId, added);
    if (workspace.botToken) tokens.grant(workspace.botToken, { teamId: added.teamId, kind: 'bot' });
    return added;
  }

  /** The handle of a workspace by team id (the emulator itself for its first). */
  workspace(teamId: string): EmulatedWorkspace {
    const found = this.workspaces.get(teamId);
    if (!found) throw new Error(`SlackEmulator: no workspace ${teamId}; add it with addWorkspace() first`);
    return found;
  }

  /** The app's OAuth credentials, so that oauth.v2.access and the authorize page know it. */
  registerOAuthApp(app: OAuthAppRegistration): void {
    this.oauth.registerApp(app);
  }

  /**
   * A user of `installer.teamId` presses Allow on Slack's authorize page at `authorizeUrl` (the URL the app's
   * install page redirects to). Returns the URL Slack then sends the browser to: the app's redirect URL with
   * `code` and `state`. Throws what Slack's page would refuse (unknown client_id, no scope, no state, a
   * redirect_uri the app did not configure).
   */
  approveInstall(authorizeUrl: string, installer: Installer): string {
    return this.oauth.approve(authorizeUrl, installer);
  }

  /** The user presses Cancel instead: the redirect back with `error=access_denied` and `state`. */
  denyInstall(authorizeUrl: string): string {
    return this.oauth.deny(authorizeUrl);
  }

  /** Who `GET /oauth/v2/authorize` on the emulator acts as: it answers 302 to the approveInstall redirect. */
  signInAs(installer: Installer): void {
    this.installer = installer;
  }

  /**
   * The app is removed from a workspace (a `T…` id) or an org it was installed on org-wide (an `E…` id): every
   * token it had there stops working (`token_revoked`), refresh tokens included. Slack then sends
   * `app_uninstalled` and `tokens_revoked`; tests send them with the driver.
   */
  uninstall(teamOrEnterpriseId: string): void {
    const known = [...this.workspaces.values()].some((w) => w.teamId === teamOrEnterpriseId || w.enterpriseId === teamOrEnterpriseId);
    if (!known) throw new Error(`SlackEmulator: no workspace or org ${teamOrEnterpriseId}`);
    this.context.tokens.revoke(teamOrEnterpriseId);
    this.oauth.revoke(teamOrEnterpriseId);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Time, recordings and fault injection
  // -------------------------------------------------------------------------------------------------------------

  /**
   * Moves the emulator's clock forward, for every workspace: to expire trigger ids (3 s), response URLs
   * (30 min), OAuth codes (10 min) and rotating tokens without waiting.
   */
  advanceTime(ms: number): void {
    this.context.clock.advanceTime(ms);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Clears the recordings of every workspace and pending faults. Messages stay, as in Slack: cards posted earlier can still be edited. */
  reset(): void {
    this.calls.length = 0;
    for (const workspace of this.workspaces.values()) workspace.clearRecordings();
    this.context.faults.clear();
  }

  /** Forgets every message in every workspace, for tests that share one emulator and want empty channels. */
  override forgetMessages(): void {
    for (const workspace of this.workspaces.values()) {
      if (workspace === this) super.forgetMessages();
      else workspace.forgetMessages();
    }
  }

  /** Polls `predicate` until it returns something other than undefined/null/false. */
  async waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value !== undefined && value !== null && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`SlackEmulator.waitFor: condition not met within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Makes the next `times` requests to `method` (or `'response_url'` / `'upload'`) fail, stall or lose their answer. */
  failNext(method: string, fault: SlackFault, times = 1): void {
    this.context.faults.add(method, fault, times);
  }

  /**
   * Slack down (`true`) or back (`false`): while down, every Web API call and every upload and response_url
   * request answers HTTP 503 without being performed (Web API calls are still recorded in `calls`, response_url
   * posts in `responses`).
   * `reset()` lifts it too.
   */
  outage(down: boolean): void {
    this.context.faults.setOutage(down);
  }

  // -------------------------------------------------------------------------------------------------------------
  // HTTP routing
  // -------------------------------------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let reply: HttpReply;
    try {
      reply = await this.dispatch(req, new URL(req.url ?? '/', this.url), await readBody(req));
    } catch (error) {
      reply = textReply(`emulator error: ${error instanceof Error ? error.stack : String(error)}`, 500);
    }
    if (res.destroyed) return; // the client gave up (or stop() closed the socket) while a delay fault ran
    if (reply.dropConnection) {
      res.destroy();
      return;
    }
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  }

  /** Web API calls go by token; the other Slack-hosted URLs to the workspace that handed them out. */
  private dispatch(req: IncomingMessage, url: URL, body: Buffer): Promise<HttpReply> | HttpReply {
    // The Web API takes GET and POST alike; the other endpoints take one verb.
    const route = (pattern: RegExp, method?: string) => (!method || req.method === method ? pattern.exec(url.pathname) : null);
    const api = route(/^\/api\/([\w.]+)$/);
    if (api?.[1]) return this.handleApi(api[1], req, url, body);
    const upload = route(/^\/upload\/(F\w+)$/, 'POST');
    if (upload?.[1]) return this.workspaceWhere((w) => w.awaitsUpload(upload[1] ?? '')).handleUpload(upload[1], req, body);
    const respond = route(/^\/respond\/(\w+)$/, 'POST');
    if (respond?.[1]) return this.workspaceWhere((w) => w.mintedResponseUrl(respond[1] ?? '')).handleResponseUrl(respond[1], body);
    const download = route(/^\/files-pri\/(T\w+)-(F\w+)\/(?:download\/)?([^/]+)$/, 'GET');
    const filesOf = download?.[1] === undefined ? undefined : this.workspaces.get(download[1]);
    if (filesOf && download?.[2] && download[3]) return filesOf.handleDownload(download[2], decodeURIComponent(download[3]), req);
    if (route(/^\/oauth\/v2\/authorize$/, 'GET')) return this.authorizePage(url);
    return textReply('not_found', 404);
  }

  /** The workspace that matches, else the first, which answers as Slack does for something it never handed out. */
  private workspaceWhere(matches: (workspace: EmulatedWorkspace) => boolean): EmulatedWorkspace {
    return [...this.workspaces.values()].find(matches) ?? this;
  }

  /** Slack's authorize page with the user chosen by `signInAs` pressing Allow at once. */
  private authorizePage(url: URL): HttpReply {
    if (!this.installer) return textReply('SlackEmulator: nobody signed in; call signInAs() first', 400);
    try {
      return { status: 302, headers: { location: this.oauth.approve(url.toString(), this.installer) }, body: '' };
    } catch (error) {
      return textReply(error instanceof Error ? error.message : String(error), 400);
    }
  }

  private handleApi(method: string, req: IncomingMessage, url: URL, body: Buffer): Promise<HttpReply> {
    const spec = this.specs.get(method);
    const parsed = this.parseApiRequest(req, url, body, spec);
    const { args, undecodable } = decodeJsonArgs(parsed.args, spec);
    const teamId = this.workspaceOfCall(parsed.token, args)?.teamId;
    this.calls.push({ method, args, headers: req.headers, at: this.context.clock.preciseNow(), ...(teamId && { teamId }) });
    const authorization = req.headers.authorization;
    return this.context.faults.apply(method, true, () => this.answerApi(method, spec, { ...parsed, authorization, teamId }, args, undecodable));
  }

  /**
   * Where a call acts: its token's workspace or, for an org-wide token, the org's workspace its `team_id`
   * names, else the one holding the channel, user or view it names (Slack's ids are unique across an org).
   */
  private workspaceOfCall(token: string | undefined, args: Obj): EmulatedWorkspace | undefined {
    const grant = this.context.tokens.grantOf(token);
    if (grant?.teamId) return this.workspaces.get(grant.teamId);
    if (!grant?.enterpriseId) return undefined;
    const org = [...this.workspaces.values()].filter((workspace) => workspace.enterpriseId === grant.enterpriseId);
    if (typeof args.team_id === 'string') return org.find((workspace) => workspace.teamId === args.team_id);
    return org.find((workspace) => workspace.holdsWhatCallNames(args));
  }

  private answerApi(
    method: string,
    spec: MethodSpec | undefined,
    parsed: { token?: string; error?: string; authorization?: string; teamId?: string },
    args: Obj,
    undecodable: Set<string>,
  ): HttpReply {
    const known = method in this.methods || method in this.appMethods || method === 'oauth.v2.access';
    if (!known) return jsonReply({ ok: false, error: 'unknown_method' });
    try {
      if (parsed.error) throw new PlatformError(parsed.error);
      const invalid = spec && checkArgs(method, spec, args, undecodable);
      // oauth.v2.access authenticates the app by its client credentials, not by a token.
      if (method === 'oauth.v2.access') {
        if (invalid) throw invalid;
        return jsonReply(this.oauth.access(args, parsed.authorization));
      }
      const handler = this.handlerFor(method, parsed.token, parsed.teamId);
      if (invalid) throw invalid;
      return jsonReply(handler(args));
    } catch (error) {
      if (!(error instanceof PlatformError)) throw error;
      return jsonReply({ ok: false, error: error.code, ...error.extra });
    }
  }

  /**
   * The method of the workspace the call acts in (`workspaceOfCall`). Socket Mode's method takes the app-level
   * token and only it; every other method a bot token. An org-wide token's call that names no workspace of the
   * org is missing its team_id, as Slack says to org-wide apps.
   */
  private handlerFor(method: string, token: string | undefined, teamId: string | undefined): Handlers[string] {
    if (!token) throw new PlatformError('not_authed');
    const grant = this.context.tokens.authenticate(token);
    const appMethod = this.appMethods[method];
    if ((appMethod !== undefined) !== (grant.kind === 'app')) throw new PlatformError('not_allowed_token_type');
    if (!appMethod && teamId === undefined) {
      const orgMember = [...this.workspaces.values()].find((workspace) => workspace.enterpriseId !== undefined && workspace.enterpriseId === grant.enterpriseId);
      if (orgMember && method === 'auth.test') return () => orgMember.orgAuthTest();
      throw new PlatformError('missing_argument', { needed: 'team_id' });
    }
    const handler = appMethod ?? this.workspace(teamId!).methods[method];
    if (!handler) throw new PlatformError('unknown_method'); // as answerApi found: every workspace has the same methods
    return handler;
  }

  /**
   * Reads args the way Slack does: query string plus a form, multipart or JSON body. The token comes from
   * `Authorization: Bearer` or, for form bodies only, the `token` field. Methods that do not support JSON
   * input ignore a JSON body.
   */
  private parseApiRequest(req: IncomingMessage, url: URL, body: Buffer, spec: MethodSpec | undefined) {
    const args: Obj = Object.fromEntries([...url.searchParams].filter(([key]) => key !== 'token'));
    let formToken: string | undefined;
    let error: string | undefined;
    const type = mediaType(req);
    if (type === 'application/json') {
      const json = body.length === 0 ? {} : parseJsonObject(body);
      if (!json) error = 'invalid_json';
      else if (spec?.jsonInput) Object.assign(args, json);
    } else if (type === 'multipart/form-data') {
      for (const part of parseMultipart(body, req.headers['content-type'] ?? '')) args[part.name] = part.data.toString('utf8');
    } else {
      Object.assign(args, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
    }
    if (type !== 'application/json') formToken = str(args, 'token');
    delete args.token;
    return { args, token: bearerToken(req) ?? formToken, error };
  }
}
