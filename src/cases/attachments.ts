import { z } from 'zod';

/**
 * The data each kind of attachment carries (Attachment.data), by type. Kibana's stored shapes are derived
 * from these in src/kibana/; these are caseops' own, richer where Slack gives more.
 *
 * The members of the schemas whose data is written whole into a Kibana export (events, timelines,
 * visualizations, alert rules) are declared in sorted order: a schema's output has its members in the
 * schema's order, and the export writes sorted keys (src/kibana/stable-json.ts), so output in that order is
 * written as it is instead of being copied into order, member by member, for every attachment.
 */

/** `user`: a comment, markdown. */
export const CommentData = z.object({ comment: z.string() });
export type CommentData = z.infer<typeof CommentData>;

export const SlackFileMeta = z.object({
  id: z.string().optional(),
  mimetype: z.string().optional(),
  name: z.string(),
  permalink: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
});
export type SlackFileMeta = z.infer<typeof SlackFileMeta>;

/** A snapshot of a Slack message as it was when attached, plus what happened to it since. */
export const MessageSnapshot = z.object({
  author: z.object({ id: z.string(), name: z.string().optional() }),
  channel: z.object({ id: z.string(), isPrivate: z.boolean(), name: z.string().optional() }),
  deleted: z.boolean().optional(),
  edited: z.boolean(),
  files: z.array(SlackFileMeta),
  /** When the message was edited after being attached: its text at attach time. */
  originalText: z.string().optional(),
  permalink: z.string().optional(),
  teamId: z.string(),
  text: z.string(),
  threadTs: z.string().optional(),
  ts: z.string(),
});
export type MessageSnapshot = z.infer<typeof MessageSnapshot>;

/** `event`: an attached Slack message; with Elasticsearch, also the ECS document it was indexed as. */
export const EventData = z.object({
  /** The Slack interaction that attached it (a modal's view id), to tell a repeated submission from a re-attach. */
  captureId: z.string().optional(),
  document: z.object({ id: z.string(), index: z.string() }).optional(),
  /** The message is from a private channel and the case is visible outside it. */
  fromPrivateChannel: z.boolean().optional(),
  message: MessageSnapshot,
  note: z.string().optional(),
});
export type EventData = z.infer<typeof EventData>;

export const DEFAULT_ALERT_INDEX = '.alerts-security.alerts-default';

/** `alert`: a Security alert by id, as Kibana's alert attachment. */
export const AlertData = z.object({
  alertId: z.string().min(1),
  index: z.string().min(1),
  rule: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
});
export type AlertData = z.infer<typeof AlertData>;

export const INDICATOR_TYPES = ['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256', 'email'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

/** `indicator`: Kibana's threat-intel externalReference (type id `indicator`). */
export const IndicatorData = z.object({
  value: z.string().min(1),
  type: z.enum(INDICATOR_TYPES),
  feedName: z.string().nullable(),
  /** The threat-intel document that matched, when one did. */
  documentId: z.string().nullable(),
  source: z.enum(['message', 'manual', 'import']),
});
export type IndicatorData = z.infer<typeof IndicatorData>;

/** `timeline`: a Kibana Timeline link, exported as Kibana's markdown link comment. */
export const TimelineData = z.object({ timelineId: z.string().min(1), title: z.string(), url: z.string() });
export type TimelineData = z.infer<typeof TimelineData>;

/** `visualization`: a chart posted to the case, with everything needed to render it again identically. */
export const VisualizationData = z.object({
  altText: z.string(),
  chartConfig: z.record(z.string(), z.unknown()),
  /** The data as a markdown table, for Kibana (which cannot show our PNG) and for screen readers. */
  dataTable: z.string(),
  slackFile: z.object({ id: z.string(), permalink: z.string().optional() }).nullable(),
  spec: z.record(z.string(), z.unknown()),
  title: z.string(),
});
export type VisualizationData = z.infer<typeof VisualizationData>;

/** `unknown`: a Kibana attachment caseops does not model, kept verbatim so it exports unchanged. */
export const UnknownData = z.object({
  savedObject: z.record(z.string(), z.unknown()),
});
export type UnknownData = z.infer<typeof UnknownData>;

export const ATTACHMENT_DATA = {
  user: CommentData,
  event: EventData,
  alert: AlertData,
  indicator: IndicatorData,
  timeline: TimelineData,
  visualization: VisualizationData,
  unknown: UnknownData,
} as const;
