/** chat.postMessage, chat.postEphemeral, chat.update and chat.getPermalink. */
import { messageAsRead, requestedMetadata } from './metadata';
import type { RecordedEphemeral } from './types';
import { type Handlers, type Obj, PlatformError, str } from './web-api';
import type { Workspace } from './workspace';

export class ChatApi {
  /** Ephemeral messages are shown to one user and never stored in the conversation. */
  readonly ephemeralMessages: RecordedEphemeral[] = [];
  readonly methods: Handlers = {
    'chat.postMessage': (a) => this.postMessage(a),
    'chat.postEphemeral': (a) => this.postEphemeral(a),
    'chat.update': (a) => this.update(a),
    'chat.getPermalink': (a) => this.getPermalink(a),
  };

  constructor(private readonly workspace: Workspace) {}

  private postMessage(args: Obj): Obj {
    const channel = this.workspace.postableConversation(str(args, 'channel'), 'message');
    const { fields, responseMetadata } = this.workspace.checks.message(args, 'chat.postMessage');
    const metadata = requestedMetadata(args, 'chat.postMessage');
    const author = this.workspace.botAuthor();
    const message = this.workspace.storeMessage(channel, { ...author, ...fields, metadata }, str(args, 'thread_ts'));
    return {
      ok: true,
      channel: channel.id,
      ts: message.ts,
      message: messageAsRead(message, false),
      ...(responseMetadata && { response_metadata: responseMetadata }),
    };
  }

  private postEphemeral(args: Obj): Obj {
    const channel = this.workspace.postableConversation(str(args, 'channel'), 'message');
    const user = str(args, 'user') ?? '';
    if (!channel.members.includes(user)) throw new PlatformError('user_not_in_channel');
    const { fields } = this.workspace.checks.message(args, 'chat.postEphemeral');
    const ts = this.workspace.clock.nextTs();
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

  private update(args: Obj): Obj {
    const channel = this.workspace.visibleConversation(str(args, 'channel'));
    const message = this.workspace.findInChannel(channel, str(args, 'ts'));
    if (!message) throw new PlatformError('message_not_found');
    if (channel.isArchived) throw new PlatformError('is_inactive');
    if (message.user !== this.workspace.botUserId) throw new PlatformError('cant_update_message');
    const { fields, responseMetadata } = this.workspace.checks.message(args, 'chat.update');
    const metadata = requestedMetadata(args, 'chat.update');
    this.workspace.editMessage(message, fields, 'merge');
    if (metadata === null) delete message.metadata;
    else if (metadata) message.metadata = metadata;
    return {
      ok: true,
      channel: channel.id,
      ts: message.ts,
      text: message.text,
      message: messageAsRead(message, false),
      ...(responseMetadata && { response_metadata: responseMetadata }),
    };
  }

  private getPermalink(args: Obj): Obj {
    const channel = this.workspace.visibleConversation(str(args, 'channel'));
    const message = this.workspace.findInChannel(channel, str(args, 'message_ts'));
    if (!message) throw new PlatformError('message_not_found');
    const base = `https://${this.workspace.teamDomain}.slack.com/archives/${channel.id}/p${message.ts.replace('.', '')}`;
    const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
    return {
      ok: true,
      channel: channel.id,
      permalink: isReply ? `${base}?thread_ts=${message.thread_ts}&cid=${channel.id}` : base,
    };
  }
}
