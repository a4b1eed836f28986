/**
 * One workspace's state, which its Web API methods work on: users, conversations and their messages, on the
 * emulator's shared clock. Who may read or post where is decided here, once for every method.
 */
import type { EmulatorClock } from './clock';
import { ContentChecks } from './content-checks';
import type { EmulatedChannel, EmulatedUser, NewChannel, NewUser, SlackMessage } from './types';
import { type Obj, PlatformError } from './web-api';

export interface WorkspaceIdentity {
  teamId: string;
  /** The workspace's name (auth.test `team`, oauth.v2.access `team.name`). */
  teamName: string;
  /** The subdomain of `https://<domain>.slack.com/`. */
  teamDomain: string;
  botUserId: string;
  botId: string;
  appId: string;
  /** The Enterprise Grid org the workspace belongs to, if any (its `E…` id and name). */
  enterpriseId?: string;
  enterpriseName?: string;
}

export class Workspace {
  readonly users = new Map<string, EmulatedUser>();
  readonly channels = new Map<string, EmulatedChannel>();
  readonly messages = new Map<string, SlackMessage[]>();
  readonly checks: ContentChecks;
  readonly teamId: string;
  readonly teamName: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly enterpriseId: string | undefined;

  constructor(
    identity: WorkspaceIdentity,
    readonly clock: EmulatorClock,
    /** The server's base URL, known once it listens. */
    readonly baseUrl: () => string,
  ) {
    ({ teamId: this.teamId, teamName: this.teamName, teamDomain: this.teamDomain } = identity);
    ({ botUserId: this.botUserId, botId: this.botId, appId: this.appId, enterpriseId: this.enterpriseId } = identity);
    this.checks = new ContentChecks(() => clock.now());
    this.users.set(this.botUserId, { id: this.botUserId, name: 'caseops', realName: 'CaseOps', isAdmin: false, isBot: true });
  }

  addUser(user: NewUser): EmulatedUser {
    const stored = {
      id: user.id,
      name: user.name,
      realName: user.realName ?? user.name,
      isAdmin: user.isAdmin ?? false,
      isBot: false,
      ...(user.email ? { email: user.email } : {}),
    };
    this.users.set(user.id, stored);
    return stored;
  }

  addChannel(channel: NewChannel): EmulatedChannel {
    const stored: EmulatedChannel = {
      id: channel.id,
      name: channel.name,
      isPrivate: channel.isPrivate ?? false,
      isIm: false,
      members: [...(channel.members ?? [])],
      botIsMember: channel.botIsMember ?? true,
      isArchived: channel.isArchived ?? false,
      created: Math.floor(this.clock.now() / 1000),
    };
    this.channels.set(channel.id, stored);
    return stored;
  }

  requireChannel(id: string): EmulatedChannel {
    const channel = this.channels.get(id);
    if (!channel) throw new Error(`SlackEmulator: unknown channel ${id}; add it with addChannel() first`);
    return channel;
  }

  /** A conversation by id, by name (`#soc` or `soc`), or by user id (the app's DM with that user). */
  resolveConversation(ref: string | undefined): EmulatedChannel | undefined {
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
      created: Math.floor(this.clock.now() / 1000),
    };
    this.channels.set(dm.id, dm);
    return dm;
  }

  /** A conversation the bot can read: private ones it is not in do not exist as far as it can tell. */
  visibleConversation(ref: string | undefined): EmulatedChannel {
    const channel = this.resolveConversation(ref);
    if (!channel || (channel.isPrivate && !channel.botIsMember)) throw new PlatformError('channel_not_found');
    return channel;
  }

  /**
   * A conversation the bot can post in. Messages may go to public channels it has not joined, because
   * caseops's manifest (manifests/slack-app.json) requests chat:write.public; sharing files always needs
   * membership (files.completeUploadExternal: "User/bot membership is required").
   */
  postableConversation(ref: string | undefined, purpose: 'message' | 'file'): EmulatedChannel {
    const channel = this.resolveConversation(ref);
    if (!channel) throw new PlatformError('channel_not_found');
    if (channel.isArchived) throw new PlatformError('is_archived');
    const publicPost = purpose === 'message' && !channel.isPrivate;
    if (!channel.botIsMember && !publicPost) throw new PlatformError('not_in_channel');
    return channel;
  }

  findInChannel(channel: EmulatedChannel, ts: string | undefined): SlackMessage | undefined {
    return this.messages.get(channel.id)?.find((m) => m.ts === ts);
  }

  /** Fields every message the bot posts carries. */
  botAuthor(): Obj {
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
  storeMessage(channel: EmulatedChannel, fields: Obj, threadTs?: string): SlackMessage {
    const list = this.messages.get(channel.id) ?? [];
    this.messages.set(channel.id, list);
    const target = threadTs ? list.find((m) => m.ts === threadTs) : undefined;
    const rootTs = target?.thread_ts ?? threadTs;
    const parent = list.find((m) => m.ts === rootTs);
    const message: SlackMessage = {
      type: 'message',
      ts: this.clock.nextTs(),
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

  /**
   * Edits a stored message. chat.update merges (omitted blocks/attachments keep their value, as Slack
   * documents); a response_url `replace_original` replaces the whole message.
   */
  editMessage(message: SlackMessage, fields: Obj, mode: 'merge' | 'replace'): void {
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) message[key] = value;
      else if (mode === 'replace') delete message[key];
    }
    message.edited = { user: this.botUserId, ts: this.clock.nextTs() };
  }
}
