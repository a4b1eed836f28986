/** conversations.info, conversations.members and conversations.replies. */
import type { EmulatedChannel } from './types';
import { type Handlers, type Obj, PlatformError, bool, paginate, str } from './web-api';
import type { Workspace } from './workspace';

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
      creator: channel.members[0] ?? workspace.botUserId,
      is_member: channel.botIsMember,
      topic: blank,
      purpose: blank,
      previous_names: [],
      ...(includeNumMembers && { num_members: memberIds(channel).length }),
    };
  };

  return {
    'conversations.info': (args) => {
      const channel = workspace.visibleConversation(str(args, 'channel'));
      return { ok: true, channel: channelObject(channel, bool(args, 'include_num_members')) };
    },
    'conversations.members': (args) => {
      const channel = workspace.visibleConversation(str(args, 'channel'));
      const { page, nextCursor } = paginate(memberIds(channel), args, 'user', (id) => id, 100);
      return { ok: true, members: page, response_metadata: { next_cursor: nextCursor } };
    },
    'conversations.replies': (args) => {
      const channel = workspace.visibleConversation(str(args, 'channel'));
      const message = workspace.findInChannel(channel, str(args, 'ts'));
      if (!message) throw new PlatformError('thread_not_found');
      const rootTs = message.thread_ts ?? message.ts;
      const thread = (workspace.messages.get(channel.id) ?? []).filter((m) => m.ts === rootTs || m.thread_ts === rootTs);
      const { page, nextCursor } = paginate(thread, args, 'ts', (m) => m.ts, 1000);
      return { ok: true, messages: structuredClone(page), has_more: nextCursor !== '', response_metadata: { next_cursor: nextCursor } };
    },
  };
}
