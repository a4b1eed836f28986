import type { KnownBlock } from '@slack/types';
import type { Case } from '../../cases/model';
import { caseLabel, caseSummaryText, severityBadge, statusBadge } from './case-format';
import { escapeMrkdwn, mentionChannel, mentionUser, slackDate, truncate } from './text';

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

/** The case card (DESIGN.md §4): posted when a case opens and edited in place as it changes. */
export function caseCard(theCase: Case): SlackMessage {
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
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text:
          `Opened by ${mentionUser(theCase.createdBy.userId)} in ${mentionChannel(theCase.origin.channelId)} ${slackDate(theCase.createdAt)}` +
          (theCase.origin.isPrivate ? ' · :lock: private channel case' : ''),
      },
    ],
  });
  return { text: caseSummaryText(theCase), blocks };
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

function countsText(theCase: Case): string {
  const { event, alert, indicator, user } = theCase.totals;
  return [plural(event, 'event'), plural(alert, 'alert'), plural(indicator, 'indicator'), plural(user, 'comment')].join(' · ');
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;
