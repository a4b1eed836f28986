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
    assignees: theCase.assignees,
    settings: theCase.settings,
    owner: theCase.owner,
  });
}
