/**
 * One emulated workspace as tests see it: its identity, the users, channels and messages a test sets up, and
 * what the app did there (views, response_url posts, uploads, ephemeral messages). It also owns that
 * workspace's Web API methods; the server (index.ts) routes a call here by the workspace of its token.
 *
 * `SlackEmulator` is the handle of its first workspace; `addWorkspace` makes more.
 */
import { authMethods, orgAuthTest } from './auth';
import { type ChannelAdminSettings, channelAdminMethods } from './channel-admin';
import { ChatApi } from './chat';
import type { EmulatorClock } from './clock';
import { conversationsMethods } from './conversations';
import type { Faults } from './faults';
import { FilesApi } from './files';
import type { HttpReply } from './http';
import { ResponseUrls } from './response-url';
import type { TokenRegistry } from './tokens';
import type {
  BlockKitViolation,
  EmulatedChannel,
  EmulatedUser,
  NewChannel,
  NewUser,
  RecordedEphemeral,
  RecordedResponse,
  RecordedUpload,
  ResponseUrlContext,
  SlackMessage,
  TriggerContext,
} from './types';
import { usersMethods } from './users';
import { ViewsApi } from './views';
import { type Handlers, type Obj, randomToken } from './web-api';
import { Workspace, type WorkspaceIdentity } from './workspace';

/** What every workspace of one emulator shares. */
export interface EmulatorContext {
  clock: EmulatorClock;
  faults: Faults;
  tokens: TokenRegistry;
  /** The server's base URL, known once it listens. */
  baseUrl: () => string;
}

export class EmulatedWorkspace {
  readonly teamId: string;
  readonly teamName: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly enterpriseId: string | undefined;
  readonly enterpriseName: string | undefined;
  readonly responses: RecordedResponse[];
  readonly uploads: RecordedUpload[];
  readonly ephemeralMessages: RecordedEphemeral[];
  /** Every Block Kit rejection; e2e tests assert this stays empty. */
  readonly blockKitViolations: BlockKitViolation[];
  /** Workspace settings the channel-making methods obey (channel-admin.ts). */
  readonly channelAdmin: ChannelAdminSettings = { restrictChannelCreation: false };
  /** This workspace's Web API methods, by name. */
  readonly methods: Handlers;

  protected readonly state: Workspace;
  private readonly views: ViewsApi;
  private readonly files: FilesApi;
  private readonly responseUrls: ResponseUrls;
  private readonly tokens: TokenRegistry;

  constructor(identity: WorkspaceIdentity, context: EmulatorContext) {
    ({ teamId: this.teamId, teamName: this.teamName, teamDomain: this.teamDomain } = identity);
    ({ botUserId: this.botUserId, botId: this.botId, appId: this.appId } = identity);
    ({ enterpriseId: this.enterpriseId, enterpriseName: this.enterpriseName } = identity);
    this.state = new Workspace(identity, context.clock, context.baseUrl);
    this.tokens = context.tokens;
    const chat = new ChatApi(this.state);
    this.views = new ViewsApi(this.state);
    this.files = new FilesApi(this.state, context.tokens, context.faults);
    this.responseUrls = new ResponseUrls(this.state, context.faults);
    this.responses = this.responseUrls.responses;
    this.uploads = this.files.uploads;
    this.ephemeralMessages = chat.ephemeralMessages;
    this.blockKitViolations = this.state.checks.violations;
    this.methods = {
      ...authMethods(this.state),
      ...chat.methods,
      ...conversationsMethods(this.state),
      ...usersMethods(this.state),
      ...channelAdminMethods(this.state, this.channelAdmin),
      ...this.views.methods,
      ...this.files.methods,
    };
  }

  addUser(user: NewUser): EmulatedUser {
    return this.state.addUser(user);
  }

  addChannel(channel: NewChannel): EmulatedChannel {
    return this.state.addChannel(channel);
  }

  /** A message some user posted, e.g. the target of a message shortcut or a thread to reply in. */
  addMessage(message: { channel: string; user: string; text: string; threadTs?: string; blocks?: unknown[] }): SlackMessage {
    const channel = this.state.requireChannel(message.channel);
    const fields = { user: message.user, text: message.text, blocks: message.blocks, client_msg_id: randomToken(16) };
    return this.state.storeMessage(channel, fields, message.threadTs);
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

  /**
   * Whether the app is installed on this workspace's whole Enterprise Grid org (a working org-wide token): Slack
   * then says so (`is_enterprise_install`) in every request it sends the app from here.
   */
  isOrgWideInstalled(): boolean {
    const { enterpriseId } = this;
    return enterpriseId !== undefined && this.tokens.hasWorkingGrant((grant) => grant.kind === 'bot' && grant.enterpriseId === enterpriseId);
  }

  /** auth.test as an org-wide token of this workspace's org answers it when the call names no workspace. */
  orgAuthTest(): Obj {
    if (!this.enterpriseId) throw new Error(`SlackEmulator: ${this.teamId} is on no Enterprise Grid org`);
    return orgAuthTest(this.state, this.enterpriseId, this.enterpriseName ?? this.enterpriseId);
  }

  /**
   * Whether a Web API call's arguments name a channel, user or view of this workspace: how Slack knows where a
   * call with an org-wide token acts when it names no team_id (ids are unique across an Enterprise Grid org).
   */
  holdsWhatCallNames(args: Obj): boolean {
    const channel = args.channel ?? args.channel_id;
    const user = args.user ?? args.user_id;
    if (typeof channel === 'string' && this.state.channels.has(channel)) return true;
    if (typeof user === 'string' && this.state.users.has(user)) return true;
    return typeof args.view_id === 'string' && this.getView(args.view_id) !== undefined;
  }

  getUser(id: string): EmulatedUser | undefined {
    return this.state.users.get(id);
  }

  /** A channel by name, as people see it in the sidebar (not a DM). */
  channelNamed(name: string): EmulatedChannel | undefined {
    return [...this.state.channels.values()].find((channel) => !channel.isIm && channel.name === name);
  }

  getChannel(id: string): EmulatedChannel | undefined {
    return this.state.channels.get(id);
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
    const found = this.state.messages.get(channel)?.find((m) => m.ts === ts);
    return found && structuredClone(found);
  }

  /** Messages in a channel, oldest first: all of them, or with `threadTs` only that thread's replies. */
  messagesIn(channel: string, options: { threadTs?: string } = {}): SlackMessage[] {
    const all = this.state.messages.get(channel) ?? [];
    const selected = options.threadTs ? all.filter((m) => m.thread_ts === options.threadTs && m.ts !== options.threadTs) : all;
    return structuredClone(selected);
  }

  /** Forgets every message of this workspace, for tests that share one emulator and want empty channels. */
  forgetMessages(): void {
    this.state.messages.clear();
  }

  /** Clears what this workspace recorded. Messages stay, as in Slack: cards posted earlier can still be edited. */
  clearRecordings(): void {
    for (const list of [this.responses, this.uploads, this.ephemeralMessages, this.blockKitViolations]) list.length = 0;
  }

  // The Slack-hosted URLs of this workspace, routed here by the server.

  awaitsUpload(fileId: string): boolean {
    return this.files.awaitsUpload(fileId);
  }

  handleUpload(...request: Parameters<FilesApi['handleUpload']>): Promise<HttpReply> {
    return this.files.handleUpload(...request);
  }

  handleDownload(...request: Parameters<FilesApi['handleDownload']>): HttpReply {
    return this.files.handleDownload(...request);
  }

  mintedResponseUrl(id: string): boolean {
    return this.responseUrls.isMinted(id);
  }

  handleResponseUrl(id: string, body: Buffer): Promise<HttpReply> {
    return this.responseUrls.handle(id, body);
  }
}
