import type { ProfileUids } from './users';

/**
 * Case assignees between caseops (Slack user ids) and Kibana (user-profile uids), without loss.
 *
 * Domain assignees are Slack user ids, or `kibana:<uid>` for a Kibana profile with no Slack counterpart
 * (met on import). On export:
 * - a Slack user the operator mapped becomes `{uid: <profile uid>}`;
 * - `kibana:<uid>` becomes `{uid}`;
 * - an unmapped Slack user cannot be a Kibana assignee: Kibana resolves assignee uids through user
 *   profiles, so a made-up uid would show as an unknown user at best. On the case it becomes the tag
 *   `slack-assignee:<id>` instead (visible, searchable, harmless to Kibana). In user-action payloads, which
 *   are history and have no tags, it is written `{uid: "slack:<id>"}`.
 * Import reverses all three (and accepts either unmapped form in either place).
 */
export const UNMAPPED_ASSIGNEE_TAG = 'slack-assignee:';
const UNMAPPED_UID = 'slack:';
const KIBANA_ASSIGNEE = 'kibana:';
const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;

export interface KibanaAssignees {
  uids: { uid: string }[];
  /** Tags standing for unmapped Slack assignees, to append to the case's tags. */
  tags: string[];
}

export function caseAssigneesToKibana(assignees: readonly string[], profileUids: ProfileUids): KibanaAssignees {
  const result: KibanaAssignees = { uids: [], tags: [] };
  for (const assignee of assignees) {
    const uid = assigneeUid(assignee, profileUids);
    if (uid.startsWith(UNMAPPED_UID)) result.tags.push(`${UNMAPPED_ASSIGNEE_TAG}${assignee}`);
    else result.uids.push({ uid });
  }
  return result;
}

/** The uid written for a domain assignee in a user-action payload. */
export function assigneeUid(assignee: string, profileUids: ProfileUids): string {
  if (assignee.startsWith(KIBANA_ASSIGNEE)) return assignee.slice(KIBANA_ASSIGNEE.length);
  const mapped = profileUids.get(assignee);
  if (mapped) return mapped;
  return SLACK_USER_ID.test(assignee) ? `${UNMAPPED_UID}${assignee}` : assignee;
}

/** Profile uid → Slack user id; the first Slack user wins when two share a profile. */
export function slackIdsByProfile(profileUids: ProfileUids): Map<string, string> {
  const inverse = new Map<string, string>();
  for (const [slackId, uid] of profileUids) if (!inverse.has(uid)) inverse.set(uid, slackId);
  return inverse;
}

export function assigneeFromUid(uid: string, slackIds: Pick<ReadonlyMap<string, string>, 'get'>): string {
  const unmapped = uid.startsWith(UNMAPPED_UID) ? uid.slice(UNMAPPED_UID.length) : undefined;
  if (unmapped !== undefined && SLACK_USER_ID.test(unmapped)) return unmapped;
  return slackIds.get(uid) ?? `${KIBANA_ASSIGNEE}${uid}`;
}

/** Splits a Kibana case's tags into real tags and the Slack assignees export had to write as tags. */
export function assigneesFromTags(tags: readonly string[]): { tags: string[]; assignees: string[] } {
  const result = { tags: [] as string[], assignees: [] as string[] };
  for (const tag of tags) {
    const id = tag.startsWith(UNMAPPED_ASSIGNEE_TAG) ? tag.slice(UNMAPPED_ASSIGNEE_TAG.length) : undefined;
    if (id !== undefined && SLACK_USER_ID.test(id)) result.assignees.push(id);
    else result.tags.push(tag);
  }
  return result;
}
