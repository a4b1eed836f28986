/**
 * Slack's rule for a new channel's name (conversations.create): lowercase letters, digits, hyphens and underscores,
 * at most 80 characters; Slack refuses any other name rather than fixing it.
 */
export const CHANNEL_NAME_MAX = 80;

/** Names tried for one room before giving up on `name_taken`: `case-12-…`, then `…-2` up to `…-9`. */
export const ROOM_NAME_ATTEMPTS = 9;

/**
 * The war room's channel name for a case: `case-<number>-<title as a slug>`, cut to Slack's limit; the `attempt`-th
 * alternative (2, 3 …) when the name is taken ends in `-<attempt>`.
 */
export function roomName(caseNumber: number, title: string, attempt = 1): string {
  const suffix = attempt > 1 ? `-${attempt}` : '';
  const prefix = `case-${caseNumber}`;
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const room = CHANNEL_NAME_MAX - prefix.length - suffix.length - 1;
  const cut = slug.slice(0, room).replace(/-+$/, '');
  return `${prefix}${cut ? `-${cut}` : ''}${suffix}`;
}
