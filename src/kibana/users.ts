import type { Actor } from '../cases/model';
import { stableStringify } from './stable-json';
import type { KibanaUser } from './saved-objects';

/** Slack user id → Kibana user-profile uid, supplied by the operator; optional everywhere. */
export type ProfileUids = ReadonlyMap<string, string>;

/**
 * Kibana users and Slack actors, both ways, without loss:
 *
 * - A Slack actor is written as `{username: "slack:<team>:<user>", full_name: <display name>|null,
 *   email: null}`, plus `profile_uid` when the operator mapped the Slack user to a Kibana profile (Kibana then
 *   shows the real profile). The username is self-describing, cannot collide with a Kibana username such as
 *   `elastic`, and carries the team so Slack Connect users keep theirs.
 * - A Kibana user with no Slack identity becomes an actor with the synthetic, stable user id
 *   `kibana:<url-encoded username>`, and when the user is anything but `{username, full_name: null,
 *   email: null}`, `#<base64url of the whole user as stable JSON>` after it, so the exact stored user (null
 *   versus "" included) comes back on export. Its display name is the full name, else the username.
 */
const SLACK_USERNAME = /^slack:([A-Z0-9]+):([UWB][A-Z0-9]+)$/;
const KIBANA_PREFIX = 'kibana:';

/**
 * The Kibana user an actor is written as. Its members are in sorted order, the order export lines are written
 * in, except a Kibana user decoded from the actor id, which is as it was stored: `keyOrder` puts it in that
 * order (src/kibana/export/key-order.ts).
 */
export function actorToKibanaUser(actor: Actor, profileUids: ProfileUids, keyOrder: { ordered<T>(value: T): T }): KibanaUser {
  const kibanaUser = kibanaUserFromActorId(actor.userId);
  if (kibanaUser) return keyOrder.ordered(kibanaUser);
  const profileUid = profileUids.get(actor.userId);
  // Members in sorted order, the order export lines are written in (stable-json.ts): nothing to reorder.
  return {
    email: null,
    full_name: actor.name ?? null,
    ...(profileUid ? { profile_uid: profileUid } : {}),
    username: `slack:${actor.teamId}:${actor.userId}`,
  };
}

/** `teamId` is the importing workspace, given to actors that are not Slack users. */
export function kibanaUserToActor(user: Readonly<Record<string, string | null>>, teamId: string): Actor {
  const slack = slackActorOf(user);
  if (slack) return slack;
  const username = user.username ?? '';
  const canonical = isCanonical(user);
  const userId = `${KIBANA_PREFIX}${encodeURIComponent(username)}${canonical ? '' : `#${Buffer.from(stableStringify(user)).toString('base64url')}`}`;
  const name = user.full_name || user.username || undefined;
  return { userId, teamId, ...(name ? { name } : {}) };
}

function slackActorOf(user: Readonly<Record<string, string | null>>): Actor | undefined {
  const match = SLACK_USERNAME.exec(user.username ?? '');
  const onlyOurKeys = Object.keys(user).every((key) => ['username', 'full_name', 'email', 'profile_uid'].includes(key));
  if (!match || !onlyOurKeys || user.email !== null || user.full_name === undefined) return undefined;
  const [, teamId = '', userId = ''] = match;
  return { userId, teamId, ...(user.full_name !== null ? { name: user.full_name } : {}) };
}

function isCanonical(user: Readonly<Record<string, string | null>>): boolean {
  const keys = Object.keys(user).sort().join(',');
  return keys === 'email,full_name,username' && typeof user.username === 'string' && user.full_name === null && user.email === null;
}

function kibanaUserFromActorId(userId: string): KibanaUser | undefined {
  if (!userId.startsWith(KIBANA_PREFIX)) return undefined;
  const rest = userId.slice(KIBANA_PREFIX.length);
  const hash = rest.indexOf('#');
  try {
    if (hash < 0) return { email: null, full_name: null, username: decodeURIComponent(rest) };
    const decoded: unknown = JSON.parse(Buffer.from(rest.slice(hash + 1), 'base64url').toString('utf8'));
    if (!isUserRecord(decoded)) return undefined;
    return decoded as unknown as KibanaUser;
  } catch {
    return undefined;
  }
}

function isUserRecord(value: unknown): value is Record<string, string | null> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.entries(value).every(([key, field]) => key !== '__proto__' && (typeof field === 'string' || field === null));
}
