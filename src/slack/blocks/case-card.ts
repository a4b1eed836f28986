import type { KnownBlock, PlainTextOption } from '@slack/types';
import { type Case, SEVERITIES, type Severity, type SlaTarget, type Status, STATUSES, type UserAction, type WarRoom, ROLES, type Role } from '../../cases/model';
import { SLA_TARGETS, type SlaPolicy, slaDueAt, slaRunning } from '../../cases/sla';
import { kibanaCaseLink } from '../../evidence-es/deep-links';
import { CARD_ACTIONS, caseBlockId } from '../actions/ids';
import { describeUserAction } from './activity';
import { caseLabel, caseSummaryText, severityBadge, statusBadge } from './case-format';
import { escapeMrkdwn, joinWithin, mentionActor, mentionChannel, mentionUser, slackDate, truncate } from './text';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Slack's header limit is 150 characters; a title can be 160. */
const HEADER_LIMIT = 150;
const FIELD_LIMIT = 2000;
/** Shown on the card; the rest are counted so the card stays small on a phone. */
const TAGS_SHOWN = 20;
const DESCRIPTION_PREVIEW = 600;

/** Something the case owed Slack or the cluster and could not deliver, given up on: the card says so. */
export interface Undelivered {
  /** Who did not take it. */
  to: 'Slack' | 'Elasticsearch' | 'Kibana';
  /** What it was, in words: "the thread line for @ana's change". */
  what: string;
  reason: string;
  at: string;
}

export interface CardOptions {
  /** The latest changes, newest first (`/case show`, the details modal). */
  history?: UserAction[];
  undelivered?: Undelivered[];
  /** The SLA targets: the card says by when the case must be acknowledged and closed. */
  sla: SlaPolicy;
  /** Where Kibana is (KIBANA_URL, KIBANA_SPACE): a case mirrored there links to its page. */
  kibana?: { url?: string; space?: string };
}

/** The case card (DESIGN.md §4): posted when a case opens and edited in place as it changes. */
export function caseCard(theCase: Case, options: CardOptions): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${caseLabel(theCase)} · ${theCase.title}`, HEADER_LIMIT), emoji: true } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Severity*\n${severityBadge(theCase.severity)}` },
        { type: 'mrkdwn', text: `*Status*\n${statusBadge(theCase.status)}` },
        { type: 'mrkdwn', text: `*Assignees*\n${truncate(assigneesText(theCase), FIELD_LIMIT - 20)}` },
        { type: 'mrkdwn', text: `*Tags*\n${truncate(tagsText(theCase), FIELD_LIMIT - 20)}` },
      ],
    },
  ];
  if (theCase.description.trim() !== '') {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(truncate(theCase.description, DESCRIPTION_PREVIEW)) } });
  }
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: countsText(theCase) }],
  });
  if (theCase.eventsFromPrivateChannels) {
    const count = theCase.eventsFromPrivateChannels;
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `:lock: ${plural(count, 'attached message')} ${count === 1 ? 'comes' : 'come'} from a private channel: shown here to everyone who can see this case; ${count === 1 ? 'its link opens' : 'their links open'} only for that channel's members.`,
        },
      ],
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text:
          `Opened by ${mentionActor(theCase.createdBy)} in ${mentionChannel(theCase.origin.channelId)} ${slackDate(theCase.createdAt)}` +
          (theCase.origin.isPrivate ? ' · :lock: private channel case' : ''),
      },
    ],
  });
  const roles = rolesBlock(theCase);
  if (roles) blocks.push(roles);
  const deadlines = slaBlock(theCase, options.sla);
  if (deadlines) blocks.push(deadlines);
  const mirror = mirrorBlock(theCase, options.kibana);
  if (mirror) blocks.push(mirror);
  if (theCase.room) blocks.push(roomBlock(theCase.room));
  if (options.undelivered?.length) blocks.push(undeliveredBlock(options.undelivered));
  blocks.push(cardActions(theCase));
  if (options.history?.length) blocks.push(historyBlock(options.history));
  return { text: caseSummaryText(theCase), blocks };
}

const SLA_LABEL: Record<SlaTarget, string> = { acknowledge: 'Acknowledge', resolve: 'Close' };

/**
 * By when the case must be acknowledged and closed, for the targets still running. Overdue and nearly due come
 * from the marks the SLA check records (and announces with a card edit), not from the clock at rendering, so
 * the card agrees with the breach tag and with what the thread was told. Dates are Slack's: each reader sees
 * their own time zone.
 */
function slaBlock(theCase: Case, policy: SlaPolicy): KnownBlock | undefined {
  const marks = theCase.slaMarks ?? [];
  const parts = SLA_TARGETS
    .filter((target) => slaRunning(theCase, target))
    .map((target) => {
      const due = slackDate(slaDueAt(theCase, target, policy).toISOString());
      if (marks.includes(`${target}:breach`)) return `:rotating_light: ${SLA_LABEL[target]} was due ${due}`;
      return `${marks.includes(`${target}:warning`) ? ':hourglass_flowing_sand: ' : ''}${SLA_LABEL[target]} by ${due}`;
    });
  return parts.length ? { type: 'context', elements: [{ type: 'mrkdwn', text: `*SLA* · ${parts.join(' · ')}` }] } : undefined;
}

/** The case's mirror in Kibana (live sync): a link to it, and whether changes still wait for Kibana. */
function mirrorBlock(theCase: Case, kibana: CardOptions['kibana']): KnownBlock | undefined {
  const mirror = theCase.kibanaMirror;
  const parts = [
    ...(mirror?.id && kibana?.url ? [`<${kibanaCaseLink({ url: kibana.url, space: kibana.space }, mirror.id)}|Open in Kibana>`] : []),
    ...(mirror?.behind ? [':hourglass_flowing_sand: Kibana sync pending'] : []),
  ];
  return parts.length ? { type: 'context', elements: [{ type: 'mrkdwn', text: parts.join(' · ') }] } : undefined;
}

const ROLE_LABEL: Record<Role, string> = { lead: 'Lead', scribe: 'Scribe', comms: 'Comms' };

/** Who holds which role of the response, in the order they matter. */
function rolesBlock(theCase: Case): KnownBlock | undefined {
  const held = ROLES.filter((role) => theCase.roles?.[role]).map((role) => `*${ROLE_LABEL[role]}* ${mentionUser(theCase.roles![role]!)}`);
  return held.length ? { type: 'context', elements: [{ type: 'mrkdwn', text: held.join(' · ') }] } : undefined;
}

/** The case's war room: a link to its channel, or that it is being opened. */
function roomBlock(room: WarRoom): KnownBlock {
  const text = room.channelId ? `:rotating_light: War room ${mentionChannel(room.channelId)}${room.archived ? ' (archived)' : ''}` : ':hourglass_flowing_sand: War room opening…';
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

const STATUS_LABEL: Record<Status, string> = { open: 'Open', 'in-progress': 'In progress', closed: 'Closed' };
const SEVERITY_LABEL: Record<Severity, string> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

function option(text: string, value: string): PlainTextOption {
  return { text: { type: 'plain_text', text }, value };
}

/** Menus and buttons sized for a phone: the most common moves (status, severity, assign, comment) come first. */
function cardActions(theCase: Case): KnownBlock {
  const statusOptions = STATUSES.map((status) => option(STATUS_LABEL[status], status));
  const severityOptions = SEVERITIES.map((severity) => option(`Severity: ${SEVERITY_LABEL[severity]}`, severity));
  return {
    type: 'actions',
    block_id: caseBlockId(theCase.id),
    elements: [
      {
        type: 'static_select',
        action_id: CARD_ACTIONS.status,
        placeholder: { type: 'plain_text', text: 'Status' },
        options: statusOptions,
        initial_option: statusOptions[STATUSES.indexOf(theCase.status)],
      },
      {
        type: 'static_select',
        action_id: CARD_ACTIONS.severity,
        placeholder: { type: 'plain_text', text: 'Severity' },
        options: severityOptions,
        initial_option: severityOptions[SEVERITIES.indexOf(theCase.severity)],
      },
      {
        type: 'multi_users_select',
        action_id: CARD_ACTIONS.assignees,
        placeholder: { type: 'plain_text', text: 'Assign' },
        max_selected_items: 10,
        ...(theCase.assignees.length ? { initial_users: theCase.assignees } : {}),
      },
      { type: 'button', action_id: CARD_ACTIONS.comment, text: { type: 'plain_text', text: 'Comment' }, value: theCase.id },
      { type: 'button', action_id: CARD_ACTIONS.events, text: { type: 'plain_text', text: 'Events' }, value: theCase.id },
      { type: 'button', action_id: CARD_ACTIONS.chart, text: { type: 'plain_text', text: 'Chart' }, value: theCase.id },
      { type: 'button', action_id: CARD_ACTIONS.export, text: { type: 'plain_text', text: 'Export' }, value: theCase.id },
      { type: 'button', action_id: CARD_ACTIONS.edit, text: { type: 'plain_text', text: 'Edit' }, value: theCase.id },
      ...(theCase.room || theCase.status === 'closed' ? [] : [{ type: 'button' as const, action_id: CARD_ACTIONS.room, text: { type: 'plain_text' as const, text: 'War room' }, value: theCase.id }]),
      theCase.status === 'closed'
        ? { type: 'button', action_id: CARD_ACTIONS.reopen, text: { type: 'plain_text', text: 'Reopen' }, value: theCase.id }
        : { type: 'button', action_id: CARD_ACTIONS.close, text: { type: 'plain_text', text: 'Close' }, value: theCase.id, style: 'primary' },
    ],
  };
}

function undeliveredBlock(undelivered: Undelivered[]): KnownBlock {
  const refusals = (['Slack', 'Elasticsearch', 'Kibana'] as const).flatMap((to) => {
    const items = undelivered.filter((item) => item.to === to).map((item) => `${item.what} (${escapeMrkdwn(item.reason)}, ${slackDate(item.at)})`);
    return items.length ? [`${to} did not take ${items.join('; ')}.`] : [];
  });
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(`:warning: ${refusals.join(' ')} The case itself has every change.`, FIELD_LIMIT) }] };
}

function historyBlock(history: UserAction[]): KnownBlock {
  const lines = history.map((action) => `• ${mentionActor(action.createdBy)} ${describeUserAction(action)} ${slackDate(action.createdAt)}`);
  return { type: 'section', text: { type: 'mrkdwn', text: joinWithin(['*Recent activity*', ...lines], 2900) } };
}

function assigneesText(theCase: Case): string {
  return theCase.assignees.length ? theCase.assignees.map(mentionUser).join(' ') : '_unassigned_';
}

function tagsText(theCase: Case): string {
  if (theCase.tags.length === 0) return '_none_';
  const shown = theCase.tags.slice(0, TAGS_SHOWN).map((tag) => `\`${escapeMrkdwn(truncate(tag, 40))}\``);
  const rest = theCase.tags.length - TAGS_SHOWN;
  return rest > 0 ? `${shown.join(' ')} +${rest} more` : shown.join(' ');
}

/** What the case holds, counted: `2 events · 1 alert · 0 indicators · 4 comments`. */
export function countsText(theCase: Case): string {
  const { event, alert, indicator, user } = theCase.totals;
  return [plural(event, 'event'), plural(alert, 'alert'), plural(indicator, 'indicator'), plural(user, 'comment')].join(' · ');
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;
