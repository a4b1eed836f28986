/** The emulator's public types: what tests configure, read back from recordings, and inject as faults. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Surface } from '../block-kit-limits';
import type { Obj } from './web-api';

export interface EmulatorOptions {
  botToken: string;
  /** The app-level token (`xapp-…`) that may open Socket Mode connections. */
  appToken?: string;
  teamId?: string;
  botUserId?: string;
}

/** A workspace as a test adds it (`addWorkspace`); name and domain default from the team id. */
export interface NewWorkspace {
  teamId: string;
  name?: string;
  domain?: string;
  /** A bot token that works at once, for tests that skip the OAuth install. */
  botToken?: string;
  /** The Enterprise Grid org the workspace belongs to; its workspaces share one bot user, and an org-wide install. */
  enterpriseId?: string;
  enterpriseName?: string;
}

/** A user or channel as a test adds it (`addUser`, `addChannel`); omitted fields take Slack's usual values. */
export interface NewUser {
  id: string;
  name: string;
  realName?: string;
  isAdmin?: boolean;
  /** The profile's email, found by users.lookupByEmail. */
  email?: string;
}

export interface NewChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  members?: string[];
  botIsMember?: boolean;
  isArchived?: boolean;
}

export interface EmulatedUser {
  id: string;
  name: string;
  realName: string;
  isAdmin: boolean;
  isBot: boolean;
  email?: string;
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
  /** Who made it (conversations.create: the bot); seeded channels name their first member. */
  creator?: string;
  topic?: string;
  purpose?: string;
  /** bookmarks.add: the channel's bookmarks, in the order added. */
  bookmarks?: Obj[];
  /** pins.add: the ts of each pinned message. */
  pins?: string[];
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
  /** When the call arrived: epoch milliseconds, to a fraction of one. */
  at: number;
  /**
   * The workspace the call acted in: its token's or, for an org-wide token, the workspace its team_id or the
   * channel, user or view it names belongs to; absent without a token Slack issued (and for oauth.v2.access).
   */
  teamId?: string;
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

/**
 * What `failNext` can do to the next request(s) of a method (or of the `response_url` / `upload` endpoints):
 * answer an HTTP status, a 429 with Retry-After, or a Slack error instead of performing the call; stall for
 * `delayMs` and then perform it; or perform it and close the connection without answering (`answerLost`:
 * the caller cannot tell whether its message was posted).
 */
export type SlackFault =
  | { status: 429; retryAfter: number }
  | { status: number }
  | { error: string; status?: number }
  | { delayMs: number }
  | { answerLost: true };

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
