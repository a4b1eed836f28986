/** conversations.info, conversations.list, conversations.members, conversations.history and conversations.replies. */
import { messageAsRead } from './metadata';
import type { EmulatedChannel, SlackMessage } from './types';
import { type Handlers, type Obj, PlatformError, bool, paginate, str } from './web-api';
import type { Workspace } from './workspace';

/** A message timestamp (`seconds.micros`) as a number of microseconds, to compare with `oldest` / `latest`. */
function micros(ts: string): number {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return Number(seconds) * 1e6 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

/**
 * The `oldest` / `latest` window of conversations.history and conversations.replies: both bounds exclusive
 * unless `inclusive`; no `latest` means up to now (here: every message, as the emulator's timestamps can run a
 * few microseconds ahead of its clock).
 */
function timeWindow(args: Obj): (message: SlackMessage) => boolean {
  const bound = (arg: 'oldest' | 'latest') => {
    const value = str(args, arg);
    if (value === undefined) return undefined;
    if (!/^\d+(\.\d+)?$/.test(value)) throw new PlatformError(`invalid_ts_${arg}`);
    return micros(value);
  };
  const oldest = bound('oldest') ?? 0;
  const latest = bound('latest') ?? Infinity;
  const inclusive = bool(args, 'inclusive');
  return (message) => {
    const at = micros(message.ts);
    return inclusive ? at >= oldest && at <= latest : at > oldest && at < latest;
  };
}

/** One page of messages as Slack answers it: `has_more` and the cursor of the next page. */
function messagePage(messages: SlackMessage[], args: Obj, defaultLimit: number): Obj {
  const { page, nextCursor } = paginate(messages, args, 'ts', (m) => m.ts, defaultLimit);
  return {
    ok: true,
    messages: page.map((m) => messageAsRead(m, bool(args, 'include_all_metadata'))),
    has_more: nextCursor !== '',
    response_metadata: { next_cursor: nextCursor },
  };
}

export function conversationsMethods(workspace: Workspace): Handlers {
  const memberIds = (channel: EmulatedChannel): string[] =>
    channel.botIsMember ? [...channel.members, workspace.botUserId] : [...channel.members];

  const channelObject = (channel: EmulatedChannel, includeNumMembers: boolean): Obj => {
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
      context_team_id: workspace.teamId,
      updated: channel.created * 1000,
      creator: channel.creator ?? channel.members[0] ?? workspace.botUserId,
      is_member: channel.botIsMember,
      topic: channel.topic ? { ...blank, value: channel.topic } : blank,
      purpose: channel.purpose ? { ...blank, value: channel.purpose } : blank,
      previous_names: [],
      ...(includeNumMembers && { num_members: memberIds(channel).length }),
    };
  };

  return {
    'conversations.info': (args) => {
      const channel = workspace.visibleConversation(str(args, 'channel'));
      return { ok: true, channel: channelObject(channel, bool(args, 'include_num_members')) };
    },
    // Public channels, and the private ones the bot is in, of the asked types, oldest first.
    'conversations.list': (args) => {
      const types = new Set((str(args, 'types') ?? 'public_channel').split(',').map((type) => type.trim()));
      const listed = [...workspace.channels.values()].filter(
        (channel) =>
          !channel.isIm &&
          types.has(channel.isPrivate ? 'private_channel' : 'public_channel') &&
          (!channel.isPrivate || channel.botIsMember) &&
          !(bool(args, 'exclude_archived') && channel.isArchived),
      );
      const { page, nextCursor } = paginate(listed, args, 'channel', (channel) => channel.id, 100);
      return { ok: true, channels: page.map((channel) => channelObject(channel, false)), response_metadata: { next_cursor: nextCursor } };
    },
    'conversations.members': (args) => {
      const channel = workspace.visibleConversation(str(args, 'channel'));
      const { page, nextCursor } = paginate(memberIds(channel), args, 'user', (id) => id, 100);
      return { ok: true, members: page, response_metadata: { next_cursor: nextCursor } };
    },
    // The channel's own timeline, newest first: messages and thread parents, not the replies in threads.
    // Reading needs membership even where posting does not (chat:write.public).
    'conversations.history': (args) => {
      const channel = workspace.visibleConversation(str(args, 'channel'));
      if (!channel.botIsMember) throw new PlatformError('not_in_channel');
      const inWindow = timeWindow(args);
      const timeline = (workspace.messages.get(channel.id) ?? [])
        .filter((m) => (m.thread_ts === undefined || m.thread_ts === m.ts) && inWindow(m))
        .sort((a, b) => micros(b.ts) - micros(a.ts));
      const latest = str(args, 'latest');
      return { ...messagePage(timeline, args, 100), pin_count: 0, channel_actions_ts: null, channel_actions_count: 0, ...(latest && { latest }) };
    },
    // A thread, oldest first: the parent always leads the first page, then the replies inside the window.
    'conversations.replies': (args) => {
      const channel = workspace.visibleConversation(str(args, 'channel'));
      const message = workspace.findInChannel(channel, str(args, 'ts'));
      if (!message) throw new PlatformError('thread_not_found');
      const rootTs = message.thread_ts ?? message.ts;
      const inWindow = timeWindow(args);
      const all = workspace.messages.get(channel.id) ?? [];
      const thread = all.filter((m) => m.ts === rootTs || (m.thread_ts === rootTs && inWindow(m)));
      return messagePage(thread, args, 1000);
    },
  };
}
