/**
 * An in-memory Slack for end-to-end tests: a real HTTP server that answers the Web API the way Slack does
 * (wire format, error codes, success shapes), plus the other Slack-hosted URLs an app talks to:
 * `response_url`s, the file upload URL of files.getUploadURLExternal, and `url_private` file downloads.
 *
 * The app under test points `SLACK_API_URL` at `apiUrl`; everything it does is recorded so tests can
 * assert on it, and faults can be injected per method. Behaviour follows ../shared/reference/slack-platform.md.
 *
 * This file is the server: routing, tokens, argument checking against the method descriptions
 * (method-specs.ts), fault injection (faults.ts) and the test-facing API. Each Slack API area has its own
 * file (auth, chat, conversations, users, views, files, response-url) over the shared workspace.ts; message
 * metadata (metadata.ts) is shared by chat.* and conversations.*.
 */
import http, { IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { SocketModeLink } from '../slack-socket-mode';
import { authMethods } from './auth';
import { ChatApi } from './chat';
import { conversationsMethods } from './conversations';
import { Faults } from './faults';
import { FilesApi } from './files';
import { type HttpReply, bearerToken, jsonReply, mediaType, parseJsonObject, parseMultipart, readBody, textReply } from './http';
import { type MethodSpec, checkArgs, decodeJsonArgs, loadMethodSpecs } from './method-specs';
import { ResponseUrls } from './response-url';
import type {
  BlockKitViolation,
  EmulatedChannel,
  EmulatedUser,
  EmulatorOptions,
  NewChannel,
  NewUser,
  RecordedCall,
  RecordedEphemeral,
  RecordedResponse,
  RecordedUpload,
  ResponseUrlContext,
  SlackFault,
  SlackMessage,
  TriggerContext,
} from './types';
import { usersMethods } from './users';
import { type ChannelAdminSettings, channelAdminMethods } from './channel-admin';
import { ViewsApi } from './views';
import { type Handlers, type Obj, PlatformError, randomToken, str } from './web-api';
import { Workspace } from './workspace';

export { SLACK_FIXTURES_DIR } from './method-specs';
export type * from './types';

export class SlackEmulator {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[];
  readonly uploads: RecordedUpload[];
  readonly ephemeralMessages: RecordedEphemeral[];
  /** Every Block Kit rejection; e2e tests assert this stays empty. */
  readonly blockKitViolations: BlockKitViolation[];

  readonly teamId: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  readonly botId = 'B0CASEOPS';
  readonly appId = 'A0CASEOPS';
  readonly botToken: string;
  readonly appToken: string | undefined;
  /** Slack's Socket Mode side: the WebSocket the app connects to, and the envelopes sent over it. */
  readonly socketMode: SocketModeLink;
  /** Workspace settings the channel-making methods obey (channel-admin.ts). */
  readonly channelAdmin: ChannelAdminSettings = { restrictChannelCreation: false };

  private readonly workspace: Workspace;
  private readonly views: ViewsApi;
  private readonly files: FilesApi;
  private readonly responseUrls: ResponseUrls;
  private readonly faults = new Faults();
  private readonly handlers: Handlers;
  private baseUrl = '';

  private constructor(
    options: EmulatorOptions,
    private readonly specs: Map<string, MethodSpec>,
    private readonly server: http.Server,
  ) {
    this.botToken = options.botToken;
    this.appToken = options.appToken;
    this.socketMode = new SocketModeLink(server, () => this.baseUrl, this.appId);
    this.teamId = options.teamId ?? 'T0001';
    this.botUserId = options.botUserId ?? 'U0CASEOPS';
    const identity = { teamId: this.teamId, botUserId: this.botUserId, botId: this.botId, appId: this.appId };
    this.workspace = new Workspace(identity, () => this.baseUrl);
    this.teamDomain = this.workspace.teamDomain;
    const chat = new ChatApi(this.workspace);
    this.views = new ViewsApi(this.workspace);
    this.files = new FilesApi(this.workspace, this.botToken, this.faults);
    this.responseUrls = new ResponseUrls(this.workspace, this.faults);
    this.responses = this.responseUrls.responses;
    this.uploads = this.files.uploads;
    this.ephemeralMessages = chat.ephemeralMessages;
    this.blockKitViolations = this.workspace.checks.violations;
    this.handlers = {
      ...authMethods(this.workspace, this.socketMode),
      ...chat.methods,
      ...conversationsMethods(this.workspace),
      ...usersMethods(this.workspace),
      ...channelAdminMethods(this.workspace, this.channelAdmin),
      ...this.views.methods,
      ...this.files.methods,
    };
    this.seedWorkspace();
  }

  static async start(options: EmulatorOptions): Promise<SlackEmulator> {
    const server = http.createServer();
    const emulator = new SlackEmulator(options, loadMethodSpecs(), server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void emulator.route(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    emulator.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return emulator;
  }

  /** Base URL, e.g. `http://127.0.0.1:PORT`. */
  get url(): string {
    return this.baseUrl;
  }

  /** What the app uses as `SLACK_API_URL` (`slackApiUrl`). */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  async stop(): Promise<void> {
    await this.socketMode.close();
    this.faults.stop();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Workspace set-up
  // -------------------------------------------------------------------------------------------------------------

  private seedWorkspace(): void {
    this.addUser({ id: 'U0ALICE', name: 'alice', realName: 'Alice Analyst' });
    this.addUser({ id: 'U0BOB', name: 'bob', realName: 'Bob Responder' });
    this.addUser({ id: 'U0CAROL', name: 'carol', realName: 'Carol Lead' });
    this.addChannel({ id: 'C0PUBLIC', name: 'soc', members: ['U0ALICE', 'U0BOB', 'U0CAROL'] });
  }

  addUser(user: NewUser): EmulatedUser {
    return this.workspace.addUser(user);
  }

  addChannel(channel: NewChannel): EmulatedChannel {
    return this.workspace.addChannel(channel);
  }

  /** A message some user posted, e.g. the target of a message shortcut or a thread to reply in. */
  addMessage(message: { channel: string; user: string; text: string; threadTs?: string; blocks?: unknown[] }): SlackMessage {
    const channel = this.workspace.requireChannel(message.channel);
    const fields = { user: message.user, text: message.text, blocks: message.blocks, client_msg_id: randomToken(16) };
    return this.workspace.storeMessage(channel, fields, message.threadTs);
  }

  /** A file a user shared; with `channel`, it is also posted there as a `file_share` message. */
  addUserFile(file: { name: string; mimetype: string; bytes: Buffer; channel?: string; user?: string; threadTs?: string }): Obj {
    return this.files.addUserFile(file);
  }

  mintTriggerId(context: TriggerContext = {}): string {
    return this.views.mintTriggerId(context);
  }

  mintResponseUrl(context: ResponseUrlContext = {}): string {
    return this.responseUrls.mint(context);
  }

  /** Moves the emulator's clock forward, to expire trigger ids (3 s) and response URLs (30 min) without waiting. */
  advanceTime(ms: number): void {
    this.workspace.advanceTime(ms);
  }

  getUser(id: string): EmulatedUser | undefined {
    return this.workspace.users.get(id);
  }

  /** A channel by name, as people see it in the sidebar (not a DM). */
  channelNamed(name: string): EmulatedChannel | undefined {
    return [...this.workspace.channels.values()].find((channel) => !channel.isIm && channel.name === name);
  }

  getChannel(id: string): EmulatedChannel | undefined {
    return this.workspace.channels.get(id);
  }

  /** The id of the newest modal opened or pushed, for tests that then act inside it. */
  latestModalId(): string | undefined {
    return this.views.latestModalId();
  }

  getView(id: string): Obj | undefined {
    return this.views.getView(id);
  }

  /** The App Home view last published for a user (views.publish), as Slack shows it to them. */
  homeViewOf(userId: string): Obj | undefined {
    return this.views.homeViewOf(userId);
  }

  findMessage(channel: string, ts: string): SlackMessage | undefined {
    const found = this.workspace.messages.get(channel)?.find((m) => m.ts === ts);
    return found && structuredClone(found);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Recordings and fault injection
  // -------------------------------------------------------------------------------------------------------------

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Messages in a channel, oldest first: all of them, or with `threadTs` only that thread's replies. */
  messagesIn(channel: string, options: { threadTs?: string } = {}): SlackMessage[] {
    const all = this.workspace.messages.get(channel) ?? [];
    const selected = options.threadTs ? all.filter((m) => m.thread_ts === options.threadTs && m.ts !== options.threadTs) : all;
    return structuredClone(selected);
  }

  /** Clears the recordings and pending faults. Messages stay, as in Slack: cards posted earlier can still be edited. */
  reset(): void {
    for (const list of [this.calls, this.responses, this.uploads, this.ephemeralMessages, this.blockKitViolations]) {
      list.length = 0;
    }
    this.faults.clear();
  }

  /** Forgets every message, for tests that share one emulator and want empty channels. */
  forgetMessages(): void {
    this.workspace.messages.clear();
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
    this.faults.add(method, fault, times);
  }

  /**
   * Slack down (`true`) or back (`false`): while down, every Web API call and every upload and response_url
   * request answers HTTP 503 without being performed (Web API calls are still recorded in `calls`, response_url
   * posts in `responses`).
   * `reset()` lifts it too.
   */
  outage(down: boolean): void {
    this.faults.setOutage(down);
  }

  // -------------------------------------------------------------------------------------------------------------
  // HTTP routing
  // -------------------------------------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let reply: HttpReply;
    try {
      reply = await this.dispatch(req, new URL(req.url ?? '/', this.baseUrl), await readBody(req));
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

  private dispatch(req: IncomingMessage, url: URL, body: Buffer): Promise<HttpReply> | HttpReply {
    // The Web API takes GET and POST alike; the other endpoints take one verb.
    const route = (pattern: RegExp, method?: string) => (!method || req.method === method ? pattern.exec(url.pathname) : null);
    const api = route(/^\/api\/([\w.]+)$/);
    if (api?.[1]) return this.handleApi(api[1], req, url, body);
    const upload = route(/^\/upload\/(F\w+)$/, 'POST');
    if (upload?.[1]) return this.files.handleUpload(upload[1], req, body);
    const respond = route(/^\/respond\/(\w+)$/, 'POST');
    if (respond?.[1]) return this.responseUrls.handle(respond[1], body);
    const download = route(/^\/files-pri\/[^/]+-(F\w+)\/(?:download\/)?([^/]+)$/, 'GET');
    if (download?.[1] && download[2]) return this.files.handleDownload(download[1], decodeURIComponent(download[2]), req);
    return textReply('not_found', 404);
  }

  private handleApi(method: string, req: IncomingMessage, url: URL, body: Buffer): Promise<HttpReply> {
    const spec = this.specs.get(method);
    const parsed = this.parseApiRequest(req, url, body, spec);
    const { args, undecodable } = decodeJsonArgs(parsed.args, spec);
    this.calls.push({ method, args, headers: req.headers, at: this.workspace.preciseNow() });
    return this.faults.apply(method, true, () => this.answerApi(method, spec, parsed, args, undecodable));
  }

  private answerApi(
    method: string,
    spec: MethodSpec | undefined,
    parsed: { token?: string; error?: string },
    args: Obj,
    undecodable: Set<string>,
  ): HttpReply {
    const handler = this.handlers[method];
    if (!handler) return jsonReply({ ok: false, error: 'unknown_method' });
    try {
      if (parsed.error) throw new PlatformError(parsed.error);
      if (!parsed.token) throw new PlatformError('not_authed');
      this.checkToken(method, parsed.token);
      const invalid = spec && checkArgs(method, spec, args, undecodable);
      if (invalid) throw invalid;
      return jsonReply(handler(args));
    } catch (error) {
      if (!(error instanceof PlatformError)) throw error;
      return jsonReply({ ok: false, error: error.code, ...error.extra });
    }
  }

  /** Socket Mode's method takes the app-level token and only it; every other method the bot token. */
  private checkToken(method: string, token: string): void {
    const wantsAppToken = method === 'apps.connections.open';
    const expected = wantsAppToken ? this.appToken : this.botToken;
    if (token === expected) return;
    if (token === (wantsAppToken ? this.botToken : this.appToken)) throw new PlatformError('not_allowed_token_type');
    throw new PlatformError('invalid_auth');
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
