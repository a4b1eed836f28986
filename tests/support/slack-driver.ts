/**
 * Plays Slack's side of the HTTP conversation with the app under test: slash commands, interactivity
 * payloads and Events API callbacks, signed exactly as Slack signs them (reference: slack-platform.md §1).
 *
 * Payloads are built from the real payload fixtures in ../shared/fixtures/slack/payloads/ with the
 * workspace ids swapped for the emulator's, and with trigger ids and response URLs minted by the emulator so
 * that what the app does with them (views.open, respond()) lands there. A driver speaks for one workspace:
 * the emulator's own, or another one of it (`emulator.workspace('T0002')`).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type EmulatedWorkspace, SLACK_FIXTURES_DIR } from './slack-emulator';

type Obj = Record<string, unknown>;

/**
 * The workspace a driver plays Slack for: what the payloads name (team, app, bot) and where their trigger ids
 * and response URLs come from. The emulator and each of its workspace handles fit.
 */
export type DrivenWorkspace = Pick<
  EmulatedWorkspace,
  | 'teamId'
  | 'teamDomain'
  | 'enterpriseId'
  | 'enterpriseName'
  | 'isOrgWideInstalled'
  | 'appId'
  | 'botId'
  | 'botUserId'
  | 'mintTriggerId'
  | 'mintResponseUrl'
  | 'getUser'
  | 'getChannel'
  | 'getView'
  | 'findMessage'
  | 'messagesIn'
>;

export interface DriverResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
  elapsedMs: number;
}

/** Sends one HTTP POST and times it; the default is `fetch` in this thread. */
export type HttpSend = (url: string, headers: Record<string, string>, body: string) => Promise<DriverResponse>;

async function fetchSend(url: string, headers: Record<string, string>, body: string): Promise<DriverResponse> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, body: text, headers: Object.fromEntries(response.headers), elapsedMs: performance.now() - started };
}

export interface RawRequest {
  body: string;
  /** Sent as is; undefined lets fetch pick its default (text/plain). */
  contentType?: string;
  /** Added last, so they can override anything. */
  headers?: Record<string, string>;
  /** Unix seconds; defaults to now; null omits the X-Slack-Request-Timestamp header. */
  timestamp?: number | null;
  /** Defaults to the correct signature; null omits the X-Slack-Signature header. */
  signature?: string | null;
}

export interface CommandOptions {
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  teamId?: string;
  command?: string;
}

export interface BlockActionOptions {
  actionId: string;
  value?: string;
  /** Defaults to the block holding the element, found in the message or view. */
  blockId?: string;
  /** Element type; defaults to the element's own type, else `button`. */
  type?: string;
  /** Extra fields of the action, e.g. `selected_option` for a select. */
  action?: Obj;
  userId?: string;
  channelId?: string;
  /** The message holding the element; defaults to the newest message in the channel. */
  messageTs?: string;
  /** The action happened in this view (modal or Home tab) rather than in a message. */
  viewId?: string;
  /** `state.values` (of the view or the message). */
  stateValues?: Obj;
}

export interface ViewSubmissionOptions {
  callbackId: string;
  /** `view.state.values`: `{[block_id]: {[action_id]: {type, value | selected_option | …}}}`. */
  values: Obj;
  privateMetadata?: string;
  userId?: string;
  /** Submit this view as the emulator stored it (blocks, hash, private_metadata). */
  viewId?: string;
}

/** Generic in the message so both object literals and typed messages (e.g. from @slack/types) fit. */
export interface MessageShortcutOptions<M extends { ts: string } = { ts: string }> {
  callbackId: string;
  /** The message the shortcut was used on, e.g. from `emulator.addMessage()` or `messagesIn()`. */
  message: M;
  channelId?: string;
  channelName?: string;
  userId?: string;
}

export interface BlockSuggestionOptions {
  actionId: string;
  /** What the user typed. */
  value: string;
  blockId?: string;
  userId?: string;
  /** The view holding the select; its stored copy goes into the payload. */
  viewId?: string;
}

export interface EventOptions {
  retryNum?: number;
  retryReason?: string;
  /**
   * The event is for the org-wide installation of the workspace's org; by default, whether the app holds one now.
   * Needed for `app_uninstalled` after `emulator.uninstall(enterpriseId)`, when it no longer does.
   */
  orgWideInstall?: boolean;
}

const DEFAULT_USER = 'U0ALICE';
const DEFAULT_CHANNEL = 'C0PUBLIC';
// Bolt compares the content type exactly: "; charset=utf-8" makes it parse the body as JSON and answer 400.
const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
const SLACK_USER_AGENT = 'Slackbot 1.0 (+https://api.slack.com/robots)';

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` keyed with the signing secret. */
export function signSlackRequest(secret: string, timestamp: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

function fixture(name: string): string {
  return readFileSync(path.join(SLACK_FIXTURES_DIR, 'payloads', name), 'utf8');
}

/** A fresh copy of a JSON payload fixture, to be filled in. */
function template(name: string): Obj {
  return JSON.parse(fixture(name)) as Obj;
}

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Finds the element with `actionId` in a list of blocks, with the block_id of the block holding it. */
function locateElement(blocks: unknown, actionId: string): { blockId?: string; element?: Obj } {
  const search = (node: unknown): Obj | undefined => {
    if (Array.isArray(node)) return node.map(search).find(Boolean);
    if (!isObj(node)) return undefined;
    return node.action_id === actionId ? node : search(Object.values(node));
  };
  for (const block of Array.isArray(blocks) ? blocks : []) {
    const element = search(block);
    if (element && isObj(block)) return { blockId: block.block_id as string | undefined, element };
  }
  return {};
}

export class SlackDriver {
  private readonly appUrl: string;
  private readonly signingSecret: string;
  private readonly emulator: DrivenWorkspace;
  private readonly post: HttpSend;

  /**
   * `emulator` is the emulator (its first workspace) or another workspace of it; the default user and channel
   * (U0ALICE in C0PUBLIC) are the first workspace's, so requests for another name theirs. `send` replaces
   * in-thread `fetch`, e.g. to time requests from a thread the emulator does not share.
   */
  constructor(options: { appUrl: string; signingSecret: string; emulator: DrivenWorkspace; send?: HttpSend }) {
    this.appUrl = options.appUrl;
    this.signingSecret = options.signingSecret;
    this.emulator = options.emulator;
    this.post = options.send ?? fetchSend;
  }

  /** Posts any body, signed correctly unless told otherwise: for forged or malformed requests. */
  async raw(request: RawRequest): Promise<DriverResponse> {
    const now = Math.floor(Date.now() / 1000);
    const timestamp = request.timestamp === undefined ? now : request.timestamp;
    const signature =
      request.signature === undefined ? signSlackRequest(this.signingSecret, timestamp ?? now, request.body) : request.signature;
    const headers: Record<string, string> = { 'User-Agent': SLACK_USER_AGENT };
    if (request.contentType !== undefined) headers['Content-Type'] = request.contentType;
    if (timestamp !== null) headers['X-Slack-Request-Timestamp'] = String(timestamp);
    if (signature !== null) headers['X-Slack-Signature'] = signature;
    Object.assign(headers, request.headers);

    return this.post(this.appUrl, headers, request.body);
  }

  /** A slash command, from the real urlencoded body Slack sends, with fresh response_url and trigger_id. */
  async command(text: string, options: CommandOptions = {}): Promise<DriverResponse & { responseUrl: string; triggerId: string }> {
    const userId = options.userId ?? DEFAULT_USER;
    const channelId = options.channelId ?? DEFAULT_CHANNEL;
    const responseUrl = this.emulator.mintResponseUrl({ channelId, userId });
    const triggerId = this.emulator.mintTriggerId({ userId });
    const form = new URLSearchParams(fixture('slash_command.bolt-python.form.txt').trim());
    const fields: Record<string, string> = {
      team_id: options.teamId ?? this.emulator.teamId,
      team_domain: this.emulator.teamDomain,
      channel_id: channelId,
      channel_name: options.channelName ?? this.channelName(channelId),
      user_id: userId,
      user_name: options.userName ?? this.userName(userId),
      command: options.command ?? '/case',
      text,
      response_url: responseUrl,
      trigger_id: triggerId,
      api_app_id: this.emulator.appId,
      is_enterprise_install: String(this.emulator.isOrgWideInstalled()),
    };
    for (const [key, value] of Object.entries(fields)) form.set(key, value);
    const { enterpriseId, enterpriseName } = this.emulator;
    if (enterpriseId) {
      form.set('enterprise_id', enterpriseId);
      form.set('enterprise_name', enterpriseName ?? enterpriseId);
    } else {
      form.delete('enterprise_id');
      form.delete('enterprise_name');
    }
    const response = await this.raw({ body: form.toString(), contentType: FORM_CONTENT_TYPE });
    return { ...response, responseUrl, triggerId };
  }

  /** Any interactivity payload, sent as Slack does: a form with one `payload` field holding the JSON. */
  interaction(payload: object): Promise<DriverResponse> {
    return this.raw({ body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType: FORM_CONTENT_TYPE });
  }

  /** A click (or selection) on an interactive element of a message or a view. */
  blockAction(options: BlockActionOptions): Promise<DriverResponse> {
    const userId = options.userId ?? DEFAULT_USER;
    const payload = this.stamp(template('block_actions.message.bolt-python.json'), userId);
    const where = options.viewId
      ? this.inView(payload, options.viewId, options.stateValues)
      : this.inMessage(payload, options, userId);
    const { blockId, element } = locateElement(where.blocks, options.actionId);
    const [templateAction] = payload.actions as Obj[];
    const type = options.type ?? (element?.type as string | undefined) ?? 'button';
    payload.trigger_id = this.emulator.mintTriggerId({ userId, viewId: options.viewId });
    payload.actions = [
      {
        action_id: options.actionId,
        block_id: options.blockId ?? blockId ?? templateAction?.block_id,
        ...(type === 'button' && { text: element?.text ?? templateAction?.text }),
        ...(options.value !== undefined && { value: options.value }),
        type,
        action_ts: this.actionTs(),
        ...options.action,
      },
    ];
    return this.interaction(payload);
  }

  /** Submitting a modal. */
  viewSubmission(options: ViewSubmissionOptions): Promise<DriverResponse> {
    const userId = options.userId ?? DEFAULT_USER;
    const payload = this.stamp(template('view_submission.bolt-python.json'), userId);
    const view = this.viewFor(payload.view as Obj, options.viewId);
    view.callback_id = options.callbackId;
    view.state = { values: options.values };
    if (options.privateMetadata !== undefined) view.private_metadata = options.privateMetadata;
    payload.view = view;
    payload.trigger_id = this.emulator.mintTriggerId({ userId, viewId: view.id as string });
    payload.response_urls = [];
    return this.interaction(payload);
  }

  /** A message shortcut used on `message`. */
  messageShortcut<M extends { ts: string }>(options: MessageShortcutOptions<M>): Promise<DriverResponse> {
    const userId = options.userId ?? DEFAULT_USER;
    const channelId = options.channelId ?? DEFAULT_CHANNEL;
    const payload = this.stamp(template('message_action.bolt-python.json'), userId);
    Object.assign(payload, {
      callback_id: options.callbackId,
      trigger_id: this.emulator.mintTriggerId({ userId }),
      action_ts: this.actionTs(),
      message_ts: options.message.ts,
      message: options.message,
      channel: { id: channelId, name: options.channelName ?? this.channelName(channelId) },
      response_url: this.emulator.mintResponseUrl({ channelId, userId, messageTs: options.message.ts }),
    });
    return this.interaction(payload);
  }

  /** A global shortcut (no channel, no response_url). */
  globalShortcut(options: { callbackId: string; userId?: string }): Promise<DriverResponse> {
    const userId = options.userId ?? DEFAULT_USER;
    const payload = this.stamp(template('shortcut.global.bolt-python.json'), userId);
    Object.assign(payload, {
      callback_id: options.callbackId,
      trigger_id: this.emulator.mintTriggerId({ userId }),
      action_ts: this.actionTs(),
    });
    return this.interaction(payload);
  }

  /** An external_select asking for options after the user typed `value`. */
  blockSuggestion(options: BlockSuggestionOptions): Promise<DriverResponse> {
    const payload = this.stamp(template('block_suggestion.view.bolt-python.json'), options.userId ?? DEFAULT_USER);
    const view = this.viewFor(payload.view as Obj, options.viewId);
    Object.assign(payload, {
      action_id: options.actionId,
      block_id: options.blockId ?? locateElement(view.blocks, options.actionId).blockId ?? payload.block_id,
      value: options.value,
      container: { type: 'view', view_id: view.id },
      view,
    });
    return this.interaction(payload);
  }

  /** An Events API `event_callback`; `retryNum`/`retryReason` make it one of Slack's retries. */
  event(event: object, options: EventOptions = {}): Promise<DriverResponse> {
    const fields = event as Obj;
    const orgWide = options.orgWideInstall ?? this.emulator.isOrgWideInstalled();
    const envelope = template('event_callback.message.file_share.bolt-python.json');
    const now = Date.now();
    Object.assign(envelope, {
      team_id: this.emulator.teamId,
      api_app_id: this.emulator.appId,
      event: { ...fields, event_ts: fields.event_ts ?? fields.ts ?? this.actionTs() },
      event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: Math.floor(now / 1000),
      enterprise_id: this.emulator.enterpriseId ?? null,
      authorizations: [
        {
          enterprise_id: this.emulator.enterpriseId ?? null,
          // An org-wide installation is the org's, not one workspace's.
          team_id: orgWide ? null : this.emulator.teamId,
          user_id: this.emulator.botUserId,
          is_bot: true,
          is_enterprise_install: orgWide,
        },
      ],
      // Deprecated, but still required by Slack's published envelope schema.
      authed_users: [this.emulator.botUserId],
      event_context: `4-${randomBytes(12).toString('base64url')}`,
    });
    const headers: Record<string, string> = {};
    if (options.retryNum !== undefined) headers['X-Slack-Retry-Num'] = String(options.retryNum);
    if (options.retryReason !== undefined) headers['X-Slack-Retry-Reason'] = options.retryReason;
    return this.raw({ body: JSON.stringify(envelope), contentType: 'application/json', headers });
  }

  /**
   * `app_uninstalled`: the app was removed from the workspace (after `emulator.uninstall(teamId)`). The
   * event is its type alone, as Slack's events reference shows it (plus the `event_ts` its envelope schema
   * requires of every event).
   */
  appUninstalled(options: EventOptions = {}): Promise<DriverResponse> {
    return this.event({ type: 'app_uninstalled' }, options);
  }

  /**
   * `tokens_revoked`: the tokens of these users were revoked, keyed by kind as Slack sends them: `bot` holds the
   * bot user's id (the default), `oauth` the ids of users whose user tokens went.
   */
  tokensRevoked(tokens: { bot?: string[]; oauth?: string[] } = { bot: [this.emulator.botUserId] }, options: EventOptions = {}) {
    return this.event({ type: 'tokens_revoked', tokens }, options);
  }

  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Puts the driven workspace into a payload template: team, user (keeping the keys that payload type
   * carries), app id, and its Enterprise Grid org and whether the app is installed org-wide.
   */
  private stamp(payload: Obj, userId: string): Obj {
    const templateUser = isObj(payload.user) ? payload.user : { id: '' };
    const name = this.userName(userId);
    payload.user = Object.fromEntries(
      Object.keys(templateUser).map((key) => [key, key === 'id' ? userId : key === 'team_id' ? this.emulator.teamId : name]),
    );
    payload.team = { id: this.emulator.teamId, domain: this.emulator.teamDomain };
    if ('api_app_id' in payload) payload.api_app_id = this.emulator.appId;
    const { enterpriseId, enterpriseName } = this.emulator;
    payload.enterprise = enterpriseId ? { id: enterpriseId, name: enterpriseName ?? enterpriseId } : null;
    payload.is_enterprise_install = this.emulator.isOrgWideInstalled();
    return payload;
  }

  /** Sets up a block_actions payload for an element in a view; returns that view's blocks. */
  private inView(payload: Obj, viewId: string, stateValues: Obj | undefined): { blocks: unknown } {
    const view = this.viewFor(payload.view as Obj | undefined, viewId);
    view.state = { values: stateValues ?? {} };
    delete payload.channel;
    delete payload.message;
    delete payload.response_url;
    Object.assign(payload, { container: { type: 'view', view_id: viewId }, view });
    return { blocks: view.blocks };
  }

  /**
   * Sets up a block_actions payload for an element in a message. A message the emulator does not hold (e.g.
   * an ephemeral one) is sent as Slack sends ephemeral ones: `is_ephemeral: true` and no `message`.
   */
  private inMessage(payload: Obj, options: BlockActionOptions, userId: string): { blocks: unknown } {
    const channelId = options.channelId ?? DEFAULT_CHANNEL;
    const messageTs = options.messageTs ?? this.emulator.messagesIn(channelId).at(-1)?.ts ?? this.actionTs();
    const message = this.emulator.findMessage(channelId, messageTs);
    const threadTs = message?.thread_ts !== undefined && message.thread_ts !== message.ts ? message.thread_ts : undefined;
    Object.assign(payload, {
      container: {
        type: 'message',
        message_ts: messageTs,
        channel_id: channelId,
        is_ephemeral: !message,
        ...(threadTs && { thread_ts: threadTs }),
      },
      channel: { id: channelId, name: this.channelName(channelId) },
      state: { values: options.stateValues ?? {} },
      response_url: this.emulator.mintResponseUrl({ channelId, userId, messageTs }),
    });
    if (message) payload.message = message;
    return { blocks: message?.blocks };
  }

  /** The view to put in a payload: the emulator's copy when it holds `viewId`, else the template's with our ids. */
  private viewFor(templateView: Obj | undefined, viewId: string | undefined): Obj {
    const stored = viewId ? this.emulator.getView(viewId) : undefined;
    if (stored) return stored;
    const id = viewId ?? 'V0TEMPLATE';
    return {
      ...templateView,
      id,
      root_view_id: id,
      team_id: this.emulator.teamId,
      app_id: this.emulator.appId,
      app_installed_team_id: this.emulator.teamId,
      bot_id: this.emulator.botId,
    };
  }

  private userName(userId: string): string {
    return this.emulator.getUser(userId)?.name ?? userId.toLowerCase();
  }

  /** Slack sends `directmessage` for DMs and `privategroup` for private channels the app cannot see. */
  private channelName(channelId: string): string {
    return this.emulator.getChannel(channelId)?.name ?? (channelId.startsWith('D') ? 'directmessage' : 'privategroup');
  }

  private actionTs(): string {
    return (Date.now() / 1000).toFixed(6);
  }
}
