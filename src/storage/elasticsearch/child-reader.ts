import type { Client, estypes } from '@elastic/elasticsearch';
import { type CaseSource, generationOf } from './case-documents';
import { type CaseGeneration, type ChildBody, type ChildKind, type ChildPosition, type ChildSource, visibleBody, visiblePosition } from './child-documents';
import type { SearchRouting } from './change-markers';
import { readChildren, readDocuments } from './document-io';

/**
 * Reads attachments or user actions as readers must see them: committed bodies of their case's current
 * generation, and pending bodies of its last commit (child-documents.ts `visibleBody`). Searches are
 * near-real-time, so two things are read again in real time: the children of the case's last commit (their ids
 * are on the case document; they may not be searchable yet, in particular when their writer died before
 * finalising), and hits whose pending mark belongs to another operation (a stale copy of a child finalised since).
 */

export interface ChildPage {
  limit: number;
  offset?: number;
  /** Attachments only: their `type`. */
  types?: readonly string[];
}

interface Visible<T extends ChildBody> {
  position: ChildPosition;
  body: T;
  /** The case of the document it was read from. */
  caseId: string;
}

const MAX_PAGE = 1000;
/** Newest first: the case version a child arrived with, then its position in that write; id only breaks ties. */
const NEWEST_FIRST: estypes.Sort = [{ case_version: 'desc' }, { ordinal: 'desc' }, { id: 'desc' }];
/** Oldest first, across cases. */
const OLDEST_FIRST: estypes.Sort = [{ created_at: 'asc' }, { case_id: 'asc' }, { case_version: 'asc' }, { ordinal: 'asc' }];

/** A page of one case's children, newest first. `latestIds`: the children of this kind its last commit staged. */
export async function listVisibleChildren<T extends ChildBody>(
  client: Client,
  kind: ChildKind,
  caseId: string,
  generation: CaseGeneration,
  latestIds: readonly string[],
  page: ChildPage,
  routing: SearchRouting,
): Promise<T[]> {
  const wanted = (page.offset ?? 0) + page.limit;
  const found = await visibleChildrenOfCases<T>(client, kind, [{ caseId, generation, latestIds }], routing, page.types, wanted);
  return (found.get(caseId) ?? []).slice(page.offset ?? 0, wanted).map((visible) => visible.body);
}

/** What reading a case's children needs of it: its generation, and the children of this kind its last commit staged. */
export interface CaseChildrenRef {
  caseId: string;
  generation: CaseGeneration;
  latestIds: readonly string[];
}

/** All the visible children of each of these cases, newest first, in a few requests however many cases there are. */
export async function listVisibleChildrenOfCases<T extends ChildBody>(
  client: Client,
  kind: ChildKind,
  cases: readonly CaseChildrenRef[],
  routing: SearchRouting,
): Promise<Map<string, T[]>> {
  const found = await visibleChildrenOfCases<T>(client, kind, cases, routing, undefined, Number.POSITIVE_INFINITY);
  return new Map([...found].map(([caseId, visible]) => [caseId, visible.map((child) => child.body)]));
}

/**
 * The visible children of these cases (of `types`, when given), newest first for each, until `wanted` are found:
 * the children their last commits staged, read in real time (they may not be searchable yet, in particular when
 * their writer died before finalising), then a search for the rest of each case's current generation.
 */
async function visibleChildrenOfCases<T extends ChildBody>(
  client: Client,
  kind: ChildKind,
  cases: readonly CaseChildrenRef[],
  routing: SearchRouting,
  types: readonly string[] | undefined,
  wanted: number,
): Promise<Map<string, Visible<T>[]>> {
  const refs = new Map(cases.filter((ref) => ref.generation.op !== null).map((ref) => [ref.caseId, ref]));
  const found = new Map<string, Visible<T>[]>([...refs.keys()].map((caseId) => [caseId, []]));
  if (refs.size === 0) return found;
  const accept = (body: T) => refs.has(body.caseId) && (types === undefined || types.includes(body.type));
  // A child is its own case's: found under that case, with a body that says so.
  const keep = (visible: Visible<T> | null) => {
    if (visible && visible.body.caseId === visible.caseId) found.get(visible.caseId)?.push(visible);
  };
  const generationOfCase = (caseId: string) => refs.get(caseId)?.generation ?? generationOf(null);
  const latestIds = [...refs.values()].flatMap((ref) => ref.latestIds);
  for (const child of await readChildren(client, latestIds.map((id) => ({ kind, id })))) {
    if (child) keep(visibleOf(child.source as ChildSource<T>, generationOfCase(child.source.case_id), accept));
  }
  // The rest: each case's current generation (the last commit's children, read above, are the only ones that may
  // be moving into it).
  const ofCases = [...refs.values()].map(({ caseId, generation }) => ({
    bool: { filter: [{ term: { case_id: caseId } }, { range: { case_version: { gte: generation.since } } }] },
  }));
  const filter: estypes.QueryDslQueryContainer[] = [{ bool: { should: ofCases, minimum_should_match: 1 } }];
  if (types !== undefined) filter.push({ terms: { type: [...types] } });
  const query: estypes.QueryDslQueryContainer = { bool: { filter, must_not: [{ ids: { values: latestIds } }] } };
  for (const visible of await collectVisible<T>(client, kind, { query, sort: NEWEST_FIRST, ...routing }, () => generationOfCase, accept, wanted)) keep(visible);
  for (const visible of found.values()) visible.sort((a, b) => newestFirst(a.position, b.position));
  return found;
}

/** Every visible child matching `query` in any case, oldest first; `accept` checks the visible body itself. */
export async function findVisibleChildren<T extends ChildBody>(
  client: Client,
  kind: ChildKind,
  casesIndex: string,
  query: estypes.QueryDslQueryContainer,
  accept: (body: T) => boolean,
  routing: SearchRouting,
): Promise<T[]> {
  const generations = new Map<string, CaseGeneration>();
  const generationsOf = async (caseIds: string[]) => {
    const missing = caseIds.filter((caseId) => !generations.has(caseId));
    for (const [caseId, head] of await readDocuments<CaseSource>(client, casesIndex, missing)) generations.set(caseId, generationOf(head));
    return (caseId: string) => generations.get(caseId) ?? generationOf(null);
  };
  const found = await collectVisible<T>(client, kind, { query, sort: OLDEST_FIRST, ...routing }, generationsOf, accept, Number.POSITIVE_INFINITY);
  return found.map((visible) => visible.body);
}

export async function getVisibleChild<T extends ChildBody>(client: Client, kind: ChildKind, caseId: string, id: string, generation: CaseGeneration): Promise<T | null> {
  const [child] = await readChildren(client, [{ kind, id }]);
  return (child && visibleOf(child.source as ChildSource<T>, generation, (body: T) => body.caseId === caseId)?.body) ?? null;
}

/** The generation of each hit's case, looked up once per page of hits. */
type GenerationsOf = (caseIds: string[]) => ((caseId: string) => CaseGeneration) | Promise<(caseId: string) => CaseGeneration>;

/** What to search: the query, its order, and the shard copy the read was made current on. */
interface ChildSearch extends SearchRouting {
  query: estypes.QueryDslQueryContainer;
  sort: estypes.Sort;
}

/** Pages through the hits in `sort` order until `wanted` visible, accepted children are found or the hits run out. */
async function collectVisible<T extends ChildBody>(
  client: Client,
  kind: ChildKind,
  search: ChildSearch,
  generationsOf: GenerationsOf,
  accept: (body: T) => boolean,
  wanted: number,
): Promise<Visible<T>[]> {
  const size = Math.min(wanted + 10, MAX_PAGE);
  const visible: Visible<T>[] = [];
  let after: estypes.SortResults | undefined;
  while (visible.length < wanted) {
    const response = await client.search<ChildSource<T>>({ index: kind.index, ...search, size, ...(after ? { search_after: after } : {}) });
    const hits = response.hits.hits;
    const sources = hits.map((hit) => hit._source!);
    const generationOf = await generationsOf(sources.map((source) => source.case_id));
    for (const source of await freshWhereStale(client, kind, sources, generationOf)) {
      const found = source && visibleOf(source, generationOf(source.case_id), accept);
      if (found) visible.push(found);
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
  generationOf: (caseId: string) => CaseGeneration,
): Promise<(ChildSource<T> | null)[]> {
  const stale = sources.filter((source) => source.pending !== undefined && source.pending.op !== generationOf(source.case_id).op);
  if (stale.length === 0) return sources;
  const reread = await readChildren(client, stale.map((source) => ({ kind, id: source.id })));
  const fresh = new Map(stale.map((source, position) => [source.id, (reread[position]?.source ?? null) as ChildSource<T> | null]));
  return sources.map((source) => (fresh.has(source.id) ? fresh.get(source.id)! : source));
}

function visibleOf<T extends ChildBody>(source: ChildSource<T>, generation: CaseGeneration, accept: (body: T) => boolean): Visible<T> | null {
  const body = visibleBody(source, generation);
  return body && accept(body) ? { body, position: visiblePosition(source, generation), caseId: source.case_id } : null;
}

/** NEWEST_FIRST, for merging realtime reads into search results (visible children never share a position). */
function newestFirst(a: ChildPosition, b: ChildPosition): number {
  return b.case_version - a.case_version || b.ordinal - a.ordinal;
}
