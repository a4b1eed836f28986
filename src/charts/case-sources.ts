import { MessageSnapshot } from '../cases/attachments';
import { type AttachmentType, SEVERITIES, type Severity } from '../cases/model';
import type { CaseQuery, CaseStore } from '../cases/store';
import type { TimePoint } from './buckets';
import type { ChartDataSource } from './pipeline';
import { rangeBounds } from './range';

/**
 * Chart data from caseops' own store, available on every store: a case's attachments over time, its
 * attached messages by channel or author, and open cases by severity.
 */

/** Bounds the work of one chart; a case with more attachments is charted on its most recent ones. */
export const MAX_CHART_POINTS = 100_000;

export const ATTACHMENT_SERIES: Record<AttachmentType, string> = {
  event: 'Slack message',
  alert: 'alert',
  user: 'comment',
  indicator: 'indicator',
  timeline: 'Timeline link',
  visualization: 'chart',
  unknown: 'other',
};

export type EventSplit = 'channel' | 'author';

export interface SourcedData {
  source: ChartDataSource;
  /** Set when the data was cut to MAX_CHART_POINTS: the chart says so. */
  capped(): boolean;
}

function fromPoints(load: () => Promise<{ points: TimePoint[]; capped: boolean }>): SourcedData {
  let capped = false;
  return {
    source: {
      async timePoints(spec) {
        const loaded = await load();
        capped = loaded.capped;
        const { fromMs, toMs } = rangeBounds(spec.range);
        return loaded.points.filter((point) => point.time >= fromMs && point.time < toMs);
      },
      async severityCounts() {
        return {};
      },
    },
    capped: () => capped,
  };
}

/** Everything attached to the case, when it was attached, stacked by kind. */
export function caseActivityData(store: CaseStore, caseId: string): SourcedData {
  return fromPoints(async () => {
    const attachments = await store.listAttachments(caseId, { limit: MAX_CHART_POINTS + 1 });
    const points = attachments.slice(0, MAX_CHART_POINTS).map((attachment) => ({ time: Date.parse(attachment.createdAt), series: ATTACHMENT_SERIES[attachment.type] }));
    return { points, capped: attachments.length > MAX_CHART_POINTS };
  });
}

/** Attached messages at the time they were posted in Slack, split by channel or author. */
export function caseEventsData(store: CaseStore, caseId: string, split: EventSplit): SourcedData {
  return fromPoints(async () => {
    const attachments = await store.listAttachments(caseId, { types: ['event'], limit: MAX_CHART_POINTS + 1 });
    const points = attachments.slice(0, MAX_CHART_POINTS).flatMap((attachment) => {
      const message = MessageSnapshot.safeParse((attachment.data as { message?: unknown }).message);
      if (!message.success) return [];
      const { channel, author, ts } = message.data;
      const series = split === 'channel' ? `#${channel.name ?? channel.id}` : `@${author.name ?? author.id}`;
      return [{ time: Number(ts) * 1000, series }];
    });
    return { points, capped: attachments.length > MAX_CHART_POINTS };
  });
}

/** Open and in-progress cases by severity, among the cases `visibleTo` allows. */
export function openCasesBySeverity(store: CaseStore, teamId: string, visibleTo: CaseQuery['visibleTo']): ChartDataSource {
  return {
    async timePoints() {
      return [];
    },
    async severityCounts() {
      const totals = await Promise.all(
        SEVERITIES.map(async (severity) => [severity, (await store.findCases({ teamId, statuses: ['open', 'in-progress'], severities: [severity], visibleTo, limit: 0 })).total] as const),
      );
      return Object.fromEntries(totals) as Record<Severity, number>;
    },
  };
}

/** The case-store data sources, bound to one store, as the Slack layer uses them. */
export interface CaseChartSources {
  caseActivity(caseId: string): SourcedData;
  caseEvents(caseId: string, split: EventSplit): SourcedData;
  openCasesBySeverity(teamId: string, visibleTo: CaseQuery['visibleTo']): ChartDataSource;
}

export function caseChartSources(store: CaseStore): CaseChartSources {
  return {
    caseActivity: (caseId) => caseActivityData(store, caseId),
    caseEvents: (caseId, split) => caseEventsData(store, caseId, split),
    openCasesBySeverity: (teamId, visibleTo) => openCasesBySeverity(store, teamId, visibleTo),
  };
}
