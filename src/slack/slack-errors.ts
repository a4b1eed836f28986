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
