import type { AlertData, EventData, IndicatorData, TimelineData, VisualizationData } from '../../cases/attachments';
import { type Actor, type Attachment, type Case, ROLES, type UserAction } from '../../cases/model';
import { ROLE_NAMES } from '../../cases/war-room';
import { type ActionWording, describeUserAction } from './activity';
import { caseLabel } from './case-format';
import { formatSeconds } from './metrics';
import { plainText, truncate } from './text';

/** What a report is written from: the case, its whole history oldest first, its attachments, and people's names. */
export interface ReportInput {
  theCase: Case;
  actions: UserAction[];
  attachments: Attachment[];
  /** Slack user id → display name, for assignees and roles (actors carry their own). */
  names: ReadonlyMap<string, string>;
  now: Date;
}

/** Markdown special characters in free text (titles, comments, messages) are escaped so they read as typed. */
const escapeMarkdown = (text: string): string => text.replace(/([\\`*_{}[\]<>|#])/g, '\\$1');

/**
 * The post-incident report of a case, as Markdown: what happened and when, who ran the response, what was found,
 * and how long it took — the document a SOC lead sends after an incident. Times are UTC, as ISO 8601.
 */
export function incidentReport({ theCase, actions, attachments, names, now }: ReportInput): string {
  const person = (userId: string) => names.get(userId) ?? userId;
  const actorName = (actor: Actor) => escapeMarkdown(actor.name ?? actor.userId);
  // Slack's markup in comments (mentions, channels, links) is read as what people saw, then escaped.
  const readable = (text: string) => plainText(text, (userId) => names.get(userId));
  const plain = (text: string) => escapeMarkdown(readable(text));
  const wording: ActionWording = { status: (status) => status, severity: (severity) => severity, user: person, text: plain };
  const of = <T>(type: Attachment['type']) => attachments.filter((attachment) => attachment.type === type).map((attachment) => attachment.data as T);
  const lines = [
    `# Post-incident report: case ${caseLabel(theCase)} · ${escapeMarkdown(theCase.title)}`,
    '',
    `- Severity: ${theCase.severity} · Status: ${theCase.status}${theCase.tags.length ? ` · Tags: ${theCase.tags.map(escapeMarkdown).join(', ')}` : ''}`,
    `- Opened ${theCase.createdAt} by ${actorName(theCase.createdBy)} in #${escapeMarkdown(theCase.origin.channelName ?? theCase.origin.channelId)}`,
    ...(theCase.acknowledgedAt ? [`- Acknowledged ${theCase.acknowledgedAt}, after ${duration(theCase.createdAt, theCase.acknowledgedAt)}`] : []),
    theCase.closedAt ? `- Closed ${theCase.closedAt}${theCase.closedBy ? ` by ${actorName(theCase.closedBy)}` : ''}, after ${duration(theCase.createdAt, theCase.closedAt)}` : `- Still ${theCase.status} at ${now.toISOString()}, ${duration(theCase.createdAt, now.toISOString())} after it was opened`,
    ...(theCase.assignees.length ? [`- Assignees: ${theCase.assignees.map((user) => escapeMarkdown(person(user))).join(', ')}`] : []),
    ...(theCase.description.trim() ? ['', escapeMarkdown(theCase.description.trim())] : []),
    '',
    '## Roles',
    '',
    ...list(ROLES.filter((role) => theCase.roles?.[role]).map((role) => `${ROLE_NAMES[role]}: ${escapeMarkdown(person(theCase.roles![role]!))}`), 'No roles were given.'),
    '',
    '## Timeline',
    '',
    '| time (UTC) | who | what |',
    '| --- | --- | --- |',
    ...actions.map((action) => `| ${action.createdAt} | ${actorName(action.createdBy)}${action.createdBy.via === 'kibana' ? ' (in Kibana)' : ''} | ${describeUserAction(action, wording).replace(/\n/g, ' ')} |`),
    '',
    '## Indicators',
    '',
    ...list(of<IndicatorData>('indicator').map((indicator) => `${indicator.type}: \`${indicator.value.replace(/`/g, "'")}\``), 'None.'),
    '',
    '## Alerts',
    '',
    ...list(of<AlertData>('alert').map((alert) => `\`${alert.alertId}\` in ${alert.index}${alert.rule.name ? `, rule “${escapeMarkdown(alert.rule.name)}”` : ''}`), 'None.'),
    '',
    '## Attached Slack messages',
    '',
    ...list(
      of<EventData>('event').map(({ message }) => `${slackTime(message.ts)} ${escapeMarkdown(message.author.name ?? message.author.id)}${message.channel.name ? ` in #${escapeMarkdown(message.channel.name)}` : ''}: ${escapeMarkdown(truncate(readable(message.text).replace(/\s+/g, ' '), 300))}${message.deleted ? ' (deleted since)' : ''}${message.permalink ? ` — ${message.permalink}` : ''}`),
      'None.',
    ),
    '',
    '## Timelines and charts',
    '',
    ...list(
      [
        ...of<TimelineData>('timeline').map((timeline) => `Timeline “${escapeMarkdown(timeline.title)}”: ${timeline.url}`),
        ...of<VisualizationData>('visualization').map((chart) => `Chart “${escapeMarkdown(chart.title)}”${chart.slackFile?.permalink ? `: ${chart.slackFile.permalink}` : ''}`),
      ],
      'None.',
    ),
    '',
    `_Written by caseops ${now.toISOString()}._`,
    '',
  ];
  return lines.join('\n');
}

function list(items: string[], none: string): string[] {
  return items.length ? items.map((item) => `- ${item}`) : [none];
}

/** A Slack message ts as an ISO time. */
function slackTime(ts: string): string {
  return new Date(Math.floor(Number(ts) * 1000)).toISOString();
}

/** How long from one instant to another, as the metrics say it (`2h 5m`). */
function duration(from: string, to: string): string {
  return formatSeconds(Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000));
}
