import { randomUUID } from 'node:crypto';
import { VersionConflictError } from '../../../src/cases/errors';
import { type Actor, type Attachment, type Case, emptyTotals, type UserAction } from '../../../src/cases/model';
import type { CaseStore, CaseWrite } from '../../../src/cases/store';
import { createCaseAction } from '../../../src/cases/user-actions';
import { backoffDelay, sleep } from '../../../src/storage/elasticsearch/backoff';
import { draftCase } from '../../contract/case-store-contract';

/** Cases and comments for the Elasticsearch-only tests, written through the CaseStore port like the service does. */

export const analyst: Actor = { userId: 'U0ANALYST', teamId: 'T0001', name: 'analyst' };

export async function createCase(store: CaseStore, overrides: Parameters<typeof draftCase>[0] = {}): Promise<Case> {
  const draft = draftCase(overrides);
  return (await store.createCase(draft, { actions: [createCaseAction(draft, analyst, draft.createdAt)] })).case;
}

/** A comment: the attachment, its user action, and the case with its comment total raised. */
export function commentWrite(theCase: Case, text: string, attachmentId: string = randomUUID()): { next: Case; write: CaseWrite } {
  const at = new Date().toISOString();
  const attachment: Attachment = {
    id: attachmentId,
    caseId: theCase.id,
    type: 'user',
    data: { comment: text },
    createdAt: at,
    createdBy: analyst,
    updatedAt: null,
    updatedBy: null,
    owner: theCase.owner,
  };
  const action: UserAction = {
    id: randomUUID(),
    caseId: theCase.id,
    type: 'comment',
    action: 'create',
    payload: { comment: { type: 'user', comment: text } },
    attachmentId,
    createdAt: at,
    createdBy: analyst,
    owner: theCase.owner,
  };
  const totals = { ...emptyTotals(), ...theCase.totals, user: theCase.totals.user + 1 };
  return { next: { ...theCase, totals, updatedAt: at, updatedBy: analyst }, write: { actions: [action], addAttachments: [attachment] } };
}

/** What the service does on VersionConflictError: read the case again and redo the change, until it lands. */
export async function commentWithRetry(store: CaseStore, teamId: string, caseId: string, text: string, change: (c: Case) => Case = (c) => c): Promise<number> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await store.getCase(teamId, { id: caseId });
    if (!current) throw new Error(`case ${caseId} vanished`);
    const { next, write } = commentWrite(current, text);
    try {
      await store.updateCase(change(next), current.version, write);
      return attempt;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      // Up to 2 s: with a hundred writers on one case, they must spread out for any of them to get through.
      await sleep(backoffDelay(attempt, 10, 2000));
    }
  }
}
