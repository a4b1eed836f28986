import type { Client, estypes } from '@elastic/elasticsearch';
import { type CaseSource, committedOp } from './case-documents';
import { type ChildBody, type ChildKind, type ChildSource, visibleBody } from './child-documents';
import { readChildren, readDocuments } from './document-io';

/**
 * Reads attachments or user actions as readers must see them: committed bodies, and pending bodies of their
 * case's last commit. Searches are near-real-time, so two things are read again in real time: the children of
 * the case's last commit (their ids are on the case document; they may not be searchable yet, in particular when
 * their writer died before finalising), and hits whose pending mark belongs to another operation (a stale copy
 * of a child finalised since).
 */

export interface ChildPage {
  limit: number;
  offset?: number;
  /** Attachments only: their `type`. */
  types?: readonly string[];
}

/** What readers need of a case to see its children: its last commit. */
export interface LastCommit {
  op: string | null;
  /** The children of this kind that the last commit staged. */
  childIds: readonly string[];
}

interface Visible<T extends ChildBody> {
  source: ChildSource<T>;
  body: T;
}

const MAX_PAGE = 1000;
/** Newest first: the case version a child arrived with, then its position in that write; id only breaks ties. */
const NEWEST_FIRST: estypes.Sort = [{ case_version: 'desc' }, { ordinal: 'desc' }, { id: 'desc' }];
/** Oldest first, across cases. */
const OLDEST_FIRST: estypes.Sort = [{ created_at: 'asc' }, { case_id: 'asc' }, { case_version: 'asc' }, { ordinal: 'asc' }];

/** A page of one case's children, newest first. */
export async function listVisibleChildren<T extends ChildBody>(client: Client, kind: ChildKind, caseId: string, last: LastCommit, page: ChildPage): Promise<T[]> {
  const accept = (body: T) => body.caseId === caseId && (page.types === undefined || page.types.includes(body.type));
  const latest = (await readChildren(client, last.childIds.map((id) => ({ kind, id })))).flatMap((child) => {
    const source = child?.source as ChildSource<T> | undefined;
    const body = source && visibleBody(source, last.op);
    return source && body && accept(body) ? [{ source, body }] : [];
  });
  const filter: estypes.QueryDslQueryContainer[] = [{ term: { case_id: caseId } }];
  if (page.types !== undefined) filter.push({ terms: { type: [...page.types] } });
  const query: estypes.QueryDslQueryContainer = { bool: { filter, must_not: [{ ids: { values: [...last.childIds] } }] } };
  const wanted = (page.offset ?? 0) + page.limit;
  const searched = await collectVisible<T>(client, kind, query, NEWEST_FIRST, () => () => last.op, accept, wanted);
  return [...latest, ...searched]
    .sort((a, b) => newestFirst(a.source, b.source))
    .slice(page.offset ?? 0, wanted)
    .map((visible) => visible.body);
}

/**
 * Every visible child matching `query` in any case, oldest first; `accept` checks the visible body itself.
 * Unlike a case's own lists, this finds a child only once it is searchable (at most one refresh interval after
 * its commit).
 */
export async function findVisibleChildren<T extends ChildBody>(
  client: Client,
  kind: ChildKind,
  casesIndex: string,
  query: estypes.QueryDslQueryContainer,
  accept: (body: T) => boolean,
): Promise<T[]> {
  const heads = new Map<string, string | null>();
  const lastOps = async (caseIds: string[]) => {
    const missing = caseIds.filter((caseId) => !heads.has(caseId));
    for (const [caseId, head] of await readDocuments<CaseSource>(client, casesIndex, missing)) heads.set(caseId, committedOp(head));
    return (caseId: string) => heads.get(caseId) ?? null;
  };
  const found = await collectVisible<T>(client, kind, query, OLDEST_FIRST, lastOps, accept, Number.POSITIVE_INFINITY);
  return found.map((visible) => visible.body);
}

export async function getVisibleChild<T extends ChildBody>(client: Client, kind: ChildKind, caseId: string, id: string, lastCommittedOp: string | null): Promise<T | null> {
  const [child] = await readChildren(client, [{ kind, id }]);
  const body = child ? visibleBody(child.source as ChildSource<T>, lastCommittedOp) : null;
  return body && body.caseId === caseId ? body : null;
}

type LastOps = (caseIds: string[]) => ((caseId: string) => string | null) | Promise<(caseId: string) => string | null>;

/** Pages through the hits in `sort` order until `wanted` visible, accepted children are found or the hits run out. */
async function collectVisible<T extends ChildBody>(
  client: Client,
  kind: ChildKind,
  query: estypes.QueryDslQueryContainer,
  sort: estypes.Sort,
  lastOps: LastOps,
  accept: (body: T) => boolean,
  wanted: number,
): Promise<Visible<T>[]> {
  const size = Math.min(wanted + 10, MAX_PAGE);
  const visible: Visible<T>[] = [];
  let after: estypes.SortResults | undefined;
  while (visible.length < wanted) {
    const response = await client.search<ChildSource<T>>({ index: kind.index, query, sort, size, ...(after ? { search_after: after } : {}) });
    const hits = response.hits.hits;
    const sources = hits.map((hit) => hit._source!);
    const lastOp = await lastOps(sources.map((source) => source.case_id));
    for (const source of await freshWhereStale(client, kind, sources, lastOp)) {
      const body = source && visibleBody(source, lastOp(source.case_id));
      if (source && body && accept(body)) visible.push({ source, body });
    }
    if (hits.length < size) break;
    after = hits[hits.length - 1]!.sort;
  }
  return visible;
}

/** The sources, with those whose pending mark is not their case's last commit replaced by a realtime read (null: gone). */
async function freshWhereStale<T extends ChildBody>(
  client: Client,
  kind: ChildKind,
  sources: ChildSource<T>[],
  lastOp: (caseId: string) => string | null,
): Promise<(ChildSource<T> | null)[]> {
  const stale = sources.filter((source) => source.pending !== undefined && source.pending.op !== lastOp(source.case_id));
  if (stale.length === 0) return sources;
  const reread = await readChildren(client, stale.map((source) => ({ kind, id: source.id })));
  const fresh = new Map(stale.map((source, position) => [source.id, (reread[position]?.source ?? null) as ChildSource<T> | null]));
  return sources.map((source) => (fresh.has(source.id) ? fresh.get(source.id)! : source));
}

/** NEWEST_FIRST, for merging realtime reads into search results. */
function newestFirst(a: ChildSource, b: ChildSource): number {
  return b.case_version - a.case_version || b.ordinal - a.ordinal || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
