import type { Plan } from './case-access';
import type { Actor, Attachment, Case } from './model';
import { commentAction } from './user-actions';

/** A user comment added to the case (already touched by the change): the attachment, its action, and the count on the case. */
export function commented(theCase: Case, actor: Actor, at: string, id: string, comment: string): NonNullable<Plan> {
  const attachment: Attachment = { id, caseId: theCase.id, type: 'user', data: { comment }, createdAt: at, createdBy: actor, updatedAt: null, updatedBy: null, owner: theCase.owner };
  const next = { ...theCase, totals: { ...theCase.totals, user: theCase.totals.user + 1 } };
  return { next, write: { actions: [commentAction(next, actor, at, id, { type: 'user', comment })], addAttachments: [attachment] } };
}
