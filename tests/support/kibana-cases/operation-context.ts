/** What every operation handler gets: the space's cases, who asks, their privileges, and the clock. */
import type { Authorize } from './auth';
import { savedObjectNotFound } from './errors';
import type { CasesIndex, SpaceCases, StoredCase } from './store';
import type { KibanaCase, KibanaUser } from './types';

export interface OperationContext {
  index: CasesIndex;
  space: SpaceCases;
  user: KibanaUser;
  authorize: Authorize;
  /** The time of this request, as Kibana writes it (`new Date().toISOString()`). */
  now: string;
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  body: unknown;
}

export interface OperationResult {
  status: number;
  body?: unknown;
}

export type OperationHandler = (context: OperationContext) => OperationResult;

export function requireCase(context: OperationContext, id: string): StoredCase {
  const found = context.space.cases.get(id);
  if (!found) throw savedObjectNotFound('cases', id);
  return found;
}

/** A case as the API returns it (common/utils.ts `flattenCaseSavedObject`); `comments` only where Kibana includes them. */
export function encodeCase(space: SpaceCases, stored: StoredCase, withComments: boolean): KibanaCase {
  const comments = space.commentsOf(stored.id);
  const alertIds = comments.flatMap((comment) => (comment.type === 'alert' ? [comment.alertId ?? []].flat() : []));
  return structuredClone({
    id: stored.id,
    version: stored.version,
    comments: withComments ? comments : [],
    totalComment: comments.filter((comment) => comment.type === 'user').length,
    totalAlerts: new Set(alertIds).size,
    totalEvents: 0,
    ...stored.attributes,
  });
}

/** A page of a list, with the numbers Kibana reports for it. */
export function pageOf<T>(items: T[], query: Record<string, string | string[]>): { page: number; perPage: number; items: T[] } {
  const page = Number(query.page ?? 1);
  const perPage = Number(query.perPage ?? 20);
  return { page, perPage, items: items.slice((page - 1) * perPage, page * perPage) };
}

export function asArray(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : [value].flat();
}
