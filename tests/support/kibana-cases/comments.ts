/**
 * Comments and alert attachments (client/attachments/add.ts, update.ts, get.ts). Adding or editing one is
 * also a write to its case: `updated_at`, `updated_by` and `version` change, and the answer is the case with
 * all its comments.
 */
import { randomUUID } from 'node:crypto';
import { badRequest, conflict, notFound, savedObjectNotFound } from './errors';
import { type OperationContext, type OperationHandler, encodeCase, pageOf, requireCase } from './operation-context';
import { refuseEmptyStrings, refuseUnknownCommentKeys } from './request-rules';
import type { StoredCase } from './store';
import type { CaseComment } from './types';
import { actionScope, recordUserActions } from './user-actions';

type CommentRequest = Pick<CaseComment, 'type' | 'owner' | 'comment' | 'alertId' | 'index' | 'rule'>;

/** The attachment's own fields, in the order Kibana stores them, for the comment and its user action payload. */
function attachmentFields(request: CommentRequest): CommentRequest {
  const { type, owner, comment, alertId, index, rule } = request;
  return type === 'alert' ? { type, alertId, index, rule, owner } : { type, comment, owner };
}

/** The case's side of a comment write, then the comment's user action. */
function touchCase(context: OperationContext, stored: StoredCase, action: 'create' | 'update', comment: CaseComment): void {
  stored.attributes = { ...stored.attributes, updated_at: context.now, updated_by: context.user };
  stored.version = context.index.nextWrite().version;
  recordUserActions(actionScope(context, stored), [
    { type: 'comment', action, payload: { comment: attachmentFields(comment) }, commentId: comment.id },
  ]);
}

export const addComment: OperationHandler = (context) => {
  const request = context.body as CommentRequest & Record<string, unknown>;
  refuseUnknownCommentKeys(request);
  refuseEmptyStrings(request);
  context.authorize('create', 'comments', [request.owner]);
  const stored = requireCase(context, context.params.caseId ?? '');
  if (request.type === 'alert' && stored.attributes.status === 'closed') throw badRequest('Alert cannot be attached to a closed case');
  if (request.owner !== stored.attributes.owner) throw badRequest('The owner field of the comment must match the case');
  const comment: CaseComment = {
    id: randomUUID(),
    version: context.index.nextWrite().version,
    ...attachmentFields(request),
    created_at: context.now,
    created_by: context.user,
    pushed_at: null,
    pushed_by: null,
    updated_at: null,
    updated_by: null,
  };
  context.space.comments.set(stored.id, [...context.space.commentsOf(stored.id), comment]);
  touchCase(context, stored, 'create', comment);
  return { status: 200, body: encodeCase(context.space, stored, true) };
};

export const updateComment: OperationHandler = (context) => {
  const request = context.body as CommentRequest & { id: string; version: string };
  refuseUnknownCommentKeys(request, ['id', 'version']);
  refuseEmptyStrings(request);
  const caseId = context.params.caseId ?? '';
  const stored = requireCase(context, caseId);
  const existing = [...context.space.comments.values()].flat().find((comment) => comment.id === request.id);
  if (!existing) throw notFound(`This comment ${request.id} does not exist anymore.`);
  context.authorize('update', 'comments', [existing.owner]);
  if (existing.type !== request.type) throw badRequest('You cannot change the type of the comment.');
  if (existing.owner !== request.owner) throw badRequest('You cannot change the owner of the comment.');
  if (!context.space.commentsOf(caseId).includes(existing)) throw notFound(`This comment ${request.id} does not exist in ${caseId}).`);
  if (existing.version !== request.version) {
    throw conflict('This case has been updated. Please refresh before saving additional updates.');
  }
  Object.assign(existing, attachmentFields(request), {
    version: context.index.nextWrite().version,
    updated_at: context.now,
    updated_by: context.user,
  });
  touchCase(context, stored, 'update', existing);
  return { status: 200, body: encodeCase(context.space, stored, true) };
};

/** Only `user` comments, by `created_at`, ascending unless asked (attachments `find`). */
export const findComments: OperationHandler = (context) => {
  context.authorize('access', 'comments');
  const userComments = context.space.commentsOf(context.params.caseId ?? '').filter((comment) => comment.type === 'user');
  const sorted = context.query.sortOrder === 'desc' ? [...userComments].reverse() : userComments;
  const { page, perPage, items } = pageOf(sorted, context.query);
  return { status: 200, body: { comments: structuredClone(items), page, per_page: perPage, total: userComments.length } };
};

export const getComment: OperationHandler = (context) => {
  const commentId = context.params.commentId ?? '';
  const comment = context.space.commentsOf(context.params.caseId ?? '').find((c) => c.id === commentId);
  if (!comment) throw savedObjectNotFound('cases-comments', commentId);
  context.authorize('access', 'comments', [comment.owner]);
  return { status: 200, body: structuredClone(comment) };
};
