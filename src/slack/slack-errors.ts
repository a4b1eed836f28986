/** The `error` of a Web API `ok:false` answer, if that is what failed. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/**
 * Slack refusing a trigger id it already exchanged: the same button or shortcut was delivered twice and the
 * first delivery opened the modal, so there is nothing to tell anyone.
 */
export function isRedeliveredTrigger(error: unknown): boolean {
  return slackErrorCode(error) === 'exchanged_trigger_id';
}

/**
 * Slack errors meaning a war room can no longer take a message or an edit: archived (chat.postMessage answers
 * `is_archived`, chat.update `is_inactive`), deleted, the bot removed from it, or the edited message gone.
 */
const ROOM_GONE = new Set(['is_archived', 'is_inactive', 'channel_not_found', 'not_in_channel', 'message_not_found']);

/** Whether `error` is Slack saying the war room is gone (ROOM_GONE): nothing to retry, nobody to tell. */
export function isRoomGone(error: unknown): boolean {
  return ROOM_GONE.has(slackErrorCode(error) ?? '');
}
