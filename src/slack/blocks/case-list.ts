import type { KnownBlock } from '@slack/types';
import type { Case } from '../../cases/model';
import type { CasePage } from '../../cases/store';
import type { SlackMessage } from './case-card';
import { caseLine, severityBadge, statusBadge } from './case-format';
import { slackDate } from './text';

/** Two blocks a case plus a header and a footer keep a full page inside Slack's 50-block message limit. */
export const LIST_PAGE_SIZE = 20;

export function caseListMessage(page: CasePage, description: string): SlackMessage {
  if (page.cases.length === 0) {
    const text = `No ${description}.`;
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const shown = page.cases.length;
  const heading = page.total > shown ? `${description} — newest activity first, ${shown} of ${page.total}` : `${description} — ${page.total}`;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${capitalize(heading)}*` } }];
  for (const theCase of page.cases) blocks.push(...caseListItem(theCase));
  if (page.total > shown) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Narrow the list with a status, `#tag`, `sev:…` or `mine`.' }] });
  }
  return { text: `${capitalize(heading)}`, blocks };
}

function caseListItem(theCase: Case): KnownBlock[] {
  return [
    { type: 'section', text: { type: 'mrkdwn', text: caseLine(theCase) } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${severityBadge(theCase.severity)} · ${statusBadge(theCase.status)} · updated ${slackDate(theCase.updatedAt ?? theCase.createdAt)}`,
        },
      ],
    },
  ];
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
