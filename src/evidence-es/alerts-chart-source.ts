/**
 * The `alerts` chart: Elastic Security alerts over time by severity, for the hosts and rules of the alerts
 * attached to a case. Expressed as a query chart (a Lucene query over the alerts index, split by
 * `kibana.alert.severity`), so the same spec draws the PNG and opens live in Kibana as Lens.
 *
 * Field names from Elastic Security's alert schema (kibana.alert.* in Kibana's rule registry, all keyword):
 * `kibana.alert.severity` (low, medium, high, critical), `kibana.alert.rule.uuid`, `kibana.alert.building_block_type`;
 * `host.name` is ECS, copied from the source event.
 */
import { DEFAULT_ALERT_INDEX } from '../cases/attachments';
import { SEVERITIES } from '../cases/model';

import type { FoundAlert } from './alerts';
import type { QueryChartSpec } from './query-chart-source';
import { quoted } from './quoted';

const ALERT_SEVERITY_FIELD = 'kibana.alert.severity';
/** The series order to give the chart spec, so every alerts chart has the same legend, low to critical. */
export const ALERT_SEVERITY_ORDER: readonly string[] = SEVERITIES;
/** Keeps the query (and the Lens markdown carrying it, 30,000 characters at most in a Kibana comment) bounded. */
const MAX_SCOPE_VALUES = 100;

/** What a case's alerts are about: the hosts they fired on and the rules that raised them. */
export interface AlertScope {
  readonly hosts: readonly string[];
  readonly ruleIds: readonly string[];
}

/** The hosts and rules of a case's alerts, as checkAlerts found them. */
export function alertScopeOf(alerts: readonly FoundAlert[]): AlertScope {
  return {
    hosts: alerts.flatMap((alert) => (alert.host === null ? [] : [alert.host])),
    ruleIds: alerts.flatMap((alert) => (alert.rule.id === null ? [] : [alert.rule.id])),
  };
}

/** The chart of alerts on the scope's hosts or from its rules; null when the scope is empty (nothing to chart). */
export function alertsChartSpec(scope: AlertScope, index: string = DEFAULT_ALERT_INDEX): QueryChartSpec | null {
  const clauses = [
    ...distinct(scope.hosts).map((host) => `host.name:${quoted(host)}`),
    ...distinct(scope.ruleIds).map((ruleId) => `kibana.alert.rule.uuid:${quoted(ruleId)}`),
  ];
  if (clauses.length === 0) return null;
  return {
    // Building-block alerts are hidden in Kibana's alerts table by default; the chart counts what analysts see there.
    query: `(${clauses.join(' OR ')}) AND NOT _exists_:kibana.alert.building_block_type`,
    index,
    split: { field: ALERT_SEVERITY_FIELD, size: SEVERITIES.length },
  };
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values.filter((value) => value !== ''))].slice(0, MAX_SCOPE_VALUES);
}
