/**
 * User actions in Kibana's shapes (server/services/user_actions): what each write records, and
 * `GET /api/cases/{caseId}/user_actions/_find`. A payload holds one key, the field's name; tags and
 * assignees record what was added and what was removed as separate `add`/`delete` actions; settings only
 * the settings that changed; custom fields one `update` per changed field; `create_case` the whole new case.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { type OperationContext, type OperationHandler, asArray, pageOf, requireCase } from './operation-context';
import type { CasesIndex, SpaceCases, StoredCase } from './store';
import type { CaseAttributes, KibanaUser, UserAction, UserActionType } from './types';

/** Who acts on which case, and when: the fields every user action of one write shares. */
export interface ActionScope {
  index: CasesIndex;
  space: SpaceCases;
  caseId: string;
  owner: string;
  user: KibanaUser;
  at: string;
}

export function actionScope(context: OperationContext, stored: StoredCase): ActionScope {
  const { index, space, user, now } = context;
  return { index, space, user, at: now, caseId: stored.id, owner: stored.attributes.owner };
}

export interface UserActionDraft {
  type: UserActionType;
  action: UserAction['action'];
  payload: Record<string, unknown>;
  commentId?: string;
}

export function recordUserActions(scope: ActionScope, drafts: UserActionDraft[]): void {
  const list = scope.space.userActions.get(scope.caseId) ?? [];
  for (const draft of drafts) {
    list.push({
      id: randomUUID(),
      version: scope.index.nextWrite().version,
      type: draft.type,
      action: draft.action,
      payload: structuredClone(draft.payload), // a record of that moment, apart from the case it describes
      comment_id: draft.commentId ?? null,
      created_at: scope.at,
      created_by: scope.user,
      owner: scope.owner,
    });
  }
  scope.space.userActions.set(scope.caseId, list);
}

/** `create_case`: the new case as requested, defaults filled in, with `status: open` (builders/create_case.ts). */
export function createCaseAction(attributes: CaseAttributes): UserActionDraft {
  const { title, description, tags, connector, settings, owner, severity, assignees, category, customFields } = attributes;
  const payload = { title, description, tags, connector, settings, owner, severity, assignees, category, customFields, status: 'open' };
  return { type: 'create_case', action: 'create', payload };
}

/** Case fields whose changes Kibana records (keys of `UserActionTypes`). */
const RECORDED_FIELDS = new Set<string>(['title', 'description', 'status', 'severity', 'tags', 'assignees', 'category', 'customFields', 'settings', 'connector']);

/** The user actions of one case's update, in the order of its changed fields (operations/create.ts `buildUserActions`). */
export function updateActions(original: CaseAttributes, changes: Partial<CaseAttributes>): UserActionDraft[] {
  return Object.entries(changes).flatMap(([field, value]): UserActionDraft[] => {
    if (!RECORDED_FIELDS.has(field)) return [];
    const before = original[field as keyof CaseAttributes];
    if (field === 'tags' || field === 'assignees') return addDeleteActions(field, before as unknown[], value as unknown[]);
    if (field === 'customFields') return customFieldActions(before as CaseAttributes['customFields'], value as CaseAttributes['customFields']);
    if (field === 'settings') return [settingsAction(before as CaseAttributes['settings'], value as CaseAttributes['settings'])];
    return [{ type: field as UserActionType, action: 'update', payload: { [field]: value } }];
  });
}

function addDeleteActions(field: 'tags' | 'assignees', before: unknown[], after: unknown[]): UserActionDraft[] {
  const added = after.filter((item) => !before.some((old) => isDeepStrictEqual(old, item)));
  const removed = before.filter((item) => !after.some((now) => isDeepStrictEqual(now, item)));
  return [
    ...(added.length > 0 ? [{ type: field, action: 'add' as const, payload: { [field]: added } }] : []),
    ...(removed.length > 0 ? [{ type: field, action: 'delete' as const, payload: { [field]: removed } }] : []),
  ];
}

function customFieldActions(before: CaseAttributes['customFields'], after: CaseAttributes['customFields']): UserActionDraft[] {
  const knownKeys = new Set(before.map((field) => field.key));
  return after
    .filter((field) => !before.some((old) => isDeepStrictEqual(old, field)))
    .filter((field) => field.value !== null || knownKeys.has(field.key))
    .map((field) => ({ type: 'customFields', action: 'update', payload: { customFields: [field] } }));
}

function settingsAction(before: CaseAttributes['settings'], after: CaseAttributes['settings']): UserActionDraft {
  const changed = Object.fromEntries(
    (['syncAlerts', 'extractObservables'] as const)
      .filter((key) => after[key] !== undefined && after[key] !== before[key])
      .map((key) => [key, after[key]]),
  );
  return { type: 'settings', action: 'update', payload: { settings: changed } };
}

/** What each `types` filter of the find API selects (operations/find.ts `buildFilterType`). */
function selects(type: string, action: UserAction): boolean {
  const commentType = action.type === 'comment' ? (action.payload.comment as { type?: string } | undefined)?.type : undefined;
  switch (type) {
    case 'action':
      return commentType !== 'user';
    case 'user':
      return commentType === 'user' && action.action === 'create';
    case 'alert':
      return commentType === 'alert';
    case 'attachment':
      return commentType === 'persistableState' || commentType === 'externalReference';
    default:
      return action.type === type;
  }
}

/** The user actions `_find` returns: those any of `types` selects, by `created_at` (ascending unless asked). */
function selectUserActions(all: UserAction[], types: string[], sortOrder: 'asc' | 'desc'): UserAction[] {
  const direction = sortOrder === 'desc' ? -1 : 1;
  return all
    .filter((action) => types.length === 0 || types.some((type) => selects(type, action)))
    .map((action, order) => ({ action, order }))
    .sort((a, b) => direction * a.action.created_at.localeCompare(b.action.created_at) || a.order - b.order)
    .map(({ action }) => action);
}

export const findCaseUserActions: OperationHandler = (context) => {
  context.authorize('access', 'user actions');
  const caseId = requireCase(context, context.params.caseId ?? '').id;
  const sortOrder = context.query.sortOrder === 'desc' ? 'desc' : 'asc';
  const selected = selectUserActions(context.space.userActionsOf(caseId), asArray(context.query.types), sortOrder);
  const { page, perPage, items } = pageOf(selected, context.query);
  return { status: 200, body: { page, perPage, total: selected.length, userActions: structuredClone(items) } };
};
