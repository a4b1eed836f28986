import type { KnownBlock } from '@slack/types';
import type { Case } from '../../cases/model';
import { lastTouched } from '../../cases/nudges';
import { CARD_ACTIONS, caseBlockId } from '../actions/ids';
import type { SlackMessage } from './case-card';
import { caseLine } from './case-format';
import { formatSeconds } from './metrics';

/**
 * A nudge for a case nobody has touched: how long it has been, and three one-tap answers that work from a phone —
 * Still working (recorded as a comment), Close, and a people picker to reassign it. The actions carry the case in
 * their block id, like the card's, so the card's own handlers close and reassign it.
 */
export function nudgeMessage(theCase: Case, now: Date): SlackMessage {
  const untouched = (now.getTime() - lastTouched(theCase)) / 1000;
  const text = `:wave: ${caseLine(theCase)} has had no activity for ${formatSeconds(untouched)}. Still on it?`;
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text } },
    {
      type: 'actions',
      block_id: caseBlockId(theCase.id),
      elements: [
        { type: 'button', action_id: CARD_ACTIONS.stillWorking, style: 'primary', text: { type: 'plain_text', text: 'Still working' } },
        { type: 'button', action_id: CARD_ACTIONS.close, text: { type: 'plain_text', text: 'Close' } },
        {
          type: 'multi_users_select',
          action_id: CARD_ACTIONS.assignees,
          placeholder: { type: 'plain_text', text: 'Reassign' },
          ...(theCase.assignees.length ? { initial_users: theCase.assignees } : {}),
        },
      ],
    },
  ];
  return { text, blocks };
}
