import type { estypes } from '@elastic/elasticsearch';
import { searchNumber, searchWords } from '../../cases/search-words';
import type { CaseQuery, CaseScan } from '../../cases/store';

/**
 * CaseQuery → search request on the cases index. Every value goes into a term, terms or prefix query, where it is
 * data and never syntax. Matches the SQLite store row for row: same filters, same order, same search rules.
 */

export function findCasesRequest(index: string, query: CaseQuery): estypes.SearchRequest {
  return {
    index,
    query: casesQuery(query),
    // SQLite: ORDER BY activity_at DESC, number DESC, or number ASC (stable while an export pages through).
    sort: query.orderBy === 'number' ? [{ number: 'asc' }] : [{ activity_at: 'desc' }, { number: 'desc' }],
    from: query.offset ?? 0,
    size: query.limit,
    track_total_hits: true,
  };
}

/** The cases a query or a scan selects. */
export function casesQuery(query: CaseScan): estypes.QueryDslQueryContainer {
  const filter: estypes.QueryDslQueryContainer[] = [...teamCases(query.teamId)];
  if (query.statuses !== undefined) filter.push({ terms: { status: query.statuses } });
  if (query.severities !== undefined) filter.push({ terms: { severity: query.severities } });
  if (query.tag !== undefined) filter.push({ term: { tags: query.tag } });
  if (query.assignee !== undefined) filter.push({ term: { assignees: query.assignee } });
  if (query.roomChannelId !== undefined) filter.push({ term: { room_channel_id: query.roomChannelId } });
  if (query.search !== undefined) {
    const search = searchQuery(query.search);
    if (search) filter.push(search);
  }
  if (query.visibleTo) {
    filter.push({
      bool: {
        should: [{ term: { is_private: false } }, { terms: { channel_id: query.visibleTo.privateChannelIds } }],
        minimum_should_match: 1,
      },
    });
  }
  return { bool: { filter } };
}

/** The committed cases of a team (creation claims are never shown). */
export function teamCases(teamId: string): estypes.QueryDslQueryContainer[] {
  return [{ term: { state: 'committed' } }, { term: { team_id: teamId } }];
}

/**
 * The case with that number, or cases where every word searched is a prefix of a title word, words being
 * `searchWords` on both sides (the SQLite store's rule). Null when the search has neither: it matches all.
 */
function searchQuery(search: string): estypes.QueryDslQueryContainer | null {
  const clauses: estypes.QueryDslQueryContainer[] = [];
  const number = searchNumber(search);
  if (number !== undefined) clauses.push({ term: { number } });
  const words = searchWords(search);
  if (words.length > 0) clauses.push({ bool: { filter: words.map((word) => ({ prefix: { title_words: word } })) } });
  return clauses.length > 0 ? { bool: { should: clauses, minimum_should_match: 1 } } : null;
}
