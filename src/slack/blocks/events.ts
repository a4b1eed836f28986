import type { KnownBlock } from '@slack/types';
import type { EventData, MessageSnapshot } from '../../cases/attachments';
import type { EventEntry } from '../../cases/evidence-service';
import type { Attachment, Case } from '../../cases/model';
import { discoverEventLink, type KibanaLocation } from '../../evidence-es/deep-links';
import type { SlackMessage } from './case-card';
import { caseLabel } from './case-format';
import { escapeMrkdwn, joinWithin, mentionChannel, mentionUser, slackDate, truncate } from './text';

export const EVENT_ACTIONS = { details: 'event_details', page: 'events_page' } as const;
/** Events per page: two blocks each plus header and paging stay well inside a message's 50 blocks. */
export const EVENTS_PAGE_SIZE = 10;

/** `<case id>:<attachment id>` or `<case id>:<offset>`: what an events button needs to know. */
export const eventValue = (caseId: string, rest: string | number): string => `${caseId}:${rest}`;

export function parseEventValue(value: string | undefined): { caseId: string; rest: string } | null {
  const match = /^([0-9a-f-]{36}):(.+)$/.exec(value ?? '');
  return match?.[1] && match[2] ? { caseId: match[1], rest: match[2] } : null;
}

const messageTime = (ts: string): string => slackDate(new Date(Number(ts.split('.')[0]) * 1000).toISOString());

function markers(data: EventData): string {
  return [
    data.fromPrivateChannel ? ':lock: from a private channel' : '',
    data.message.deleted ? ':wastebasket: deleted in Slack' : data.message.edited ? ':pencil2: edited' : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

function eventSummary(message: MessageSnapshot): string {
  const where = `${mentionUser(message.author.id)} in ${mentionChannel(message.channel.id)} ${messageTime(message.ts)}`;
  const text = message.text.trim() ? `\n>${escapeMrkdwn(truncate(message.text.replace(/\s+/g, ' '), 280))}` : '';
  const files = message.files.length ? `\n:paperclip: ${message.files.length} file${message.files.length === 1 ? '' : 's'}` : '';
  return `${where}${text}${files}`;
}

/** The events list of a case (Kibana's Events tab): most recently attached first, a page at a time. */
export function eventsMessage(theCase: Case, page: { events: EventEntry[]; offset: number; total: number }): SlackMessage {
  const heading = `*Events of case ${caseLabel(theCase)}* — ${page.total === 0 ? 'none yet' : `${page.offset + 1}–${page.offset + page.events.length} of ${page.total}`}`;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: heading } }];
  if (page.total === 0) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Attach a message with its ⋯ menu → *Add to case*.' }] });
  }
  for (const { attachment, data } of page.events) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(eventSummary(data.message), 2900) },
      accessory: { type: 'button', action_id: EVENT_ACTIONS.details, text: { type: 'plain_text', text: 'View details' }, value: eventValue(theCase.id, attachment.id) },
    });
    const flags = markers(data);
    if (flags) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: flags }] });
  }
  const next = page.offset + page.events.length;
  if (next < page.total) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', action_id: EVENT_ACTIONS.page, text: { type: 'plain_text', text: 'Older events' }, value: eventValue(theCase.id, next) }],
    });
  }
  return { text: `Events of case ${caseLabel(theCase)}`, blocks };
}

/** Slack's section limit is 3,000 characters; a long message is shown in consecutive sections. */
const SECTION_TEXT = 2900;
const MAX_TEXT_SECTIONS = 10;

function textSections(text: string): KnownBlock[] {
  const escaped = escapeMrkdwn(text);
  const sections: KnownBlock[] = [];
  for (let start = 0; start < escaped.length && sections.length < MAX_TEXT_SECTIONS; start += SECTION_TEXT) {
    sections.push({ type: 'section', text: { type: 'plain_text', text: escaped.slice(start, start + SECTION_TEXT) } });
  }
  if (escaped.length > SECTION_TEXT * MAX_TEXT_SECTIONS) {
    sections.push({ type: 'context', elements: [{ type: 'mrkdwn', text: '…the rest is in the message itself (permalink above).' }] });
  }
  return sections.length ? sections : [{ type: 'context', elements: [{ type: 'mrkdwn', text: '_no text_' }] }];
}

/** The full snapshot of one attached message, for the View details modal; with KIBANA_URL, a link to Discover. */
export function eventDetailsBlocks(theCase: Case, event: Attachment, kibana?: KibanaLocation): KnownBlock[] {
  const data = event.data as unknown as EventData;
  const { message } = data;
  const discover =
    kibana && data.document ? discoverEventLink(kibana, { ...data.document, timestamp: new Date(Number(message.ts) * 1000).toISOString() }) : undefined;
  const facts = [
    `*Author:* ${mentionUser(message.author.id)}${message.author.name ? ` (${escapeMrkdwn(message.author.name)})` : ''}`,
    `*Posted:* ${messageTime(message.ts)}`,
    `*Channel:* ${mentionChannel(message.channel.id)}${message.channel.isPrivate ? ' (private)' : ''}`,
    ...(message.threadTs ? [`*In thread:* ${messageTime(message.threadTs)}`] : []),
    ...(message.permalink ? [`*Link:* <${message.permalink}|open in Slack>${data.fromPrivateChannel ? ' (works only for members of that channel)' : ''}`] : []),
    `*Attached:* by ${mentionUser(event.createdBy.userId)} ${slackDate(event.createdAt)} to case ${caseLabel(theCase)}`,
    ...(discover && discover.length < 2000 ? [`*In Kibana:* <${discover}|open the event in Discover>`] : []),
  ];
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: joinWithin(facts, 2900) } }];
  const flags = markers(data);
  if (flags) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: flags }] });
  if (data.note) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(`*Note:* ${escapeMrkdwn(data.note)}`, 2900) } });
  blocks.push({ type: 'divider' }, ...textSections(message.text));
  if (message.originalText !== undefined) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(`*Text when attached:*\n${escapeMrkdwn(message.originalText)}`, 2900) } });
  }
  if (message.files.length) {
    const files = message.files.map((file) => `• ${file.permalink ? `<${file.permalink}|${escapeMrkdwn(file.name)}>` : escapeMrkdwn(file.name)}${file.mimetype ? ` · ${file.mimetype}` : ''}${file.size !== undefined ? ` · ${formatBytes(file.size)}` : ''}`);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: joinWithin(['*Files* (metadata only)', ...files], 2900) } });
  }
  return blocks;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
