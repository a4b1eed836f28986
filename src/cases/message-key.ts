/**
 * The key of the Slack message an event attachment snapshots, `team/channel/ts`: how every store finds the
 * attachments a message edit or deletion concerns.
 */
export const messageKey = (teamId: string, channelId: string, ts: string): string => `${teamId}/${channelId}/${ts}`;

/** The message key of an event attachment; null for other attachments. */
export function messageKeyOf(attachment: { data: unknown }): string | null {
  const message = (attachment.data as { message?: { teamId?: unknown; channel?: { id?: unknown }; ts?: unknown } } | null)?.message;
  if (typeof message?.teamId !== 'string' || typeof message.channel?.id !== 'string' || typeof message.ts !== 'string') return null;
  return messageKey(message.teamId, message.channel.id, message.ts);
}
