/**
 * An in-memory Slack for end-to-end tests: a real HTTP server that answers the Web API the way Slack does
 * (wire format, error codes, success shapes), plus the other Slack-hosted URLs an app talks to:
 * `response_url`s, the file upload URL of files.getUploadURLExternal, and `url_private` file downloads.
 *
 * The app under test points `SLACK_API_URL` at `apiUrl`; everything it does is recorded so tests can
 * assert on it, and faults can be injected per method. Behaviour follows ../shared/reference/slack-platform.md;
 * argument rules and error codes come from the method descriptions under
 * ../shared/fixtures/slack/web-api/docs-slack-dev-methods/, loaded at start.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import http, { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  MESSAGE_BLOCKS_TEXT_LIMIT,
  MESSAGE_TEXT_LIMIT,
  Surface,
  VIEW_SIZE_LIMIT,
  blocksTextLength,
  validateBlocks,
  validateView,
} from './block-kit-limits';
import { SocketModeLink } from './slack-socket-mode';

export const SLACK_FIXTURES_DIR = path.resolve(__dirname, '../../../shared/fixtures/slack');

type Obj = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------------------

export interface EmulatorOptions {
  botToken: string;
  /** The app-level token (`xapp-…`) that may open Socket Mode connections. */
  appToken?: string;
  teamId?: string;
  botUserId?: string;
}

export interface EmulatedUser {
  id: string;
  name: string;
  realName: string;
  isAdmin: boolean;
  isBot: boolean;
}

export interface EmulatedChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isIm: boolean;
  /** Human members; the bot's membership is `botIsMember`. */
  members: string[];
  botIsMember: boolean;
  isArchived: boolean;
  created: number;
}

/** A message as Slack stores and returns it (conversations.replies, chat.postMessage's `message`). */
export interface SlackMessage {
  type: 'message';
  ts: string;
  text: string;
  user?: string;
  thread_ts?: string;
  blocks?: unknown[];
  files?: Obj[];
  [key: string]: unknown;
}

export interface RecordedCall {
  method: string;
  /** Arguments as the method saw them: form fields or JSON body, with JSON-encoded fields decoded. */
  args: Obj;
  headers: IncomingHttpHeaders;
  at: number;
}

export interface RecordedResponse {
  /** The response_url id (last path segment). */
  id: string;
  text?: string;
  blocks?: unknown;
  response_type?: string;
  replace_original?: boolean;
  delete_original?: boolean;
  thread_ts?: string;
  /** HTTP status the emulator answered (200 when accepted). */
  status: number;
  at: number;
}

export interface RecordedUpload {
  fileId: string;
  filename: string;
  title: string;
  bytes: Buffer;
  altText?: string;
  snippetType?: string;
  channelId?: string;
  threadTs?: string;
  initialComment?: string;
  /** The file object files.completeUploadExternal returned. */
  file: Obj;
}

export interface RecordedEphemeral {
  channel: string;
  user: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
}

export interface BlockKitViolation {
  /** Web API method, or `response_url`. */
  source: string;
  surface: Surface;
  errors: string[];
  at: number;
}

/** What `failNext` can do to the next request(s) of a method (or of the `response_url` / `upload` endpoints). */
export type SlackFault =
  | { status: 429; retryAfter: number }
  | { status: number }
  | { error: string; status?: number }
  | { delayMs: number };

export interface ResponseUrlContext {
  channelId?: string;
  userId?: string;
  /** The message an interaction came from; `replace_original` / `delete_original` act on it. */
  messageTs?: string;
}

export interface TriggerContext {
  userId?: string;
  /** The view an interaction came from; views.push stacks on it. */
  viewId?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Constants of Slack behaviour
// ---------------------------------------------------------------------------------------------------------------

const TRIGGER_TTL_MS = 3_000;
const RESPONSE_URL_TTL_MS = 30 * 60_000;
const RESPONSE_URL_MAX_USES = 5;
/** The root view plus two pushed views (views.push `push_limit_reached`). */
const VIEW_STACK_LIMIT = 3;
const TEAM_DOMAIN = 'caseops-test';
const TEAM_NAME = 'CaseOps Test';

/** Arguments Slack takes as JSON-encoded strings in a form body (the SDK stringifies every non-scalar). */
const JSON_STRING_ARGS = new Set(['blocks', 'attachments', 'metadata', 'unfurled_attachments', 'view', 'files']);

/**
 * Argument groups that the method descriptions state in prose ("one of …") rather than in `required`:
 * a message needs some content, a view call needs a trigger or a view reference.
 */
const ONE_OF_ARGS: Record<string, { args: string[]; error: string }> = {
  'chat.postMessage': { args: ['text', 'blocks', 'attachments', 'markdown_text'], error: 'no_text' },
  'chat.postEphemeral': { args: ['text', 'blocks', 'attachments', 'markdown_text'], error: 'no_text' },
  'chat.update': { args: ['text', 'blocks', 'attachments', 'markdown_text'], error: 'no_text' },
  'views.open': { args: ['trigger_id', 'interactivity_pointer'], error: 'invalid_arguments' },
  'views.push': { args: ['trigger_id', 'interactivity_pointer'], error: 'invalid_arguments' },
  'views.update': { args: ['view_id', 'external_id'], error: 'invalid_arguments' },
};

const MIME_TYPES: Record<string, string> = {
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  zip: 'application/zip',
};

// Slack answers an unauthenticated url_private request with its sign-in page (status 200), not an error.
const LOGIN_PAGE = '<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to Slack</body></html>';

// ---------------------------------------------------------------------------------------------------------------
// Method descriptions (fixtures) and argument checking
// ---------------------------------------------------------------------------------------------------------------

interface ArgSchema {
  type?: string;
  anyOf?: ArgSchema[];
  allOf?: ArgSchema[];
  items?: { required?: string[] };
  minimum?: number;
  maximum?: number;
}

interface MethodSpec {
  jsonInput: boolean;
  required: string[];
  properties: Record<string, ArgSchema>;
  errors: Record<string, { desc?: string }>;
}

function loadMethodSpecs(): Map<string, MethodSpec> {
  const dir = path.join(SLACK_FIXTURES_DIR, 'web-api', 'docs-slack-dev-methods');
  const specs = new Map<string, MethodSpec>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const doc = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
      json_input_supported?: boolean;
      args?: { required?: string[]; properties?: Record<string, ArgSchema> };
      errors?: Record<string, { desc?: string }>;
    };
    specs.set(file.slice(0, -'.json'.length), {
      jsonInput: doc.json_input_supported === true,
      required: (doc.args?.required ?? []).filter((arg) => arg !== 'token'),
      properties: doc.args?.properties ?? {},
      errors: doc.errors ?? {},
    });
  }
  return specs;
}

/** An `ok:false` answer; handlers throw it and the router turns it into Slack's error body. */
class PlatformError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Obj = {},
  ) {
    super(code);
  }
}

function errorWithMessages(code: string, messages: string[]): PlatformError {
  return new PlatformError(code, { response_metadata: { messages: messages.map((m) => `[ERROR] ${m}`) } });
}

function schemaTypes(schema: ArgSchema): string[] {
  const nested = [...(schema.anyOf ?? []), ...(schema.allOf ?? [])].flatMap(schemaTypes);
  return schema.type ? [schema.type, ...nested] : nested;
}

function isJsonArg(name: string, schema: ArgSchema | undefined): boolean {
  return JSON_STRING_ARGS.has(name) || (!!schema && schemaTypes(schema).some((t) => t === 'array' || t === 'object'));
}

/** Slack treats an empty value like an absent one, and a zero where the minimum is positive too. */
function isMissing(value: unknown, schema: ArgSchema | undefined): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value) && value.length === 0) return true;
  return schema?.minimum !== undefined && schema.minimum > 0 && Number(value) === 0;
}

/**
 * The error for a missing required argument. Methods that declare `missing_argument` use it; otherwise
 * Slack reports the error its docs describe for a bad value of that argument (e.g. "Value passed for
 * `channel` was invalid." → channel_not_found); failing both, `invalid_arguments`.
 */
function missingArgError(spec: MethodSpec, arg: string): PlatformError {
  const byDescription = Object.entries(spec.errors).find(
    ([, e]) => e.desc?.includes(`\`${arg}\``) && /invalid|missing|could not be found/i.test(e.desc),
  )?.[0];
  const code = spec.errors.missing_argument ? 'missing_argument' : (byDescription ?? 'invalid_arguments');
  return errorWithMessages(code, [`missing required field: ${arg}`]);
}

function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string' || typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean' || ['true', 'false', '1', '0'].includes(String(value));
    case 'integer':
      return Number.isInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value));
    case 'number':
      return (typeof value === 'number' || typeof value === 'string') && value !== '' && Number.isFinite(Number(value));
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return true;
  }
}

/** Describes what is wrong with one present argument, or returns undefined. */
function argProblem(arg: string, schema: ArgSchema, value: unknown, json: boolean): string | undefined {
  // JSON-encoded args are typed by their decoded value; a declared "string" there only means "encoded".
  const types = schemaTypes(schema).filter((t) => !json || t === 'array' || t === 'object');
  if (types.length > 0 && !types.some((t) => matchesType(value, t))) {
    return `invalid type for field: ${arg} (expected ${types.join(' or ')})`;
  }
  if (schema.minimum !== undefined && Number(value) < schema.minimum) return `${arg} must be at least ${schema.minimum}`;
  if (schema.maximum !== undefined && Number(value) > schema.maximum) return `${arg} must be at most ${schema.maximum}`;
  const itemKeys = schema.items?.required ?? [];
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const missing = itemKeys.find((key) => !isObject(item) || isMissing(item[key], undefined));
      if (missing) return `missing required field: ${arg}[${i}].${missing}`;
    }
  }
  return undefined;
}

function checkArgs(method: string, spec: MethodSpec, args: Obj, undecodable: Set<string>): PlatformError | undefined {
  for (const arg of spec.required) {
    if (isMissing(args[arg], spec.properties[arg])) return missingArgError(spec, arg);
  }
  const group = ONE_OF_ARGS[method];
  if (group && group.args.every((arg) => isMissing(args[arg], undefined))) {
    return errorWithMessages(group.error, [`missing required field: ${group.args[0]}`]);
  }
  for (const [arg, schema] of Object.entries(spec.properties)) {
    const value = args[arg];
    if (value === undefined) continue;
    if (undecodable.has(arg)) {
      // Slack names a dedicated error for some (invalid_blocks_format, invalid_metadata_format).
      const dedicated = `invalid_${arg}_format`;
      return errorWithMessages(spec.errors[dedicated] ? dedicated : 'invalid_arguments', [`invalid JSON in field: ${arg}`]);
    }
    const problem = argProblem(arg, schema, value, isJsonArg(arg, schema));
    if (problem) return errorWithMessages('invalid_arguments', [problem]);
  }
  return undefined;
}

/** Decodes the JSON-encoded fields of a form body; fields that fail to parse stay strings and are reported. */
function decodeJsonArgs(raw: Obj, spec: MethodSpec | undefined): { args: Obj; undecodable: Set<string> } {
  const args: Obj = { ...raw };
  const undecodable = new Set<string>();
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string' || !isJsonArg(key, spec?.properties[key])) continue;
    try {
      args[key] = JSON.parse(value);
    } catch {
      undecodable.add(key);
    }
  }
  return { args, undecodable };
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------------------

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string argument (numbers are accepted, as Slack reads every form value as text). */
function str(args: Obj, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function bool(args: Obj, key: string): boolean {
  return args[key] === true || args[key] === 'true' || args[key] === '1';
}

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

interface HttpReply {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

function jsonReply(body: unknown, status = 200, headers: Record<string, string> = {}): HttpReply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

function textReply(body: string, status: number, contentType = 'text/plain; charset=utf-8'): HttpReply {
  return { status, headers: { 'content-type': contentType }, body };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function bearerToken(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

interface MultipartPart {
  name: string;
  data: Buffer;
}

/** Parses a multipart/form-data body (RFC 7578) without touching the bytes of binary parts. */
function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const delimiter = Buffer.from(`--${boundary?.[1] ?? boundary?.[2] ?? ''}`);
  if (delimiter.length === 2) throw new Error('multipart body without boundary');
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') return parts;
    const next = body.indexOf(delimiter, start);
    if (next === -1) throw new Error('unterminated multipart body');
    const part = body.subarray(start + 2, next - 2); // strip the CRLFs around each part
    const headerEnd = part.indexOf('\r\n\r\n');
    const name = headerEnd === -1 ? undefined : /\bname="([^"]*)"/i.exec(part.subarray(0, headerEnd).toString('utf8'))?.[1];
    if (name === undefined) throw new Error('multipart part without a name');
    parts.push({ name, data: part.subarray(headerEnd + 4) });
    at = next;
  }
  throw new Error('multipart body without delimiter');
}

function parseJsonObject(body: Buffer): Obj | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Slack's opaque cursors are base64 of `<kind>:<key of the next item>` (e.g. `dXNlcjpVMDYxTkZUVDI=`). */
function paginate<T>(items: T[], args: Obj, kind: string, keyOf: (item: T) => string, defaultLimit: number) {
  const limit = args.limit === undefined ? defaultLimit : Number(args.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new PlatformError('invalid_limit');
  const cursor = str(args, 'cursor');
  let start = 0;
  if (cursor) {
    const [cursorKind, key] = Buffer.from(cursor, 'base64').toString('utf8').split(/:(.*)/s);
    start = cursorKind === kind ? items.findIndex((item) => keyOf(item) === key) : -1;
    if (start === -1) throw new PlatformError('invalid_cursor');
  }
  const page = items.slice(start, start + limit);
  const next = items[start + limit];
  const nextCursor = next === undefined ? '' : Buffer.from(`${kind}:${keyOf(next)}`).toString('base64');
  return { page, nextCursor };
}

// ---------------------------------------------------------------------------------------------------------------
// The emulator
// ---------------------------------------------------------------------------------------------------------------

interface TriggerRecord extends TriggerContext {
  mintedAt: number;
  used: boolean;
}

interface ResponseUrlRecord extends ResponseUrlContext {
  mintedAt: number;
  uses: number;
}

interface PendingUpload {
  filename: string;
  length: number;
  altText?: string;
  snippetType?: string;
  bytes?: Buffer;
}

interface StoredFile {
  file: Obj;
  bytes: Buffer;
}

interface StoredView {
  view: Obj;
  userId?: string;
}

type Handler = (args: Obj) => Obj;

export class SlackEmulator {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  readonly uploads: RecordedUpload[] = [];
  readonly ephemeralMessages: RecordedEphemeral[] = [];
  /** Every Block Kit rejection; e2e tests assert this stays empty. */
  readonly blockKitViolations: BlockKitViolation[] = [];

  readonly teamId: string;
  readonly teamDomain = TEAM_DOMAIN;
  readonly botUserId: string;
  readonly botId = 'B0CASEOPS';
  readonly appId = 'A0CASEOPS';
  readonly botToken: string;
  readonly appToken: string | undefined;
  /** Slack's Socket Mode side: the WebSocket the app connects to, and the envelopes sent over it. */
  readonly socketMode: SocketModeLink;

  private readonly users = new Map<string, EmulatedUser>();
  private readonly channels = new Map<string, EmulatedChannel>();
  private readonly messages = new Map<string, SlackMessage[]>();
  private readonly views = new Map<string, StoredView>();
  private readonly triggers = new Map<string, TriggerRecord>();
  private readonly responseUrls = new Map<string, ResponseUrlRecord>();
  private readonly pendingUploads = new Map<string, PendingUpload>();
  private readonly files = new Map<string, StoredFile>();
  private readonly faults = new Map<string, SlackFault[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly handlers: Record<string, Handler>;
  private clockOffsetMs = 0;
  private lastTsMicros = 0;
  private idCounter = 0;
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
    this.handlers = {
      'auth.test': () => this.authTest(),
      'apps.connections.open': () => ({ ok: true, url: this.socketMode.openUrl() }),
      'chat.postMessage': (a) => this.chatPostMessage(a),
      'chat.postEphemeral': (a) => this.chatPostEphemeral(a),
      'chat.update': (a) => this.chatUpdate(a),
      'chat.getPermalink': (a) => this.chatGetPermalink(a),
      'conversations.info': (a) => this.conversationsInfo(a),
      'conversations.members': (a) => this.conversationsMembers(a),
      'conversations.replies': (a) => this.conversationsReplies(a),
      'users.info': (a) => this.usersInfo(a),
      'views.open': (a) => this.viewsOpen(a),
      'views.push': (a) => this.viewsPush(a),
      'views.update': (a) => this.viewsUpdate(a),
      'views.publish': (a) => this.viewsPublish(a),
      'files.getUploadURLExternal': (a) => this.filesGetUploadUrlExternal(a),
      'files.completeUploadExternal': (a) => this.filesCompleteUploadExternal(a),
      'files.info': (a) => this.filesInfo(a),
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
    this.timers.forEach(clearTimeout);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Workspace set-up
  // -------------------------------------------------------------------------------------------------------------

  private seedWorkspace(): void {
    this.users.set(this.botUserId, { id: this.botUserId, name: 'caseops', realName: 'CaseOps', isAdmin: false, isBot: true });
    this.addUser({ id: 'U0ALICE', name: 'alice', realName: 'Alice Analyst' });
    this.addUser({ id: 'U0BOB', name: 'bob', realName: 'Bob Responder' });
    this.addUser({ id: 'U0CAROL', name: 'carol', realName: 'Carol Lead' });
    this.addChannel({ id: 'C0PUBLIC', name: 'soc', members: ['U0ALICE', 'U0BOB', 'U0CAROL'] });
  }

  addUser(user: { id: string; name: string; realName?: string; isAdmin?: boolean }): EmulatedUser {
    const stored = {
      id: user.id,
      name: user.name,
      realName: user.realName ?? user.name,
      isAdmin: user.isAdmin ?? false,
      isBot: false,
    };
    this.users.set(user.id, stored);
    return stored;
  }

  addChannel(channel: {
    id: string;
    name: string;
    isPrivate?: boolean;
    members?: string[];
    botIsMember?: boolean;
    isArchived?: boolean;
  }): EmulatedChannel {
    const stored: EmulatedChannel = {
      id: channel.id,
      name: channel.name,
      isPrivate: channel.isPrivate ?? false,
      isIm: false,
      members: [...(channel.members ?? [])],
      botIsMember: channel.botIsMember ?? true,
      isArchived: channel.isArchived ?? false,
      created: Math.floor(this.now() / 1000),
    };
    this.channels.set(channel.id, stored);
    return stored;
  }

  /** A message some user posted, e.g. the target of a message shortcut or a thread to reply in. */
  addMessage(message: { channel: string; user: string; text: string; threadTs?: string; blocks?: unknown[] }): SlackMessage {
    const channel = this.requireChannel(message.channel);
    const fields = { user: message.user, text: message.text, blocks: message.blocks, client_msg_id: randomToken(16) };
    return this.storeMessage(channel, fields, message.threadTs);
  }

  /** A file a user shared; with `channel`, it is also posted there as a `file_share` message. */
  addUserFile(file: { name: string; mimetype: string; bytes: Buffer; channel?: string; user?: string; threadTs?: string }): Obj {
    const userId = file.user ?? 'U0ALICE';
    const stored = this.storeFile(this.nextId('F'), file.name, file.name, file.mimetype, file.bytes, userId);
    if (file.channel) {
      this.shareFiles([stored], this.requireChannel(file.channel), { user: userId, subtype: 'file_share', text: '' }, file.threadTs);
    }
    return structuredClone(stored.file);
  }

  mintTriggerId(context: TriggerContext = {}): string {
    const id = `${Math.floor(this.now() / 1000)}.${++this.idCounter}.${randomToken(16)}`;
    this.triggers.set(id, { ...context, mintedAt: this.now(), used: false });
    return id;
  }

  mintResponseUrl(context: ResponseUrlContext = {}): string {
    const id = `${++this.idCounter}${randomToken(12)}`;
    this.responseUrls.set(id, { ...context, mintedAt: this.now(), uses: 0 });
    return `${this.baseUrl}/respond/${id}`;
  }

  /** Moves the emulator's clock forward, to expire trigger ids (3 s) and response URLs (30 min) without waiting. */
  advanceTime(ms: number): void {
    this.clockOffsetMs += ms;
  }

  getUser(id: string): EmulatedUser | undefined {
    return this.users.get(id);
  }

  getChannel(id: string): EmulatedChannel | undefined {
    return this.channels.get(id);
  }

  /** The id of the newest modal opened or pushed, for tests that then act inside it. */
  latestModalId(): string | undefined {
    return [...this.views.entries()].filter(([, stored]) => stored.view.type === 'modal').at(-1)?.[0];
  }

  getView(id: string): Obj | undefined {
    const stored = this.views.get(id);
    return stored && structuredClone(stored.view);
  }

  /** The App Home view last published for a user (views.publish), as Slack shows it to them. */
  homeViewOf(userId: string): Obj | undefined {
    const stored = [...this.views.values()].find((entry) => entry.view.type === 'home' && entry.userId === userId);
    return stored && structuredClone(stored.view);
  }

  findMessage(channel: string, ts: string): SlackMessage | undefined {
    const found = this.messages.get(channel)?.find((m) => m.ts === ts);
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
    const all = this.messages.get(channel) ?? [];
    const selected = options.threadTs ? all.filter((m) => m.thread_ts === options.threadTs && m.ts !== options.threadTs) : all;
    return structuredClone(selected);
  }

  /** Clears what the app did (calls, responses, messages, uploads, violations, pending faults); keeps the workspace. */
  /** Clears the recordings and pending faults. Messages stay, as in Slack: cards posted earlier can still be edited. */
  reset(): void {
    for (const list of [this.calls, this.responses, this.uploads, this.ephemeralMessages, this.blockKitViolations]) {
      list.length = 0;
    }
    this.faults.clear();
  }

  /** Forgets every message, for tests that share one emulator and want empty channels. */
  forgetMessages(): void {
    this.messages.clear();
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

  /** Makes the next `times` requests to `method` (or `'response_url'` / `'upload'`) fail or stall. */
  failNext(method: string, fault: SlackFault, times = 1): void {
    const queue = this.faults.get(method) ?? [];
    queue.push(...Array.from({ length: times }, () => fault));
    this.faults.set(method, queue);
  }

  /**
   * Applies the next queued fault for `target`: a delay returns undefined after waiting (the request then
   * proceeds normally); anything else becomes the reply. Web API errors are HTTP 200 `ok:false`; the
   * hooks-style endpoints (response_url, upload) report errors with a non-2xx status, as Slack's hooks do.
   */
  private async takeFault(target: string, isWebApi: boolean): Promise<HttpReply | undefined> {
    const fault = this.faults.get(target)?.shift();
    if (!fault) return undefined;
    if ('delayMs' in fault) {
      await this.sleep(fault.delayMs);
      return undefined;
    }
    if ('error' in fault) return jsonReply({ ok: false, error: fault.error }, fault.status ?? (isWebApi ? 200 : 400));
    if ('retryAfter' in fault) return jsonReply({ ok: false, error: 'ratelimited' }, 429, { 'retry-after': String(fault.retryAfter) });
    return jsonReply({ ok: false, error: fault.status === 429 ? 'ratelimited' : 'internal_error' }, fault.status);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
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
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  }

  private dispatch(req: IncomingMessage, url: URL, body: Buffer): Promise<HttpReply> | HttpReply {
    // The Web API takes GET and POST alike; the other endpoints take one verb.
    const route = (pattern: RegExp, method?: string) => (!method || req.method === method ? pattern.exec(url.pathname) : null);
    const api = route(/^\/api\/([\w.]+)$/);
    if (api?.[1]) return this.handleApi(api[1], req, url, body);
    const upload = route(/^\/upload\/(F\w+)$/, 'POST');
    if (upload?.[1]) return this.handleUpload(upload[1], req, body);
    const respond = route(/^\/respond\/(\w+)$/, 'POST');
    if (respond?.[1]) return this.handleResponseUrl(respond[1], body);
    const download = route(/^\/files-pri\/[^/]+-(F\w+)\/(?:download\/)?([^/]+)$/, 'GET');
    if (download?.[1] && download[2]) return this.handleDownload(download[1], decodeURIComponent(download[2]), req);
    return textReply('not_found', 404);
  }

  private async handleApi(method: string, req: IncomingMessage, url: URL, body: Buffer): Promise<HttpReply> {
    const spec = this.specs.get(method);
    const parsed = this.parseApiRequest(req, url, body, spec);
    const { args, undecodable } = decodeJsonArgs(parsed.args, spec);
    this.calls.push({ method, args, headers: req.headers, at: this.now() });

    const fault = await this.takeFault(method, true);
    if (fault) return fault;
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

  // -------------------------------------------------------------------------------------------------------------
  // Conversations, messages and Block Kit checks shared by the handlers
  // -------------------------------------------------------------------------------------------------------------

  private now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Slack-style ids: a type prefix and uppercase alphanumerics, unique within this emulator. */
  private nextId(prefix: string): string {
    return `${prefix}${(++this.idCounter).toString(36).toUpperCase().padStart(9, '0')}`;
  }

  /** Message timestamps: unique and increasing, `seconds.micros` like `1732780000.000100`. */
  private nextTs(): string {
    this.lastTsMicros = Math.max(this.now() * 1000, this.lastTsMicros + 1);
    return `${Math.floor(this.lastTsMicros / 1e6)}.${String(this.lastTsMicros % 1e6).padStart(6, '0')}`;
  }

  private requireChannel(id: string): EmulatedChannel {
    const channel = this.channels.get(id);
    if (!channel) throw new Error(`SlackEmulator: unknown channel ${id}; add it with addChannel() first`);
    return channel;
  }

  /** A conversation by id, by name (`#soc` or `soc`), or by user id (the app's DM with that user). */
  private resolveConversation(ref: string | undefined): EmulatedChannel | undefined {
    if (!ref) return undefined;
    const byId = this.channels.get(ref);
    if (byId) return byId;
    const name = ref.replace(/^#/, '');
    const byName = [...this.channels.values()].find((c) => !c.isIm && c.name === name);
    if (byName) return byName;
    const user = this.users.get(ref);
    if (!user || user.isBot) return undefined;
    const dm: EmulatedChannel = {
      id: `D${user.id.slice(1)}`,
      name: user.id,
      isPrivate: true,
      isIm: true,
      members: [user.id],
      botIsMember: true,
      isArchived: false,
      created: Math.floor(this.now() / 1000),
    };
    this.channels.set(dm.id, dm);
    return dm;
  }

  /** A conversation the bot can read: private ones it is not in do not exist as far as it can tell. */
  private visibleConversation(ref: string | undefined): EmulatedChannel {
    const channel = this.resolveConversation(ref);
    if (!channel || (channel.isPrivate && !channel.botIsMember)) throw new PlatformError('channel_not_found');
    return channel;
  }

  /**
   * A conversation the bot can post in. Messages may go to public channels it has not joined, because
   * caseops's manifest (manifests/slack-app.json) requests chat:write.public; sharing files always needs
   * membership (files.completeUploadExternal: "User/bot membership is required").
   */
  private postableConversation(ref: string | undefined, purpose: 'message' | 'file'): EmulatedChannel {
    const channel = this.resolveConversation(ref);
    if (!channel) throw new PlatformError('channel_not_found');
    if (channel.isArchived) throw new PlatformError('is_archived');
    const publicPost = purpose === 'message' && !channel.isPrivate;
    if (!channel.botIsMember && !publicPost) throw new PlatformError('not_in_channel');
    return channel;
  }

  private findInChannel(channel: EmulatedChannel, ts: string | undefined): SlackMessage | undefined {
    return this.messages.get(channel.id)?.find((m) => m.ts === ts);
  }

  /** Fields every message the bot posts carries. */
  private botAuthor(): Obj {
    return {
      user: this.botUserId,
      bot_id: this.botId,
      app_id: this.appId,
      bot_profile: { id: this.botId, app_id: this.appId, name: 'CaseOps', deleted: false, team_id: this.teamId },
    };
  }

  /**
   * Stores a message; with `threadTs` it becomes a reply and its parent gains thread bookkeeping. A reply's
   * ts given as `threadTs` is mapped to its parent, as Slack does.
   */
  private storeMessage(channel: EmulatedChannel, fields: Obj, threadTs?: string): SlackMessage {
    const list = this.messages.get(channel.id) ?? [];
    this.messages.set(channel.id, list);
    const target = threadTs ? list.find((m) => m.ts === threadTs) : undefined;
    const rootTs = target?.thread_ts ?? threadTs;
    const parent = list.find((m) => m.ts === rootTs);
    const message: SlackMessage = {
      type: 'message',
      ts: this.nextTs(),
      text: '',
      team: this.teamId,
      ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
      ...(rootTs && { thread_ts: rootTs }),
      ...(parent?.user !== undefined && { parent_user_id: parent.user }),
    };
    list.push(message);
    if (parent && message.user) {
      const replyUsers = new Set([...((parent.reply_users as string[] | undefined) ?? []), message.user]);
      Object.assign(parent, {
        thread_ts: parent.ts,
        reply_count: ((parent.reply_count as number | undefined) ?? 0) + 1,
        reply_users: [...replyUsers],
        reply_users_count: replyUsers.size,
        latest_reply: message.ts,
      });
    }
    return message;
  }

  private recordViolation(source: string, surface: Surface, errors: string[]): void {
    this.blockKitViolations.push({ source, surface, errors, at: this.now() });
  }

  /** Slack fills in a random `block_id` on every block that has none. */
  private withBlockIds(blocks: unknown): unknown {
    if (!Array.isArray(blocks)) return blocks;
    return blocks.map((block) =>
      isObject(block) && block.block_id === undefined ? { ...block, block_id: randomBytes(3).toString('base64') } : block,
    );
  }

  /**
   * Checks message content (chat.* and response_url posts) and returns the fields to store, plus the
   * truncation warning Slack adds when `text` exceeds 40,000 characters.
   */
  private messageContent(input: Obj, source: string): { fields: Obj; responseMetadata?: Obj } {
    if (input.markdown_text !== undefined && (input.text !== undefined || input.blocks !== undefined)) {
      throw new PlatformError('markdown_text_conflict');
    }
    if (input.blocks !== undefined) {
      if (!Array.isArray(input.blocks)) {
        throw errorWithMessages('invalid_blocks_format', ['must provide an array [json-pointer:/blocks]']);
      }
      const errors = validateBlocks(input.blocks, 'message');
      if (errors.length > 0) {
        this.recordViolation(source, 'message', errors);
        throw new PlatformError('invalid_blocks', { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });
      }
      if (blocksTextLength(input.blocks) > MESSAGE_BLOCKS_TEXT_LIMIT) {
        this.recordViolation(source, 'message', [`blocks carry more than ${MESSAGE_BLOCKS_TEXT_LIMIT} characters of text`]);
        throw new PlatformError('msg_blocks_too_long');
      }
    }
    const text = typeof input.text === 'string' ? input.text : typeof input.markdown_text === 'string' ? input.markdown_text : '';
    const truncated = text.length > MESSAGE_TEXT_LIMIT;
    return {
      fields: {
        text: truncated ? text.slice(0, MESSAGE_TEXT_LIMIT) : text,
        blocks: this.withBlockIds(input.blocks),
        attachments: input.attachments,
      },
      responseMetadata: truncated
        ? {
            warnings: ['message_truncated'],
            messages: [`[WARN] Your message was truncated: text is limited to ${MESSAGE_TEXT_LIMIT} characters`],
          }
        : undefined,
    };
  }

  /** Checks a view for views.* calls; Slack reports view problems as `invalid_arguments`. */
  private checkView(view: unknown, surface: 'modal' | 'home', source: string): Obj {
    const errors = validateView(view, surface);
    if (errors.length > 0) {
      this.recordViolation(source, surface, errors);
      throw errorWithMessages('invalid_arguments', errors);
    }
    if (JSON.stringify(view).length > VIEW_SIZE_LIMIT) throw new PlatformError('view_too_large');
    return view as Obj;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Web API methods
  // -------------------------------------------------------------------------------------------------------------

  private authTest(): Obj {
    return {
      ok: true,
      url: `https://${this.teamDomain}.slack.com/`,
      team: TEAM_NAME,
      user: this.users.get(this.botUserId)?.name,
      team_id: this.teamId,
      user_id: this.botUserId,
      bot_id: this.botId,
      is_enterprise_install: false,
    };
  }

  private chatPostMessage(args: Obj): Obj {
    const channel = this.postableConversation(str(args, 'channel'), 'message');
    const { fields, responseMetadata } = this.messageContent(args, 'chat.postMessage');
    const message = this.storeMessage(channel, { ...this.botAuthor(), ...fields }, str(args, 'thread_ts'));
    return {
      ok: true,
      channel: channel.id,
      ts: message.ts,
      message: structuredClone(message),
      ...(responseMetadata && { response_metadata: responseMetadata }),
    };
  }

  private chatPostEphemeral(args: Obj): Obj {
    const channel = this.postableConversation(str(args, 'channel'), 'message');
    const user = str(args, 'user') ?? '';
    if (!channel.members.includes(user)) throw new PlatformError('user_not_in_channel');
    const { fields } = this.messageContent(args, 'chat.postEphemeral');
    const ts = this.nextTs();
    this.ephemeralMessages.push({
      channel: channel.id,
      user,
      ts,
      text: fields.text as string,
      blocks: fields.blocks as unknown[] | undefined,
      thread_ts: str(args, 'thread_ts'),
    });
    return { ok: true, message_ts: ts };
  }

  private chatUpdate(args: Obj): Obj {
    const channel = this.visibleConversation(str(args, 'channel'));
    const message = this.findInChannel(channel, str(args, 'ts'));
    if (!message) throw new PlatformError('message_not_found');
    if (channel.isArchived) throw new PlatformError('is_inactive');
    if (message.user !== this.botUserId) throw new PlatformError('cant_update_message');
    const { fields, responseMetadata } = this.messageContent(args, 'chat.update');
    this.editMessage(message, fields, 'merge');
    return {
      ok: true,
      channel: channel.id,
      ts: message.ts,
      text: message.text,
      message: structuredClone(message),
      ...(responseMetadata && { response_metadata: responseMetadata }),
    };
  }

  /**
   * Edits a stored message. chat.update merges (omitted blocks/attachments keep their value, as Slack
   * documents); a response_url `replace_original` replaces the whole message.
   */
  private editMessage(message: SlackMessage, fields: Obj, mode: 'merge' | 'replace'): void {
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) message[key] = value;
      else if (mode === 'replace') delete message[key];
    }
    message.edited = { user: this.botUserId, ts: this.nextTs() };
  }

  private chatGetPermalink(args: Obj): Obj {
    const channel = this.visibleConversation(str(args, 'channel'));
    const message = this.findInChannel(channel, str(args, 'message_ts'));
    if (!message) throw new PlatformError('message_not_found');
    const base = `https://${this.teamDomain}.slack.com/archives/${channel.id}/p${message.ts.replace('.', '')}`;
    const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
    return {
      ok: true,
      channel: channel.id,
      permalink: isReply ? `${base}?thread_ts=${message.thread_ts}&cid=${channel.id}` : base,
    };
  }

  private conversationsInfo(args: Obj): Obj {
    const channel = this.visibleConversation(str(args, 'channel'));
    return { ok: true, channel: this.channelObject(channel, bool(args, 'include_num_members')) };
  }

  private channelObject(channel: EmulatedChannel, includeNumMembers: boolean): Obj {
    if (channel.isIm) {
      const [user] = channel.members;
      return { id: channel.id, created: channel.created, is_im: true, is_org_shared: false, user, is_user_deleted: false, priority: 0 };
    }
    // Legacy private channels have G ids and report is_group; newer private channels are C ids with is_private.
    const isGroup = channel.isPrivate && channel.id.startsWith('G');
    const blank = { value: '', creator: '', last_set: 0 };
    return {
      id: channel.id,
      name: channel.name,
      is_channel: !isGroup,
      is_group: isGroup,
      is_im: false,
      is_mpim: false,
      is_private: channel.isPrivate,
      created: channel.created,
      is_archived: channel.isArchived,
      is_general: false,
      unlinked: 0,
      name_normalized: channel.name,
      is_shared: false,
      is_org_shared: false,
      is_ext_shared: false,
      is_pending_ext_shared: false,
      pending_shared: [],
      context_team_id: this.teamId,
      updated: channel.created * 1000,
      creator: channel.members[0] ?? this.botUserId,
      is_member: channel.botIsMember,
      topic: blank,
      purpose: blank,
      previous_names: [],
      ...(includeNumMembers && { num_members: this.memberIds(channel).length }),
    };
  }

  private memberIds(channel: EmulatedChannel): string[] {
    return channel.botIsMember ? [...channel.members, this.botUserId] : [...channel.members];
  }

  private conversationsMembers(args: Obj): Obj {
    const channel = this.visibleConversation(str(args, 'channel'));
    const { page, nextCursor } = paginate(this.memberIds(channel), args, 'user', (id) => id, 100);
    return { ok: true, members: page, response_metadata: { next_cursor: nextCursor } };
  }

  private conversationsReplies(args: Obj): Obj {
    const channel = this.visibleConversation(str(args, 'channel'));
    const message = this.findInChannel(channel, str(args, 'ts'));
    if (!message) throw new PlatformError('thread_not_found');
    const rootTs = message.thread_ts ?? message.ts;
    const thread = (this.messages.get(channel.id) ?? []).filter((m) => m.ts === rootTs || m.thread_ts === rootTs);
    const { page, nextCursor } = paginate(thread, args, 'ts', (m) => m.ts, 1000);
    return { ok: true, messages: structuredClone(page), has_more: nextCursor !== '', response_metadata: { next_cursor: nextCursor } };
  }

  private usersInfo(args: Obj): Obj {
    const user = this.users.get(str(args, 'user') ?? '');
    if (!user) throw new PlatformError('user_not_found');
    const [firstName, ...rest] = user.realName.split(' ');
    return {
      ok: true,
      user: {
        id: user.id,
        team_id: this.teamId,
        name: user.name,
        deleted: false,
        color: '9f69e7',
        real_name: user.realName,
        tz: 'Europe/London',
        tz_label: 'Greenwich Mean Time',
        tz_offset: 0,
        profile: {
          real_name: user.realName,
          real_name_normalized: user.realName,
          display_name: user.name,
          display_name_normalized: user.name,
          first_name: firstName,
          last_name: rest.join(' '),
          title: '',
          phone: '',
          status_text: '',
          status_emoji: '',
          team: this.teamId,
          ...(user.isBot && { bot_id: this.botId, api_app_id: this.appId, always_active: true }),
        },
        is_admin: user.isAdmin,
        is_owner: false,
        is_primary_owner: false,
        is_restricted: false,
        is_ultra_restricted: false,
        is_bot: user.isBot,
        is_app_user: false,
        updated: Math.floor(this.now() / 1000),
      },
    };
  }

  // Views ----------------------------------------------------------------------------------------------------------

  /** A trigger id may be exchanged once, within 3 seconds of the interaction that minted it. */
  private exchangeTrigger(args: Obj): TriggerRecord {
    const trigger = this.triggers.get(str(args, 'trigger_id') ?? str(args, 'interactivity_pointer') ?? '');
    if (!trigger) throw new PlatformError('invalid_trigger_id');
    if (trigger.used) throw new PlatformError('exchanged_trigger_id');
    if (this.now() - trigger.mintedAt > TRIGGER_TTL_MS) throw new PlatformError('expired_trigger_id');
    trigger.used = true;
    return trigger;
  }

  private assertExternalIdFree(view: Obj, exceptId?: string): void {
    const externalId = view.external_id;
    if (typeof externalId !== 'string' || externalId === '') return;
    for (const [id, stored] of this.views) {
      if (id !== exceptId && stored.view.external_id === externalId) throw new PlatformError('duplicate_external_id');
    }
  }

  /** Builds and stores the view object Slack returns, keeping identity fields of the view it replaces. */
  private saveView(input: Obj, identity: { id: string; rootViewId: string; previousViewId: string | null; userId?: string }): Obj {
    const view: Obj = {
      id: identity.id,
      team_id: this.teamId,
      type: input.type,
      blocks: this.withBlockIds(input.blocks),
      private_metadata: input.private_metadata ?? '',
      callback_id: input.callback_id ?? '',
      state: { values: {} },
      hash: `${Math.floor(this.now() / 1000)}.${randomBytes(6).toString('base64url')}`,
      title: input.title,
      clear_on_close: input.clear_on_close ?? false,
      notify_on_close: input.notify_on_close ?? false,
      close: input.close ?? null,
      submit: input.submit ?? null,
      previous_view_id: identity.previousViewId,
      root_view_id: identity.rootViewId,
      app_id: this.appId,
      external_id: input.external_id ?? '',
      app_installed_team_id: this.teamId,
      bot_id: this.botId,
    };
    this.views.set(identity.id, { view, userId: identity.userId });
    return { ok: true, view: structuredClone(view) };
  }

  private viewsOpen(args: Obj): Obj {
    const view = this.checkView(args.view, 'modal', 'views.open');
    this.assertExternalIdFree(view);
    const trigger = this.exchangeTrigger(args);
    const id = this.nextId('V');
    return this.saveView(view, { id, rootViewId: id, previousViewId: null, userId: trigger.userId });
  }

  private viewsPush(args: Obj): Obj {
    const view = this.checkView(args.view, 'modal', 'views.push');
    this.assertExternalIdFree(view);
    const trigger = this.exchangeTrigger(args);
    const parent = trigger.viewId ? this.views.get(trigger.viewId) : undefined;
    if (trigger.viewId && !parent) throw new PlatformError('not_found');
    if (trigger.viewId && this.stackDepth(trigger.viewId) >= VIEW_STACK_LIMIT) throw new PlatformError('push_limit_reached');
    const id = this.nextId('V');
    const rootViewId = parent ? String(parent.view.root_view_id) : id;
    return this.saveView(view, { id, rootViewId, previousViewId: trigger.viewId ?? null, userId: trigger.userId });
  }

  /** How many views are stacked up to and including `viewId`. */
  private stackDepth(viewId: string): number {
    let depth = 0;
    for (let view = this.views.get(viewId)?.view; view; view = this.views.get(String(view.previous_view_id))?.view) depth += 1;
    return depth;
  }

  private viewsUpdate(args: Obj): Obj {
    const viewId = str(args, 'view_id');
    const externalId = str(args, 'external_id');
    const entry = [...this.views.entries()].find(([id, s]) => (viewId ? id === viewId : s.view.external_id === externalId));
    if (!entry) throw new PlatformError('not_found');
    const [id, stored] = entry;
    const hash = str(args, 'hash');
    if (hash !== undefined && hash !== stored.view.hash) throw new PlatformError('hash_conflict');
    const view = this.checkView(args.view, stored.view.type === 'home' ? 'home' : 'modal', 'views.update');
    this.assertExternalIdFree(view, id);
    return this.saveView(
      { ...view, external_id: view.external_id ?? stored.view.external_id },
      {
        id,
        rootViewId: String(stored.view.root_view_id),
        previousViewId: stored.view.previous_view_id as string | null,
        userId: stored.userId,
      },
    );
  }

  private viewsPublish(args: Obj): Obj {
    const userId = str(args, 'user_id') ?? '';
    if (!this.users.has(userId)) throw errorWithMessages('invalid_arguments', ['invalid `user_id`']);
    const view = this.checkView(args.view, 'home', 'views.publish');
    const existing = [...this.views.entries()].find(([, s]) => s.view.type === 'home' && s.userId === userId);
    const hash = str(args, 'hash');
    if (existing && hash !== undefined && hash !== existing[1].view.hash) throw new PlatformError('hash_conflict');
    const id = existing?.[0] ?? this.nextId('V');
    this.assertExternalIdFree(view, id);
    return this.saveView(view, { id, rootViewId: id, previousViewId: null, userId });
  }

  // Files -----------------------------------------------------------------------------------------------------------

  private filesGetUploadUrlExternal(args: Obj): Obj {
    const fileId = this.nextId('F');
    this.pendingUploads.set(fileId, {
      filename: str(args, 'filename') ?? '',
      length: Number(args.length),
      // The docs name the argument alt_txt; @slack/web-api sends alt_text. Both reach Slack.
      altText: str(args, 'alt_text') ?? str(args, 'alt_txt'),
      snippetType: str(args, 'snippet_type'),
    });
    return { ok: true, upload_url: `${this.baseUrl}/upload/${fileId}`, file_id: fileId };
  }

  /**
   * The upload URL: needs the bot token, takes multipart (one part named `body`) or raw bytes, and must
   * receive exactly the announced `length`. Any failure is a non-200, which @slack/web-api treats as fatal.
   */
  private async handleUpload(fileId: string, req: IncomingMessage, body: Buffer): Promise<HttpReply> {
    const fault = await this.takeFault('upload', false);
    if (fault) return fault;
    const pending = this.pendingUploads.get(fileId);
    if (!pending) return textReply('not_found', 404);
    if (bearerToken(req) !== this.botToken) return textReply('invalid_auth', 401);
    let bytes = body;
    if (mediaType(req) === 'multipart/form-data') {
      const part = parseMultipart(body, req.headers['content-type'] ?? '').find((p) => p.name === 'body');
      if (!part) return textReply('missing part named body', 400);
      bytes = part.data;
    }
    if (bytes.length !== pending.length) return textReply(`length mismatch: announced ${pending.length}, got ${bytes.length}`, 400);
    pending.bytes = Buffer.from(bytes);
    return textReply(`OK - ${bytes.length}`, 200);
  }

  private filesCompleteUploadExternal(args: Obj): Obj {
    const uploads = (args.files as Array<{ id: string; title?: string }>).map((entry) => {
      const pending = this.pendingUploads.get(entry.id);
      if (!pending?.bytes) throw new PlatformError('file_not_found');
      return { id: entry.id, title: entry.title ?? pending.filename, pending, bytes: pending.bytes };
    });
    const channelId = str(args, 'channel_id') ?? str(args, 'channels')?.split(',')[0];
    const channel = channelId === undefined ? undefined : this.postableConversation(channelId, 'file');
    const threadTs = channel ? str(args, 'thread_ts') : undefined;
    const initialComment = str(args, 'initial_comment');
    // Slack ignores `blocks` when `initial_comment` is given.
    const content =
      initialComment === undefined && args.blocks !== undefined
        ? this.messageContent({ blocks: args.blocks }, 'files.completeUploadExternal').fields
        : { text: initialComment ?? '' };

    const stored = uploads.map(({ id, title, pending, bytes }) => {
      this.pendingUploads.delete(id);
      const file = this.storeFile(id, pending.filename, title, undefined, bytes, this.botUserId, pending.altText);
      this.uploads.push({
        fileId: id,
        filename: pending.filename,
        title,
        bytes,
        altText: pending.altText,
        snippetType: pending.snippetType,
        channelId: channel?.id,
        threadTs,
        initialComment,
        file: file.file,
      });
      return file;
    });
    if (channel) this.shareFiles(stored, channel, { ...this.botAuthor(), ...content, upload: true }, threadTs);
    return { ok: true, files: stored.map((s) => structuredClone(s.file)) };
  }

  private storeFile(
    id: string,
    name: string,
    title: string,
    mimetype: string | undefined,
    bytes: Buffer,
    userId: string,
    altText?: string,
  ): StoredFile {
    const extension = path.extname(name).slice(1).toLowerCase();
    const created = Math.floor(this.now() / 1000);
    const filesPri = `${this.baseUrl}/files-pri/${this.teamId}-${id}`;
    const file: Obj = {
      id,
      created,
      timestamp: created,
      name,
      title,
      mimetype: mimetype ?? MIME_TYPES[extension] ?? 'application/octet-stream',
      filetype: extension || 'binary',
      pretty_type: extension.toUpperCase() || 'Binary',
      user: userId,
      user_team: this.teamId,
      editable: false,
      size: bytes.length,
      mode: 'hosted',
      is_external: false,
      external_type: '',
      is_public: false,
      public_url_shared: false,
      display_as_bot: false,
      username: '',
      url_private: `${filesPri}/${encodeURIComponent(name)}`,
      url_private_download: `${filesPri}/download/${encodeURIComponent(name)}`,
      permalink: `https://${this.teamDomain}.slack.com/files/${userId}/${id}/${encodeURIComponent(name)}`,
      permalink_public: `https://slack-files.com/${this.teamId}-${id}-${randomToken(5)}`,
      comments_count: 0,
      is_starred: false,
      shares: {},
      channels: [],
      groups: [],
      ims: [],
      has_more_shares: false,
      has_rich_preview: false,
      file_access: 'visible',
      ...(altText !== undefined && { alt_txt: altText }),
    };
    const stored = { file, bytes: Buffer.from(bytes) };
    this.files.set(id, stored);
    return stored;
  }

  /** Posts one message carrying the files and records the share on each file object. */
  private shareFiles(files: StoredFile[], channel: EmulatedChannel, fields: Obj, threadTs?: string): void {
    const message = this.storeMessage(channel, { ...fields, files: files.map((f) => f.file) }, threadTs);
    const visibility = channel.isPrivate ? 'private' : 'public';
    const list = channel.isIm ? 'ims' : channel.isPrivate ? 'groups' : 'channels';
    for (const { file } of files) {
      const shares = file.shares as Record<string, Record<string, Obj[]>>;
      const share = {
        ts: message.ts,
        channel_name: channel.name,
        team_id: this.teamId,
        share_user_id: message.user,
        ...(message.thread_ts && { thread_ts: message.thread_ts }),
      };
      shares[visibility] = { ...shares[visibility], [channel.id]: [share] };
      (file[list] as string[]).push(channel.id);
      file.is_public = file.is_public === true || visibility === 'public';
    }
  }

  private filesInfo(args: Obj): Obj {
    const stored = this.files.get(str(args, 'file') ?? '');
    if (!stored) throw new PlatformError('file_not_found');
    return { ok: true, file: structuredClone(stored.file), comments: [], response_metadata: { next_cursor: '' } };
  }

  /** `url_private` downloads: bytes with the bot token, Slack's login page without one, 403 with a wrong one. */
  private handleDownload(fileId: string, name: string, req: IncomingMessage): HttpReply {
    const stored = this.files.get(fileId);
    if (!stored || stored.file.name !== name) return textReply('not_found', 404);
    const token = bearerToken(req);
    if (token === undefined) return textReply(LOGIN_PAGE, 200, 'text/html; charset=utf-8');
    if (token !== this.botToken) return textReply('forbidden', 403);
    const headers = { 'content-type': String(stored.file.mimetype), 'content-length': String(stored.bytes.length) };
    return { status: 200, headers, body: stored.bytes };
  }

  // response_url ---------------------------------------------------------------------------------------------------

  private async handleResponseUrl(id: string, body: Buffer): Promise<HttpReply> {
    const payload = parseJsonObject(body);
    const reply = payload ? await this.respond(id, payload) : textReply('invalid_payload', 400);
    const fields = payload ?? {};
    this.responses.push({
      id,
      text: fields.text as string | undefined,
      blocks: fields.blocks,
      response_type: fields.response_type as string | undefined,
      replace_original: fields.replace_original as boolean | undefined,
      delete_original: fields.delete_original as boolean | undefined,
      thread_ts: fields.thread_ts as string | undefined,
      status: reply.status,
      at: this.now(),
    });
    return reply;
  }

  /**
   * Slack's limits on response URLs: 5 uses within 30 minutes. What Slack answers beyond them is not
   * documented; the emulator answers 404 with `used_url` / `expired_url`, and 404 `no_service` (the
   * documented incoming-webhook error for an invalid URL) for an id it never minted.
   */
  private async respond(id: string, payload: Obj): Promise<HttpReply> {
    const fault = await this.takeFault('response_url', false);
    if (fault) return fault;
    const entry = this.responseUrls.get(id);
    if (!entry) return textReply('no_service', 404);
    if (this.now() - entry.mintedAt > RESPONSE_URL_TTL_MS) return textReply('expired_url', 404);
    if (entry.uses >= RESPONSE_URL_MAX_USES) return textReply('used_url', 404);
    entry.uses += 1;
    try {
      this.applyResponse(entry, payload);
      return jsonReply({ ok: true });
    } catch (error) {
      if (!(error instanceof PlatformError)) throw error;
      // Hooks report errors with HTTP 400 (e.g. "400 invalid_blocks"); the body carries Slack's details.
      return jsonReply({ ok: false, error: error.code, ...error.extra }, 400);
    }
  }

  private applyResponse(entry: ResponseUrlRecord, payload: Obj): void {
    const channel = entry.channelId ? this.channels.get(entry.channelId) : undefined;
    const original = channel ? this.findInChannel(channel, entry.messageTs) : undefined;
    if (payload.delete_original === true) {
      if (channel && original) this.messages.set(channel.id, (this.messages.get(channel.id) ?? []).filter((m) => m !== original));
      return;
    }
    if (payload.text === undefined && payload.blocks === undefined) throw new PlatformError('no_text');
    const { fields } = this.messageContent(payload, 'response_url');
    if (payload.replace_original === true && original) {
      this.editMessage(original, fields, 'replace');
    } else if (payload.response_type === 'in_channel' && channel) {
      const threadTs = typeof payload.thread_ts === 'string' ? payload.thread_ts : undefined;
      this.storeMessage(channel, { ...this.botAuthor(), ...fields }, threadTs);
    }
  }
}
