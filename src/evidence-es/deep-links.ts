/**
 * Links from Slack into Kibana (KIBANA_URL, KIBANA_SPACE) for the evidence caseops keeps in Elasticsearch. URL
 * forms as current Kibana builds them:
 * - Discover: `/app/discover#/?_g=(time:(from:'…',to:'…'))&_a=(dataSource:(type:esql),query:(esql:'…'))`, the
 *   Discover locator's rison state (`_g` global, `_a` app); ES|QL mode needs no data view (Kibana 8.11+).
 * - Timeline: Security's "explore in Timeline" redirect, `/app/security/alerts?timeline=(activeTab:query,
 *   isOpen:!t,query:(expression:'_id: …',kind:kuery))&timerange=(timeline:(timerange:(…absolute…)))
 *   &timelineFlyout=(right:(id:document-details-right,params:(id:…,indexName:…,scopeId:timeline-1)))`, which
 *   opens a Timeline on the one document with its details flyout.
 * - Alert: `/app/security/alerts/redirect/<alert id>?index=…&timestamp=…` (Security's ALERT_DETAILS_REDIRECT_PATH).
 * - Case: `/app/security/cases/<case id>`, Security's case page.
 * A space other than `default` is the path prefix `/s/<space>`.
 */
import { EvidenceError } from './errors';
import { quoted } from './quoted';
import { rison } from './rison';

export interface KibanaLocation {
  /** KIBANA_URL, e.g. `https://kibana.example.com` (a base path, if Kibana has one, included). */
  readonly url: string;
  /** KIBANA_SPACE; default `default`. */
  readonly space?: string;
}

export interface EventDocument {
  readonly index: string;
  readonly id: string;
  /** The document's `@timestamp`, ISO 8601. */
  readonly timestamp: string;
}

/** How much time around an event the links show: it is found by id, the window only gives Kibana a range to search. */
const EVENT_WINDOW_MS = 15 * 60_000;

export function discoverEventLink(kibana: KibanaLocation, event: EventDocument): string {
  const esql = `FROM ${queryableIndex(event.index)} METADATA _id | WHERE _id == ${quoted(event.id)}`;
  const global = rison({ time: eventWindow(event.timestamp) });
  const app = rison({ dataSource: { type: 'esql' }, query: { esql } });
  return `${kibanaBase(kibana)}/app/discover#/?_g=${encodeURIComponent(global)}&_a=${encodeURIComponent(app)}`;
}

export function timelineEventLink(kibana: KibanaLocation, event: EventDocument): string {
  const params = new URLSearchParams({
    timeline: rison({ activeTab: 'query', isOpen: true, query: { kind: 'kuery', expression: `_id: ${quoted(event.id)}` } }),
    timerange: rison({ timeline: { timerange: { ...eventWindow(event.timestamp), kind: 'absolute', linkTo: false } } }),
    timelineFlyout: rison({ right: { id: 'document-details-right', params: { id: event.id, indexName: event.index, scopeId: 'timeline-1' } } }),
  });
  return `${kibanaBase(kibana)}/app/security/alerts?${params.toString()}`;
}

export function alertLink(kibana: KibanaLocation, alert: { readonly alertId: string; readonly index: string; readonly timestamp?: string }): string {
  const params = new URLSearchParams({ index: alert.index });
  if (alert.timestamp !== undefined) params.set('timestamp', alert.timestamp);
  return `${kibanaBase(kibana)}/app/security/alerts/redirect/${encodeURIComponent(alert.alertId)}?${params.toString()}`;
}

/** A case's page in Security's Cases. */
export function kibanaCaseLink(kibana: KibanaLocation, kibanaCaseId: string): string {
  return `${kibanaBase(kibana)}/app/security/cases/${encodeURIComponent(kibanaCaseId)}`;
}

function kibanaBase(kibana: KibanaLocation): string {
  let url: URL;
  try {
    url = new URL(kibana.url);
  } catch {
    throw new EvidenceError(`KIBANA_URL \`${kibana.url.slice(0, 80)}\` is not a URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new EvidenceError('KIBANA_URL must be an http(s) URL.');
  const space = kibana.space && kibana.space !== 'default' ? `/s/${encodeURIComponent(kibana.space)}` : '';
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}${space}`;
}

function eventWindow(timestamp: string): { from: string; to: string } {
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) throw new EvidenceError(`\`${timestamp.slice(0, 40)}\` is not a timestamp.`);
  return { from: new Date(at - EVENT_WINDOW_MS).toISOString(), to: new Date(at + EVENT_WINDOW_MS).toISOString() };
}

/** A data stream's backing index (`.ds-<stream>-<date>-<generation>`) is queried as its stream, which outlives it. */
function queryableIndex(index: string): string {
  return /^\.ds-(.+)-\d{4}\.\d{2}\.\d{2}-\d{6}$/.exec(index)?.[1] ?? index;
}
