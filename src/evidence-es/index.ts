/**
 * Evidence in Elasticsearch: attached Slack messages as ECS documents, charts from queries and from Security
 * alerts, threat-intel and alert lookups, and links and Lens markdown into Kibana. What the composition root,
 * the Slack layer and the Kibana export use.
 */
export { type AlertScope, ALERT_SEVERITY_ORDER, alertsChartSpec, alertScopeOf } from './alerts-chart-source';
export { type AlertCheck, checkAlerts, type FoundAlert, lookupAlert } from './alerts';
export { alertLink, discoverEventLink, type EventDocument, type KibanaLocation, timelineEventLink } from './deep-links';
export { ChartQueryError, type ChartQueryErrorCode, EvidenceError, EvidenceUnavailableError } from './errors';
export { type LensChartInput, lensMarkdown, securityDataViewId } from './lens-markdown';
export { DEFAULT_QUERY_INDEX, queryChartSource, type QueryChartOptions, type QueryChartSpec } from './query-chart-source';
export { MAX_QUERY_LENGTH, type QueryChartWords, readQueryChartWords } from './query-chart-words';
export { type SlackEventDocument, slackEventId } from './slack-event-document';
export { indexSlackMessage, type IndexSlackMessageOptions, type SlackEventRef, updateSlackMessage, type UpdateSlackMessageOptions } from './slack-events';
export { DEFAULT_SLACK_EVENTS_NAMESPACE, installSlackEventsTemplate, slackEventsDataStream } from './slack-events-template';
export { DEFAULT_THREAT_INTEL_INDEX, lookupIndicator, type ThreatIntelMatch } from './threat-intel';
