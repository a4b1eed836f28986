/**
 * Looks an indicator up in the threat-intel indices Elastic's TI integrations write (`logs-ti_*` by default:
 * AbuseCH, OTX, MISP, …, all in ECS `threat.*` form), for the `indicator` attachment's Kibana metadata: the
 * matching indicator document and the feed it came from.
 */
import type { Client, estypes } from '@elastic/elasticsearch';

import type { Indicator } from '../cases/indicators';

import { INDICATOR_VALUE_FIELD } from './ecs-indicators';
import { isUnreachable } from '../elasticsearch/errors';
import { EvidenceUnavailableError } from './errors';
import { SLACK_EVENTS_DATASET } from './slack-event-document';
import { TIME_FIELD } from './time-grid';

export const DEFAULT_THREAT_INTEL_INDEX = 'logs-ti_*';
/** A lookup runs while an analyst waits on an attach; a feed that slow is as good as missing. */
const LOOKUP_TIMEOUT_MS = 5_000;

export interface ThreatIntelMatch {
  /** The indicator document's `_id` (Kibana's externalReferenceId). */
  readonly documentId: string;
  readonly index: string;
  /** `threat.feed.name`, else the feed's `event.dataset` (e.g. `ti_abusech.url`); null when it has neither. */
  readonly feedName: string | null;
}

interface IndicatorSource {
  threat?: { feed?: { name?: unknown } };
  event?: { dataset?: unknown };
}

/** The most recently reported matching indicator, or null when no feed knows the value (or there are no feeds). */
export async function lookupIndicator(client: Client, indicator: Indicator, options: { readonly index?: string } = {}): Promise<ThreatIntelMatch | null> {
  let response: estypes.SearchResponse<IndicatorSource>;
  try {
    response = await client.search<IndicatorSource>(
      {
        index: options.index ?? DEFAULT_THREAT_INTEL_INDEX,
        size: 1,
        timeout: `${LOOKUP_TIMEOUT_MS}ms`,
        ignore_unavailable: true,
        allow_no_indices: true,
        track_total_hits: false,
        // A pattern as wide as `logs-*` also covers caseops' own Slack messages, which mention indicators too.
        query: { bool: { filter: [valueQuery(indicator)], must_not: [{ term: { 'event.dataset': SLACK_EVENTS_DATASET } }] } },
        sort: [{ [TIME_FIELD]: { order: 'desc', unmapped_type: 'date' } }],
        _source: ['threat.feed.name', 'event.dataset'],
      },
      { requestTimeout: LOOKUP_TIMEOUT_MS + 5_000 },
    );
  } catch (error) {
    if (isUnreachable(error)) throw new EvidenceUnavailableError('threat intel lookup', error);
    throw error;
  }
  const hit = response.hits.hits[0];
  if (!hit?._id) return null;
  return { documentId: hit._id, index: hit._index, feedName: feedNameOf(hit._source) };
}

/**
 * Exact matches on the type's ECS field. Feeds disagree on the case of hashes, domains and addresses, which mean
 * the same in any case; a URL's path does not, so URLs match exactly (as written, or as the feed's original).
 */
function valueQuery({ type, value }: Indicator): estypes.QueryDslQueryContainer {
  const field = INDICATOR_VALUE_FIELD[type];
  switch (type) {
    case 'ipv4':
    case 'ipv6':
      return { term: { [field]: value } };
    case 'url':
      return { bool: { should: [{ term: { [field]: value } }, { term: { 'threat.indicator.url.original': value } }], minimum_should_match: 1 } };
    default:
      return { term: { [field]: { value, case_insensitive: true } } };
  }
}

function feedNameOf(source: IndicatorSource | undefined): string | null {
  for (const name of [source?.threat?.feed?.name, source?.event?.dataset]) if (typeof name === 'string' && name !== '') return name;
  return null;
}
