import type { WebClient } from '@slack/web-api';
import type { MessageSnapshot, SlackFileMeta } from '../cases/attachments';
import type { Logger } from '../log';
import { displayNameOf } from './members';

/** The parts of a Slack message object (as a message shortcut delivers it) that a snapshot keeps. */
export interface SlackMessageObject {
  ts: string;
  text?: string;
  user?: string;
  bot_id?: string;
  username?: string;
  thread_ts?: string;
  edited?: unknown;
  files?: { id?: string; name?: string; title?: string; mimetype?: string; size?: number; permalink?: string }[];
}

export interface MessageShortcutContext {
  teamId: string;
  teamDomain?: string;
  channel: { id: string; name?: string };
  message: SlackMessageObject;
}

/**
 * A snapshot built from the shortcut payload alone, at once (a modal is waiting to open). The permalink is
 * composed the way Slack composes it; `enrichSnapshot` replaces it with Slack's own answer afterwards.
 */
export function snapshotFromShortcut({ teamId, teamDomain, channel, message }: MessageShortcutContext): MessageSnapshot {
  const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
  return {
    teamId,
    // Until conversations.info says otherwise the channel counts as private: failing closed never leaks.
    channel: { id: channel.id, ...(channel.name ? { name: channel.name } : {}), isPrivate: true },
    ts: message.ts,
    ...(isReply ? { threadTs: message.thread_ts } : {}),
    author: { id: message.user ?? message.bot_id ?? 'unknown', ...(message.username ? { name: message.username } : {}) },
    text: message.text ?? '',
    ...(teamDomain ? { permalink: composePermalink(teamDomain, channel.id, message.ts, isReply ? message.thread_ts : undefined) } : {}),
    files: (message.files ?? []).map(fileMeta),
    edited: Boolean(message.edited),
  };
}

function fileMeta(file: NonNullable<SlackMessageObject['files']>[number]): SlackFileMeta {
  return {
    ...(file.id ? { id: file.id } : {}),
    name: file.name ?? file.title ?? 'file',
    ...(file.mimetype ? { mimetype: file.mimetype } : {}),
    ...(typeof file.size === 'number' ? { size: file.size } : {}),
    ...(file.permalink ? { permalink: file.permalink } : {}),
  };
}

/** `https://<domain>.slack.com/archives/<channel>/p<ts without the dot>`, with the thread for replies. */
export function composePermalink(teamDomain: string, channelId: string, ts: string, threadTs?: string): string {
  const base = `https://${teamDomain}.slack.com/archives/${channelId}/p${ts.replace('.', '')}`;
  return threadTs ? `${base}?thread_ts=${threadTs}&cid=${channelId}` : base;
}

/**
 * Completes a snapshot with what only Slack can say: the real permalink, the author's display name and
 * whether the channel is private. A lookup that fails is logged; a channel that cannot be inspected counts
 * as private.
 */
export async function enrichSnapshot(client: WebClient, snapshot: MessageSnapshot, logger: Logger): Promise<MessageSnapshot> {
  const attempt = async <T>(what: string, call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (error) {
      logger.warn({ err: error, channelId: snapshot.channel.id }, `could not read the message's ${what}`);
      return undefined;
    }
  };
  const [permalink, author, channel] = await Promise.all([
    attempt('permalink', () => client.chat.getPermalink({ channel: snapshot.channel.id, message_ts: snapshot.ts })),
    snapshot.author.id.startsWith('U') || snapshot.author.id.startsWith('W')
      ? attempt('author', () => client.users.info({ user: snapshot.author.id }))
      : Promise.resolve(undefined),
    attempt('channel', () => client.conversations.info({ channel: snapshot.channel.id })),
  ]);
  const authorName = displayNameOf(author?.user);
  return {
    ...snapshot,
    ...(permalink?.permalink ? { permalink: permalink.permalink } : {}),
    author: { ...snapshot.author, ...(authorName ? { name: authorName } : {}) },
    channel: channel?.channel
      ? {
          id: snapshot.channel.id,
          ...((channel.channel.name ?? snapshot.channel.name) ? { name: channel.channel.name ?? snapshot.channel.name } : {}),
          isPrivate: Boolean(channel.channel.is_private || channel.channel.is_im || channel.channel.is_mpim),
        }
      : { ...snapshot.channel, isPrivate: true },
  };
}
