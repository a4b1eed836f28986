import type { Attachment, Case, UserAction } from '../cases/model';
import { caseAssigneesToKibana } from '../kibana/assignees';
import { typedAttachmentData } from '../kibana/attachment-data';
import { writeCaseDescription } from '../kibana/case-marker';
import { kibanaCommentAttributes } from '../kibana/export/comment-attributes';
import { DEFAULT_KIBANA_TARGET, TARGET_PROFILES } from '../kibana/export/versions';
import { NONE_CONNECTOR } from '../kibana/saved-objects';
import type { ProfileUids } from '../kibana/users';
import type { KibanaCase } from './kibana-shapes';
import { mirrorKey } from './mirror-marker';

/**
 * caseops changes as Kibana Cases API requests (OpenAPI: create_case_request, update_case_request,
 * add_case_comment_request). Pure: data in, request bodies out.
 */

/**
 * The Cases API takes `user` and `alert` comments: every other caseops attachment goes as the markdown the ndjson
 * export writes for it (a quoted message, a Timeline link, a chart), which never needs Kibana's event type.
 */
const API_PROFILE = { ...TARGET_PROFILES[DEFAULT_KIBANA_TARGET], eventAttachments: false };

/** The fields a case is created with, as its create_case action recorded them. */
export interface CreatedFields {
  title: string;
  description: string;
  severity: Case['severity'];
  tags: string[];
  assignees: string[];
  settings: { syncAlerts: boolean };
  owner: Case['owner'];
}

export function createCaseRequest(theCase: Case, created: CreatedFields, profileUids: ProfileUids): Record<string, unknown> {
  const assignees = caseAssigneesToKibana(created.assignees, profileUids);
  return {
    title: created.title,
    description: mirroredDescription(theCase, created.description),
    tags: [...created.tags, ...assignees.tags],
    severity: created.severity,
    assignees: assignees.uids,
    connector: { id: 'none', ...NONE_CONNECTOR },
    settings: created.settings,
    owner: created.owner,
  };
}

/** The fields of a create_case action's payload (user-actions.ts createCaseAction). */
export function createdFields(action: UserAction): CreatedFields {
  const payload = action.payload as Omit<CreatedFields, 'assignees'> & { assignees: { uid: string }[] };
  return { ...payload, assignees: payload.assignees.map((assignee) => assignee.uid) };
}

/**
 * The description as the mirror keeps it: the analyst's text and, invisible in Kibana, the marker with the Slack
 * origin and the caseops case id (as one word, so Kibana's search finds the mirror by it after a create whose
 * answer was lost).
 */
export function mirroredDescription(theCase: Case, description: string): string {
  return writeCaseDescription(description, { origin: theCase.origin, indicators: new Map(), mirrorOf: mirrorKey(theCase.id) });
}

/**
 * What a user action changes on the Kibana case, given the case as Kibana has it now: only fields whose value would
 * differ (Kibana refuses an update that changes nothing). Tags and assignees are applied as the additions and
 * removals they were, so a tag added in Kibana meanwhile stays. Null: nothing to change; undefined: not a field
 * change (a comment, or something Kibana has no field for).
 */
export function fieldChange(action: UserAction, theCase: Case, current: KibanaCase, profileUids: ProfileUids): Record<string, unknown> | null | undefined {
  const wanted = wantedFields(action, theCase, current, profileUids);
  if (!wanted) return undefined;
  const changed = Object.entries(wanted).filter(([field, value]) => !sameValue(current[field as keyof KibanaCase], value));
  return changed.length ? Object.fromEntries(changed) : null;
}

function wantedFields(action: UserAction, theCase: Case, current: KibanaCase, profileUids: ProfileUids): Record<string, unknown> | undefined {
  const { payload } = action;
  const removing = action.action === 'delete';
  switch (action.type) {
    case 'title':
    case 'status':
    case 'severity':
    case 'settings':
      return { [action.type]: payload[action.type] };
    case 'description':
      return { description: mirroredDescription(theCase, String(payload.description)) };
    case 'tags':
      return { tags: applyChange(current.tags, payload.tags as string[], removing) };
    case 'assignees': {
      const converted = caseAssigneesToKibana((payload.assignees as { uid: string }[]).map((assignee) => assignee.uid), profileUids);
      const uids = applyChange(current.assignees.map((assignee) => assignee.uid), converted.uids.map((assignee) => assignee.uid), removing);
      const tags = applyChange(current.tags, converted.tags, removing);
      return { assignees: uids.map((uid) => ({ uid })), ...(converted.tags.length ? { tags } : {}) };
    }
    default:
      return undefined;
  }
}

function applyChange(current: readonly string[], changed: readonly string[], removing: boolean): string[] {
  return removing ? current.filter((item) => !changed.includes(item)) : [...current, ...changed.filter((item) => !current.includes(item))];
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The comment an attachment becomes in Kibana; null for what cannot go there (an attachment of a kind Kibana met first). */
export function commentRequest(attachment: Attachment, owner: Case['owner']): Record<string, unknown> | null {
  const typed = typedAttachmentData(attachment.type, attachment.data);
  if (!typed || typed.type === 'unknown') return null;
  if (typed.type === 'indicator') {
    const { value, type, feedName } = typed.data;
    return { type: 'user', comment: `Indicator \`${value}\` (${type}${feedName ? `, feed ${feedName}` : ''})`, owner };
  }
  const attributes = kibanaCommentAttributes(typed, attachment.id, API_PROFILE);
  if (attributes.type === 'alert') {
    const rule = attributes.rule as { id: string | null; name: string | null };
    // The API's rule has string members only: a rule caseops does not know is left out rather than sent as null.
    return { ...attributes, rule: { ...(rule.id ? { id: rule.id } : {}), ...(rule.name ? { name: rule.name } : {}) }, owner };
  }
  return { ...attributes, owner };
}
