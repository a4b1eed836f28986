/**
 * `GET /api/cases/_find` (client/cases/find.ts) over one space's cases: Kibana's filters, its
 * `simple_query_string` search, its sort fields and its per-status counts.
 */
import { badRequest } from './errors';
import { type OperationHandler, asArray, encodeCase, pageOf } from './operation-context';
import type { StoredCase } from './store';
import type { CaseAttributes } from './types';

type Query = Record<string, string | string[]>;

/** Status and severity are stored as numbers and sort as such (server/common/constants.ts). */
const STATUS_ORDER: Record<string, number> = { open: 0, 'in-progress': 10, closed: 20 };
const SEVERITY_ORDER: Record<string, number> = { low: 0, medium: 10, high: 20, critical: 30 };

type SortKey = (c: CaseAttributes) => string | number | null;
const byCreatedAt: SortKey = (c) => c.created_at;
const SORT_KEYS: Record<string, SortKey> = {
  createdAt: byCreatedAt,
  updatedAt: (c) => c.updated_at,
  closedAt: (c) => c.closed_at,
  title: (c) => c.title,
  category: (c) => c.category,
  status: (c) => STATUS_ORDER[c.status] ?? 0,
  severity: (c) => SEVERITY_ORDER[c.severity] ?? 0,
};

/** An analysed text field's terms: lowercase runs of letters and digits, as the standard analyzer cuts them. */
const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

interface SearchUnit {
  terms: string[];
  /** `word*`: the last term is a prefix. */
  prefix: boolean;
}

/**
 * What `simple_query_string` makes of a search: a quoted phrase is one unit (consecutive words); any other
 * clause is analysed, and each word it yields is a unit of its own, joined to the rest by the default operator,
 * as Lucene does with a term the analyser splits (`caseops-42` is `caseops` OR `42`).
 */
function searchUnits(search: string): SearchUnit[] {
  return (search.match(/"[^"]*"|\S+/g) ?? []).flatMap((clause): SearchUnit[] => {
    if (clause.startsWith('"')) return [{ terms: words(clause), prefix: false }];
    const terms = words(clause);
    return terms.map((term, i) => ({ terms: [term], prefix: clause.endsWith('*') && i === terms.length - 1 }));
  });
}

function unitMatches({ terms, prefix }: SearchUnit, fieldWords: string[]): boolean {
  if (terms.length === 0) return false;
  return fieldWords.some((_, start) =>
    terms.every((term, i) => {
      const word = fieldWords[start + i];
      return word !== undefined && (prefix && i === terms.length - 1 ? word.startsWith(term) : word === term);
    }),
  );
}

/**
 * Kibana passes `search` to the saved objects `simple_query_string` over `searchFields`, units joined by
 * `defaultSearchOperator` (OR unless AND). Without `searchFields` every field is searched: here the text
 * fields title and description by word, and the keyword fields tags and category by whole value. A search
 * that is a case id also finds that case (client/utils.ts `constructSearch`).
 */
function searchMatcher(query: Query): (stored: StoredCase) => boolean {
  const search = typeof query.search === 'string' ? query.search.trim() : '';
  if (search === '') return () => true;
  const units = searchUnits(search);
  const fields = asArray(query.searchFields);
  const every = query.defaultSearchOperator === 'AND';
  return ({ id, attributes }) => {
    if (id === search) return true;
    const texts = (fields.length > 0 ? fields : ['title', 'description']).map((f) => words(String(attributes[f as 'title'])));
    const keywords = fields.length > 0 ? [] : [...attributes.tags, attributes.category ?? ''];
    const matches = (unit: SearchUnit) => texts.some((t) => unitMatches(unit, t)) || keywords.includes(search);
    return every ? units.every(matches) : units.some(matches);
  };
}

/** `from`/`to`: a date, or date math from now (`now-1d`), as the KQL range on `created_at` takes them. */
function instant(value: string, nowMs: number): number {
  const math = /^now(?:([+-]\d+)([smhdw]))?$/.exec(value);
  const unitMs: Record<string, number> = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 };
  const parsed = math ? nowMs + Number(math[1] ?? 0) * (unitMs[math[2] ?? 's'] ?? 0) : Date.parse(value);
  if (Number.isNaN(parsed)) throw badRequest('Invalid "from" and/or "to" query parameters');
  return parsed;
}

function filters(query: Query, nowMs: number): Array<(c: CaseAttributes) => boolean> {
  const owners = asArray(query.owner);
  const tags = asArray(query.tags);
  const assignees = asArray(query.assignees);
  const reporters = asArray(query.reporters);
  const categories = asArray(query.category);
  const from = typeof query.from === 'string' ? instant(query.from, nowMs) : -Infinity;
  const to = typeof query.to === 'string' ? instant(query.to, nowMs) : Infinity;
  return [
    (c) => owners.length === 0 || owners.includes(c.owner),
    (c) => query.severity === undefined || c.severity === query.severity,
    (c) => tags.length === 0 || c.tags.some((tag) => tags.includes(tag)),
    (c) =>
      assignees.length === 0 ||
      (assignees.includes('none') && c.assignees.length === 0) ||
      c.assignees.some((a) => assignees.includes(a.uid)),
    (c) => reporters.length === 0 || reporters.some((r) => r === c.created_by.username || r === c.created_by.profile_uid),
    (c) => categories.length === 0 || categories.includes(c.category ?? ''),
    (c) => Date.parse(c.created_at) >= from && Date.parse(c.created_at) <= to,
  ];
}

/** Sorted as Elasticsearch sorts: cases without a value last in either order, equal values in creation order. */
function sortCases(cases: StoredCase[], sortField: string, sortOrder: string): StoredCase[] {
  const key = SORT_KEYS[sortField] ?? byCreatedAt;
  const direction = sortOrder === 'asc' ? 1 : -1;
  return [...cases].sort((a, b) => {
    const [x, y] = [key(a.attributes), key(b.attributes)];
    if (x === null || y === null) return x === y ? a.seqNo - b.seqNo : x === null ? 1 : -1;
    return x < y ? -direction : x > y ? direction : a.seqNo - b.seqNo;
  });
}

export const findCases: OperationHandler = (context) => {
  context.authorize('access', 'cases');
  const { query } = context;
  const checks = filters(query, Date.parse(context.now));
  const filtered = [...context.space.cases.values()].filter((stored) => checks.every((check) => check(stored.attributes)));
  // Kibana counts statuses with the same filters but without `status` and without `search`.
  const count = (status: string) => filtered.filter((stored) => stored.attributes.status === status).length;
  const matches = searchMatcher(query);
  const found = filtered.filter((stored) => (query.status === undefined || stored.attributes.status === query.status) && matches(stored));
  const sorted = sortCases(found, String(query.sortField ?? 'createdAt'), String(query.sortOrder ?? 'desc'));
  const { page, perPage, items } = pageOf(sorted, query);
  return {
    status: 200,
    body: {
      cases: items.map((stored) => encodeCase(context.space, stored, false)),
      page,
      per_page: perPage,
      total: found.length,
      count_open_cases: count('open'),
      count_in_progress_cases: count('in-progress'),
      count_closed_cases: count('closed'),
    },
  };
};
