import type { KnownBlock, View } from '@slack/types';
import type { Case } from '../../cases/model';
import type { CasePage } from '../../cases/store';
import { NEW_CASE_BUTTONS } from '../shortcuts/new-case';
import { caseLine, severityBadge, statusBadge } from './case-format';
import { slackDate } from './text';

export const HOME_VIEW_CASE = 'home_view_case';
/** Cases shown per list; two lists of this size stay far inside the 100-block limit of a Home tab. */
export const HOME_LIST_SIZE = 15;

/** App Home: the analyst's open cases, what moved recently, and a one-tap New case. */
export function homeView(mine: CasePage, recent: CasePage): View {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'caseops' } },
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: NEW_CASE_BUTTONS.home, style: 'primary', text: { type: 'plain_text', text: 'New case' } }],
      },
      ...caseSection('Your open cases', mine, 'Nothing assigned to you is open.'),
      { type: 'divider' },
      ...caseSection('Recently active', recent, 'No cases yet.'),
    ],
  };
}

function caseSection(title: string, page: CasePage, empty: string): KnownBlock[] {
  const heading = page.total > page.cases.length ? `*${title}* (${page.cases.length} of ${page.total})` : `*${title}*`;
  return [
    { type: 'section', text: { type: 'mrkdwn', text: heading } },
    ...(page.cases.length ? page.cases.map(homeItem) : [{ type: 'context', elements: [{ type: 'mrkdwn', text: empty }] } as KnownBlock]),
  ];
}

function homeItem(theCase: Case): KnownBlock {
  return {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: `${caseLine(theCase, 100)}\n${severityBadge(theCase.severity)} · ${statusBadge(theCase.status)} · ${slackDate(theCase.updatedAt ?? theCase.createdAt)}`,
    },
    accessory: { type: 'button', action_id: HOME_VIEW_CASE, value: theCase.id, text: { type: 'plain_text', text: 'View' } },
  };
}
