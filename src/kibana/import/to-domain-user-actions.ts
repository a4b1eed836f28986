import { USER_ACTION_TYPES, type UserActionType } from '../../cases/model';
import { assigneeFromUid } from '../assignees';
import { extrasOf, type UserActionWithExtras } from '../extras';
import { isRecord } from '../records';
import { CASE_REFERENCE_NAME, CASE_TYPE, COMMENT_REFERENCE_NAME, COMMENT_TYPE } from '../saved-objects';
import { kibanaUserToActor } from '../users';
import { type CheckedObject, takeReference, unconsumedAttributes } from './checked-object';
import type { DomainContext } from './context';
import { describeIssues } from './envelope';
import { type ImportProblem, objectError, warning } from './problems';
import { payloadSchema, type UserActionAttributes } from './schemas';

const CONSUMED = ['action', 'type', 'payload', 'created_at', 'created_by', 'owner'];

/**
 * A Kibana user action as caseops' (payloads stay in Kibana's vocabulary; only assignee uids become caseops
 * assignees). A type caseops does not know is left out with a note: the case itself is complete without
 * it. A payload caseops would misread refuses the case. A comment action whose comment is not in the file
 * is kept: Kibana keeps the history of deleted comments too.
 */
export function userActionToDomain(
  object: CheckedObject<UserActionAttributes>,
  caseId: string,
  commentIds: ReadonlySet<string>,
  context: DomainContext,
): { action?: UserActionWithExtras; problems: ImportProblem[] } {
  const { attributes } = object;
  if (!isUserActionType(attributes.type)) {
    return { problems: [warning('unknown_user_action', `caseops does not know user actions of type "${attributes.type}"; this one was left out of the case's history.`, object)] };
  }
  const schema = payloadSchema(attributes.type);
  const checked = schema?.safeParse(attributes.payload);
  if (checked && !checked.success) {
    return { problems: [objectError(object, 'invalid_attributes', `Its ${attributes.type} payload is malformed: ${describeIssues(checked.error, 'payload')}.`)] };
  }
  const problems: ImportProblem[] = [];
  const { rest: withoutCase } = takeReference(object.references, CASE_REFERENCE_NAME, CASE_TYPE);
  const { taken: comment, rest: references } = takeReference(withoutCase, COMMENT_REFERENCE_NAME, COMMENT_TYPE);
  if (comment && !commentIds.has(comment.id)) {
    problems.push(warning('missing_comment', `It is about comment ${comment.id}, which is not in the file (deleted in Kibana?); it was kept as history.`, object));
  }
  const kibana = extrasOf(unconsumedAttributes(attributes, CONSUMED), references);
  return {
    action: {
      id: object.id,
      caseId,
      type: attributes.type,
      action: attributes.action,
      payload: withCaseopsAssignees(attributes.payload, context),
      ...(comment ? { attachmentId: comment.id } : {}),
      createdAt: attributes.created_at,
      createdBy: kibanaUserToActor(attributes.created_by, context.teamId),
      owner: attributes.owner,
      ...(kibana ? { kibana } : {}),
    },
    problems,
  };
}

function isUserActionType(type: string): type is UserActionType {
  return (USER_ACTION_TYPES as readonly string[]).includes(type);
}

function withCaseopsAssignees(payload: Record<string, unknown>, context: DomainContext): Record<string, unknown> {
  if (!Array.isArray(payload.assignees)) return payload;
  const assignees = payload.assignees.map((assignee: unknown) =>
    isRecord(assignee) && typeof assignee.uid === 'string' ? { ...assignee, uid: assigneeFromUid(assignee.uid, context.slackIdsByProfile) } : assignee,
  );
  return { ...payload, assignees };
}
