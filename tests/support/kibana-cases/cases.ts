/**
 * Creating, reading, updating and deleting cases, in the order Kibana checks things
 * (client/cases/create.ts, get.ts, bulk_update.ts, delete.ts): body rules, privileges, existence,
 * version, then the write, its new version and its user actions.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { badRequest, conflict, notAcceptable, notFound } from './errors';
import { type OperationContext, type OperationHandler, asArray, encodeCase, requireCase } from './operation-context';
import { CREATE_CASE_KEYS, PATCH_CASE_KEYS, refuseCustomFields, refuseEmptyStrings, refuseUnknownKeys } from './request-rules';
import type { StoredCase } from './store';
import type { CaseAttributes, CaseConnector, CaseSeverity, CaseStatus } from './types';
import { actionScope, createCaseAction, recordUserActions, updateActions } from './user-actions';

type Body = Record<string, unknown>;

const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : value);

/** Kibana trims titles, descriptions, categories and tags on create and update, and drops repeated assignees. */
function normalize(fields: Body): Body {
  const out: Body = { ...fields };
  for (const key of ['title', 'description', 'category']) if (typeof out[key] === 'string') out[key] = trimmed(out[key]);
  if (Array.isArray(out.tags)) out.tags = out.tags.map(trimmed);
  if (Array.isArray(out.assignees)) {
    out.assignees = out.assignees.filter((a, i, all) => all.findIndex((b) => isDeepStrictEqual(a, b)) === i);
  }
  return out;
}

export const createCase: OperationHandler = (context) => {
  const body = context.body as Body;
  refuseUnknownKeys(body, CREATE_CASE_KEYS);
  refuseEmptyStrings(body);
  refuseCustomFields(body.customFields);
  context.authorize('create', 'case', [String(body.owner)]);
  const request = normalize(body);
  const { version, seqNo } = context.index.nextWrite();
  const attributes: CaseAttributes = {
    title: request.title as string,
    description: request.description as string,
    tags: request.tags as string[],
    status: 'open',
    severity: (request.severity as CaseSeverity | undefined) ?? 'low',
    owner: request.owner as string,
    assignees: (request.assignees as CaseAttributes['assignees'] | undefined) ?? [],
    category: (request.category as string | undefined) ?? null,
    customFields: [],
    settings: request.settings as CaseAttributes['settings'],
    connector: request.connector as CaseConnector,
    external_service: null,
    observables: [],
    total_observables: 0,
    duration: null,
    closed_at: null,
    closed_by: null,
    created_at: context.now,
    created_by: context.user,
    updated_at: null,
    updated_by: null,
  };
  const stored: StoredCase = { id: randomUUID(), version, seqNo, attributes };
  context.space.cases.set(stored.id, stored);
  recordUserActions(actionScope(context, stored), [createCaseAction(attributes)]);
  return { status: 200, body: encodeCase(context.space, stored, false) };
};

export const getCase: OperationHandler = (context) => {
  const stored = requireCase(context, context.params.caseId ?? '');
  context.authorize('access', 'case', [stored.attributes.owner]);
  return { status: 200, body: encodeCase(context.space, stored, context.query.includeComments !== 'false') };
};

/**
 * The fields of a patch that differ from the case (client/utils.ts `getCaseToUpdate`): lists compare as
 * sets, so reordering tags changes nothing. Request order is kept; assignees come last, as Kibana writes them.
 */
function changedFields(current: CaseAttributes, patch: Body): Body {
  const changes = Object.entries(patch).filter(([key, value]) => {
    if (key === 'id' || key === 'version') return false;
    const before = (current as unknown as Body)[key];
    if (Array.isArray(before) && Array.isArray(value)) {
      const missingFrom = (a: unknown[], b: unknown[]) => a.some((x) => !b.some((y) => isDeepStrictEqual(x, y)));
      return missingFrom(before, value) || missingFrom(value, before);
    }
    return !isDeepStrictEqual(before, value);
  });
  const { assignees, ...rest } = Object.fromEntries(changes);
  return assignees === undefined ? rest : { ...rest, assignees };
}

/** Closing records who closed it, when, and after how many seconds; reopening clears all three. */
function statusFields(status: CaseStatus | undefined, context: OperationContext, createdAt: string): Partial<CaseAttributes> {
  if (status === 'closed') {
    const duration = Math.floor((Date.parse(context.now) - Date.parse(createdAt)) / 1000);
    return { closed_at: context.now, closed_by: context.user, duration };
  }
  return status === undefined ? {} : { closed_at: null, closed_by: null, duration: null };
}

function applyUpdate(context: OperationContext, stored: StoredCase, changes: Body) {
  const original = stored.attributes;
  const updated = normalize(changes) as Partial<CaseAttributes>;
  stored.attributes = {
    ...original,
    ...updated,
    ...statusFields(updated.status, context, original.created_at),
    updated_at: context.now,
    updated_by: context.user,
  };
  stored.version = context.index.nextWrite().version;
  recordUserActions(actionScope(context, stored), updateActions(original, updated));
  return encodeCase(context.space, stored, false);
}

const idList = (requests: Body[]) => requests.map((request) => String(request.id)).join(', ');

export const updateCases: OperationHandler = (context) => {
  const requests = (context.body as { cases: Body[] }).cases;
  for (const request of requests) {
    refuseUnknownKeys(request, PATCH_CASE_KEYS);
    refuseEmptyStrings(request);
  }
  const found = requests.map((request) => context.space.cases.get(String(request.id)));
  context.authorize('update', 'case', found.flatMap((stored) => (stored ? [stored.attributes.owner] : [])));
  const missing = requests.filter((_, i) => !found[i]);
  if (missing.length > 0) throw notFound(`These cases ${idList(missing)} do not exist. Please check you have the correct ids.`);
  const stale = requests.filter((request, i) => found[i]?.version !== request.version);
  if (stale.length > 0) {
    throw conflict(`These cases ${idList(stale)} have been updated. Please refresh before saving additional updates.`);
  }
  const updates = requests
    .map((request, i) => ({ stored: found[i] as StoredCase, changes: changedFields((found[i] as StoredCase).attributes, request) }))
    .filter(({ changes }) => Object.keys(changes).length > 0);
  if (updates.length === 0) throw notAcceptable('All update fields are identical to current version.');
  const ownerChanges = updates.filter(({ changes }) => 'owner' in changes);
  if (ownerChanges.length > 0) {
    throw badRequest(`Updating the owner of a case is not allowed ids: [${ownerChanges.map(({ stored }) => stored.id).join(', ')}]`);
  }
  for (const { changes } of updates) refuseCustomFields(changes.customFields);
  return { status: 200, body: updates.map(({ stored, changes }) => applyUpdate(context, stored, changes)) };
};

/** `ids` as repeated parameters (`ids=a&ids=b`) or one JSON array (`ids=["a","b"]`), as Kibana's config-schema takes it. */
function idsOf(value: string | string[] | undefined): string[] {
  const ids = asArray(value);
  const [only] = ids;
  if (ids.length === 1 && only?.startsWith('[')) {
    try {
      return (JSON.parse(only) as unknown[]).map(String);
    } catch {
      throw badRequest(`Invalid value "${only}" supplied to "ids"`);
    }
  }
  return ids;
}

export const deleteCases: OperationHandler = (context) => {
  const doomed = idsOf(context.query.ids).map((id) => requireCase(context, id));
  context.authorize('delete', 'case', doomed.map((stored) => stored.attributes.owner));
  for (const stored of doomed) {
    context.space.remove(stored.id);
    context.space.deletions.push({
      id: randomUUID(),
      version: context.index.nextWrite().version,
      type: 'delete_case',
      action: 'delete',
      payload: {},
      comment_id: null,
      created_at: context.now,
      created_by: context.user,
      owner: stored.attributes.owner,
    });
  }
  return { status: 204 };
};
