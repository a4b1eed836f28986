import type { WebClient } from '@slack/web-api';
import type { VisualizationData } from '../../cases/attachments';
import { deterministicId } from '../../cases/ids';
import type { Actor, CaseRef } from '../../cases/model';
import { makeChart } from '../../charts/pipeline';
import { caseLabel } from '../blocks/case-format';
import type { SlackMessage } from '../blocks/case-card';
import { info } from '../blocks/notice';
import { channelOrigin } from '../channels';
import type { SlackDeps } from '../deps';
import { cardCaughtUp } from '../case-activity';
import { uploadFile } from '../files';
import { cannotPostHere } from '../replies';
import { InvalidInputError } from '../../cases/errors';
import type { SourcedData } from '../../charts/case-sources';
import { truncate } from '../blocks/text';
import type { CaseChartRequest } from './chart-request';

/**
 * Draws a chart of one case and records it on the case as a
 * visualization (spec with the absolute range, Chart.js configuration, data table), with the upload of its PNG
 * into the case thread as an outbox effect (the Slack file is recorded on it once uploaded).
 * `requestKey` identifies the request (a modal's view id, a command's trigger id): the same key posts once.
 */
export async function postCaseChart(deps: SlackDeps, actor: Actor, ref: CaseRef, request: CaseChartRequest, requestKey: string): Promise<SlackMessage> {
  const theCase = await deps.service.getCase(actor, ref);
  const label = caseLabel(theCase);
  if (request.kind === 'alerts') {
    // An alerts chart is a query chart over the Security alerts index, scoped by the case's attached alerts.
    if (!deps.charts.alertsQuery) throw new InvalidInputError('alerts charts need Elasticsearch: set ELASTICSEARCH_URL');
    const alerts = await deps.evidence.caseAlerts(actor, { id: theCase.id });
    const query = await deps.charts.alertsQuery(alerts);
    if (!query) return info(`Case ${label} has no attached alerts found in Elasticsearch to chart.`);
    const alertsChart = { ...request, kind: 'query' as const, query, title: `Case ${label} alerts by severity`, noun: 'alerts' };
    return postCaseChart(deps, actor, { id: theCase.id }, alertsChart, requestKey);
  }
  const { title, data, noun } = chartData(deps, theCase.id, label, request);
  const spec = { kind: 'activity' as const, title, range: request.range, noun };
  const chart = await makeChart(spec, data.source, deps.charts.renderer);
  const notes = [...request.notes, ...(data.capped() ? ['The case has more attachments than a chart reads; the most recent ones are charted.'] : [])];

  const id = deterministicId('chart', theCase.id, requestKey);
  const visualization: VisualizationData = {
    title,
    spec: {
      kind: request.kind,
      caseId: theCase.id,
      ...(request.kind === 'events' ? { split: request.split } : {}),
      ...(request.kind === 'query' ? { query: request.query } : {}),
      range: request.range,
    },
    chartConfig: chart.config as unknown as Record<string, unknown>,
    dataTable: chart.dataTable,
    altText: chart.altText,
    slackFile: null,
  };
  deps.charts.recent.remember(id, chart.png);
  const recorded = await deps.evidence.recordVisualization(actor, { id: theCase.id }, id, visualization);
  if (recorded.alreadyAttached) return info(`That chart is already on case ${label}.`);
  // The upload is an outbox effect of the recording: it happens even if this process dies now.
  if (!(await cardCaughtUp(deps.delivery, recorded))) {
    return info(`The chart is recorded on case ${label}. Slack has not taken the image yet: I keep trying, and tell you if it cannot be done.`);
  }
  return info([`Chart posted in the thread of case ${label}.`, ...notes].join(' '));
}

/** Where a case chart's numbers come from, and what it is called. */
function chartData(deps: SlackDeps, caseId: string, label: string, request: Exclude<CaseChartRequest, { kind: 'alerts' }>): { title: string; data: SourcedData; noun: string } {
  switch (request.kind) {
    case 'activity':
      return { title: `Case ${label} activity`, data: deps.charts.sources.caseActivity(caseId), noun: 'attachments' };
    case 'events':
      return { title: `Case ${label} messages by ${request.split}`, data: deps.charts.sources.caseEvents(caseId, request.split), noun: 'messages' };
    case 'query': {
      if (!deps.charts.cluster) throw new InvalidInputError('query charts need Elasticsearch: set ELASTICSEARCH_URL');
      const title = request.title ?? truncate(`Case ${label}: ${request.query.query}`, 120);
      return { title, data: { source: deps.charts.cluster(request.query), capped: () => false }, noun: request.noun ?? 'documents' };
    }
  }
}

/**
 * `/case chart all`: open cases by severity, counted over the cases everyone in this channel may see
 * (public ones, and this channel's own if it is private), since the image is posted to the channel.
 */
export async function postPortfolioChart(deps: SlackDeps, client: WebClient, actor: Actor, channelId: string, now: Date): Promise<SlackMessage> {
  const origin = await channelOrigin(client, actor.teamId, channelId, deps.logger);
  const visibleTo = { publicChannels: true as const, privateChannelIds: origin.isPrivate ? [channelId] : [] };
  const range = { from: now.toISOString(), to: now.toISOString(), bucket: { count: 1, unit: 'd' as const }, timeZone: deps.charts.timeZone };
  const spec = { kind: 'severity' as const, title: 'Open cases by severity', range, noun: 'cases' };
  const chart = await makeChart(spec, deps.charts.sources.openCasesBySeverity(actor.teamId, visibleTo), deps.charts.renderer);
  try {
    await uploadFile(client, { bytes: chart.png, filename: `caseops-open-cases-${now.toISOString().slice(0, 10)}.png`, title: spec.title, altText: chart.altText, channelId });
  } catch (error) {
    return cannotPostHere('the chart', error);
  }
  return info('Chart of open cases posted in this channel.');
}
