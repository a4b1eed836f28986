import { randomUUID } from 'node:crypto';
import type { Actor, Case, UserAction, UserActionType, UserActionVerb } from './model';

/**
 * Builders for user actions in Kibana's vocabulary: one per kind of change, so every use-case records the
 * same payload shape Kibana would (reference/kibana-cases.md §4).
 */

function userAction(
  theCase: Pick<Case, 'id' | 'owner'>,
  actor: Actor,
  at: string,
  type: UserActionType,
  action: UserActionVerb,
  payload: Record<string, unknown>,
): UserAction {
  return { id: randomUUID(), caseId: theCase.id, type, action, payload, createdAt: at, createdBy: actor, owner: theCase.owner };
}

export function createCaseAction(theCase: Omit<Case, 'number' | 'version'>, actor: Actor, at: string): UserAction {
  return userAction(theCase, actor, at, 'create_case', 'create', {
    title: theCase.title,
    description: theCase.description,
    status: theCase.status,
    severity: theCase.severity,
    tags: theCase.tags,
    assignees: theCase.assignees.map((uid) => ({ uid })),
    settings: theCase.settings,
    owner: theCase.owner,
  });
}

/** A field set to a new value: Kibana records the type named after the field and its new value. */
export function fieldAction(theCase: Case, actor: Actor, at: string, field: 'status' | 'severity' | 'title' | 'description'): UserAction {
  return userAction(theCase, actor, at, field, 'update', { [field]: theCase[field] });
}

/** Kibana records only the tags that changed, one action for those added and one for those removed. */
export function tagsActions(theCase: Case, actor: Actor, at: string, added: string[], removed: string[]): UserAction[] {
  return [
    ...(added.length ? [userAction(theCase, actor, at, 'tags', 'add', { tags: added })] : []),
    ...(removed.length ? [userAction(theCase, actor, at, 'tags', 'delete', { tags: removed })] : []),
  ];
}

export function assigneesActions(theCase: Case, actor: Actor, at: string, added: string[], removed: string[]): UserAction[] {
  const uids = (ids: string[]) => ids.map((uid) => ({ uid }));
  return [
    ...(added.length ? [userAction(theCase, actor, at, 'assignees', 'add', { assignees: uids(added) })] : []),
    ...(removed.length ? [userAction(theCase, actor, at, 'assignees', 'delete', { assignees: uids(removed) })] : []),
  ];
}

/** A comment action carries the attachment as Kibana's request shape, without ids. */
export function commentAction(
  theCase: Pick<Case, 'id' | 'owner'>,
  actor: Actor,
  at: string,
  attachmentId: string,
  comment: Record<string, unknown>,
): UserAction {
  return { ...userAction(theCase, actor, at, 'comment', 'create', { comment: { ...comment, owner: theCase.owner } }), attachmentId };
}
