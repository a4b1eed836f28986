import { ATTACHMENT_TYPES, type AttachmentType } from '../../cases/model';
import { assigneeUid } from '../assignees';
import { typedAttachmentData } from '../attachment-data';
import type { UserActionWithExtras } from '../extras';
import { isRecord } from '../records';
import { caseReference, commentReference, NONE_CONNECTOR, type SavedObject, USER_ACTION_TYPE } from '../saved-objects';
import { mergeInKeyOrder, withKeptAttributes } from './attribute-order';
import { kibanaCommentAttributes } from './comment-attributes';
import type { CaseExportContext, ExportContext } from './context';
import { envelope } from './envelope';

/**
 * A caseops user action as Kibana's `cases-user-actions` object. Payloads are already in Kibana's
 * vocabulary; export only translates what is caseops-specific in them: Slack assignees (assignees.ts), a
 * create_case without a connector (Kibana's always has one), and the `comment` payload of a caseops-only
 * attachment type, which becomes the same Kibana comment the attachment itself becomes.
 */
export function userActionSavedObject(action: UserActionWithExtras, context: CaseExportContext): SavedObject {
  const { keyOrder } = context;
  return envelope(
    {
      type: USER_ACTION_TYPE,
      id: action.id,
      // In sorted key order (attribute-order.ts).
      attributes: withKeptAttributes(
        {
          action: action.action,
          created_at: action.createdAt,
          created_by: context.users.of(action.createdBy),
          owner: action.owner,
          payload: kibanaPayload(action, context),
          type: action.type,
        },
        action.kibana?.attributes,
        keyOrder,
      ),
      references: [
        caseReference(action.caseId),
        ...(action.attachmentId ? [commentReference(action.attachmentId)] : []),
        ...keyOrder.ordered(action.kibana?.references ?? []),
      ],
      declaredVersion: context.profile.declaredVersions[USER_ACTION_TYPE],
      createdAt: action.createdAt,
      updatedAt: action.createdAt,
    },
    context.profile,
  );
}

/** The payload as Kibana records it, in writing order (key-order.ts): payloads are recorded in any order. */
function kibanaPayload(action: UserActionWithExtras, context: CaseExportContext): Record<string, unknown> {
  const { payload } = action;
  const { keyOrder } = context;
  switch (action.type) {
    case 'create_case':
      return keyOrder.ordered({ connector: NONE_CONNECTOR, ...payload, ...kibanaAssignees(payload, context) });
    case 'assignees':
      return keyOrder.ordered({ ...payload, ...kibanaAssignees(payload, context) });
    case 'comment': {
      // The recorded comment is replaced, not ordered: ordering it would walk (and copy) data never written.
      const { comment, ...others } = payload;
      return mergeInKeyOrder(keyOrder.ordered(others), { comment: kibanaComment(comment, action, context) });
    }
    default:
      return keyOrder.ordered(payload);
  }
}

/** Kibana's `[{uid}]`, from either `{uid}` entries or the bare Slack ids caseops' create_case records. */
function kibanaAssignees(payload: Record<string, unknown>, context: ExportContext): Record<string, unknown> {
  if (!Array.isArray(payload.assignees)) return {};
  return {
    assignees: payload.assignees.map((assignee: unknown) => {
      if (typeof assignee === 'string') return { uid: assigneeUid(assignee, context.profileUids) };
      if (isRecord(assignee) && typeof assignee.uid === 'string') return { ...assignee, uid: assigneeUid(assignee.uid, context.profileUids) };
      return assignee;
    }),
  };
}

/**
 * The comment payload of a caseops attachment type is recorded in caseops' form, `{type, data, owner}` with
 * the attachment's data; Kibana's comment requests never have a `data` member. Those become the Kibana
 * comment the attachment itself becomes; Kibana-form payloads (imported, or `user` comments) stay as they are.
 */
function kibanaComment(comment: unknown, action: UserActionWithExtras, context: CaseExportContext): unknown {
  const { keyOrder } = context;
  if (!isCaseopsComment(comment)) return keyOrder.ordered(comment);
  const owner = { owner: keyOrder.ordered(comment.owner) };
  const made = action.attachmentId === undefined ? undefined : context.comments.recall(action.attachmentId, comment.type, comment.data);
  if (made) return mergeInKeyOrder(made, owner);
  const typed = typedAttachmentData(comment.type, comment.data);
  if (!typed || typed.type === 'unknown') {
    context.warn({ caseId: action.caseId, objectId: action.id, message: `the ${comment.type} in this comment action has invalid data; it was exported as recorded` });
    return keyOrder.ordered(comment);
  }
  return mergeInKeyOrder(kibanaCommentAttributes(typed, action.attachmentId ?? action.id, context.profile), owner);
}

function isCaseopsComment(comment: unknown): comment is { type: AttachmentType; data: Record<string, unknown>; owner?: unknown } {
  return isRecord(comment) && isRecord(comment.data) && typeof comment.type === 'string' && (ATTACHMENT_TYPES as readonly string[]).includes(comment.type);
}
