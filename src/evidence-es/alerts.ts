/**
 * Elastic Security alerts behind a case's alert attachments: whether each still exists (alerts are deleted by
 * retention, or were never in this cluster when a case is imported) and what it is about — its rule and host.
 * Alerts are looked up by `_id` with a search, since the alerts index is an alias (or pattern) over several
 * backing indices, which a get by id cannot address.
 */
import type { Client, estypes } from '@elastic/elasticsearch';

import { type AlertData, DEFAULT_ALERT_INDEX } from '../cases/attachments';

import { isUnreachable } from '../elasticsearch/errors';
import { EvidenceUnavailableError } from './errors';
import { TIME_FIELD } from './time-grid';

/** Field names from Elastic Security's alert schema (kibana.alert.*) and ECS (host.name). */
const RULE_ID_FIELD = 'kibana.alert.rule.uuid';
const RULE_NAME_FIELD = 'kibana.alert.rule.name';
const HOST_FIELD = 'host.name';
/** A case holds at most 1,000 alerts (Kibana's limit); one search per index answers for all of them. */
const MAX_IDS_PER_SEARCH = 1_000;

export interface FoundAlert {
  readonly alertId: string;
  /** The concrete index the alert is in (`.internal.alerts-security.alerts-default-000001`). */
  readonly index: string;
  readonly rule: { readonly id: string | null; readonly name: string | null };
  readonly host: string | null;
  readonly timestamp: string | null;
}

export interface AlertCheck {
  readonly found: readonly FoundAlert[];
  /** The attachments whose alert is not in its index (for import warnings). */
  readonly missing: readonly AlertData[];
}

export async function lookupAlert(client: Client, alertId: string, index: string = DEFAULT_ALERT_INDEX): Promise<FoundAlert | null> {
  return (await findAlerts(client, index, [alertId])).get(alertId) ?? null;
}

/** Which of a case's alerts exist, each looked up in its own index. */
export async function checkAlerts(client: Client, alerts: readonly AlertData[]): Promise<AlertCheck> {
  const byIndex = new Map<string, AlertData[]>();
  for (const alert of alerts) byIndex.set(alert.index, [...(byIndex.get(alert.index) ?? []), alert]);
  const found: FoundAlert[] = [];
  const missing: AlertData[] = [];
  for (const [index, inIndex] of byIndex) {
    const existing = await findAlerts(client, index, inIndex.map((alert) => alert.alertId));
    for (const alert of inIndex) {
      const hit = existing.get(alert.alertId);
      if (hit) found.push(hit);
      else missing.push(alert);
    }
  }
  return { found, missing };
}

async function findAlerts(client: Client, index: string, alertIds: readonly string[]): Promise<Map<string, FoundAlert>> {
  const found = new Map<string, FoundAlert>();
  const ids = [...new Set(alertIds)];
  for (let start = 0; start < ids.length; start += MAX_IDS_PER_SEARCH) {
    const chunk = ids.slice(start, start + MAX_IDS_PER_SEARCH);
    for (const alert of await searchIds(client, index, chunk)) found.set(alert.alertId, alert);
  }
  return found;
}

async function searchIds(client: Client, index: string, ids: readonly string[]): Promise<FoundAlert[]> {
  let response: estypes.SearchResponse;
  try {
    response = await client.search({
      index,
      size: ids.length,
      // An index that is gone (or never existed here) means its alerts are missing, not that the lookup failed.
      ignore_unavailable: true,
      allow_no_indices: true,
      track_total_hits: false,
      query: { ids: { values: [...ids] } },
      // The fields API reads dotted (`kibana.alert.rule.uuid`) and nested (`host: {name}`) sources alike.
      _source: false,
      fields: [RULE_ID_FIELD, RULE_NAME_FIELD, HOST_FIELD, TIME_FIELD],
    });
  } catch (error) {
    if (isUnreachable(error)) throw new EvidenceUnavailableError('alert lookup', error);
    throw error;
  }
  return response.hits.hits.flatMap((hit) => {
    if (!hit._id) return [];
    const first = (field: string): string | null => {
      const value: unknown = hit.fields?.[field]?.[0];
      return typeof value === 'string' ? value : null;
    };
    return [{ alertId: hit._id, index: hit._index, rule: { id: first(RULE_ID_FIELD), name: first(RULE_NAME_FIELD) }, host: first(HOST_FIELD), timestamp: first(TIME_FIELD) }];
  });
}
