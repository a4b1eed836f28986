/**
 * Making and arranging channels: conversations.create, conversations.invite, conversations.archive,
 * conversations.setTopic, conversations.setPurpose, bookmarks.add and pins.add, with the rules and errors their pages document (the method
 * descriptions in ../slack-methods/, sources in its README).
 */
import type { EmulatedChannel } from './types';
import { type Handlers, type Obj, PlatformError, bool, str } from './web-api';
import type { Workspace } from './workspace';

/** conversations.create: "lowercase letters, numbers, hyphens, and underscores, and must be 80 characters or less". */
const CHANNEL_NAME = /^[a-z0-9_-]+$/;
const NAME_MAX = 80;
/** conversations.setTopic and setPurpose: `too_long` past 250 characters. */
const TOPIC_MAX = 250;
/** bookmarks.add: `too_many_bookmarks` past 100. */
const BOOKMARKS_MAX = 100;

export interface ChannelAdminSettings {
  /** The workspace lets only admins create channels: conversations.create answers `restricted_action`. */
  restrictChannelCreation: boolean;
}

export function channelAdminMethods(workspace: Workspace, settings: ChannelAdminSettings): Handlers {
  /** A channel the bot acts on as a member: archived and non-member channels refuse. */
  const memberChannel = (ref: string | undefined): EmulatedChannel => {
    const channel = workspace.visibleConversation(ref);
    if (channel.isArchived) throw new PlatformError('is_archived');
    if (!channel.botIsMember) throw new PlatformError('not_in_channel');
    return channel;
  };
  const setText = (field: 'topic' | 'purpose') => (args: Obj) => {
    const channel = memberChannel(str(args, 'channel'));
    const value = str(args, field) ?? '';
    if (value.length > TOPIC_MAX) throw new PlatformError('too_long');
    channel[field] = value;
    return { ok: true, channel: { id: channel.id, name: channel.name, is_private: channel.isPrivate, [field]: { value, creator: workspace.botUserId, last_set: Math.floor(workspace.clock.now() / 1000) } } };
  };

  return {
    'conversations.create': (args) => {
      const name = str(args, 'name') ?? '';
      if (!name) throw new PlatformError('invalid_name_required');
      if (name.length > NAME_MAX) throw new PlatformError('invalid_name_maxlength');
      if (!CHANNEL_NAME.test(name)) throw new PlatformError('invalid_name_specials');
      if (/^[-_]+$/.test(name)) throw new PlatformError('invalid_name_punctuation');
      if ([...workspace.channels.values()].some((channel) => !channel.isIm && channel.name === name)) throw new PlatformError('name_taken');
      if (settings.restrictChannelCreation) throw new PlatformError('restricted_action');
      const isPrivate = bool(args, 'is_private');
      // The creator is the channel's first member; here the creator is the bot.
      const channel = workspace.addChannel({ id: workspace.clock.nextId('C'), name, isPrivate, members: [], botIsMember: true });
      channel.creator = workspace.botUserId;
      return { ok: true, channel: { id: channel.id, name, is_channel: true, is_group: false, is_im: false, is_private: isPrivate, created: channel.created, creator: workspace.botUserId, is_archived: false, is_general: false, name_normalized: name, is_member: true } };
    },
    // Each user is checked; without `force` one failure fails the call, with it the valid ones are invited.
    'conversations.invite': (args) => {
      const channel = memberChannel(str(args, 'channel'));
      const users = (str(args, 'users') ?? '').split(',').map((user) => user.trim()).filter(Boolean);
      if (!users.length) throw new PlatformError('no_user');
      const errors: Obj[] = [];
      const valid: string[] = [];
      for (const user of users) {
        const error = user === workspace.botUserId ? 'cant_invite_self' : !workspace.users.has(user) ? 'user_not_found' : channel.members.includes(user) ? 'already_in_channel' : undefined;
        if (error) errors.push({ user, ok: false, error });
        else valid.push(user);
      }
      if (errors.length && (!bool(args, 'force') || !valid.length)) throw new PlatformError(String(errors[0]!.error), { errors });
      channel.members.push(...valid);
      return { ok: true, channel: { id: channel.id, name: channel.name, is_private: channel.isPrivate }, ...(errors.length ? { errors } : {}) };
    },
    'conversations.archive': (args) => {
      const channel = workspace.visibleConversation(str(args, 'channel'));
      if (channel.isArchived) throw new PlatformError('already_archived');
      if (!channel.botIsMember) throw new PlatformError('not_in_channel');
      channel.isArchived = true;
      return { ok: true };
    },
    'conversations.setTopic': setText('topic'),
    'conversations.setPurpose': setText('purpose'),
    'bookmarks.add': (args) => {
      const channel = memberChannel(str(args, 'channel_id'));
      const type = str(args, 'type');
      if (type !== 'link') throw new PlatformError('invalid_bookmark_type');
      const link = str(args, 'link') ?? '';
      if (!/^https?:\/\/\S+$/.test(link)) throw new PlatformError('invalid_link');
      const bookmarks = (channel.bookmarks ??= []);
      if (bookmarks.length >= BOOKMARKS_MAX) throw new PlatformError('too_many_bookmarks');
      const bookmark = { id: workspace.clock.nextId('Bk'), channel_id: channel.id, title: str(args, 'title'), link, emoji: str(args, 'emoji') ?? null, type, date_created: Math.floor(workspace.clock.now() / 1000), date_updated: 0, rank: String(bookmarks.length), shortcut_id: null, app_id: null };
      bookmarks.push(bookmark);
      return { ok: true, bookmark };
    },
    'pins.add': (args) => {
      const channel = memberChannel(str(args, 'channel'));
      const ts = str(args, 'timestamp');
      if (!ts) throw new PlatformError('no_item_specified');
      if (!workspace.findInChannel(channel, ts)) throw new PlatformError('message_not_found');
      const pins = (channel.pins ??= []);
      if (pins.includes(ts)) throw new PlatformError('already_pinned');
      pins.push(ts);
      return { ok: true };
    },
  };
}
