import type { ModalView } from '@slack/types';
import { CASE_LIMITS, type Case } from '../../cases/model';
import type { SlackMessage } from '../blocks/case-card';
import { FIELDS, VALUE, VIEWS } from './ids';

const INPUT_MAX = 3000;

/** Opened straight from a button, before any store read: it needs only the case id. */
export function commentModal(caseId: string): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.comment,
    title: { type: 'plain_text', text: 'Add a comment' },
    submit: { type: 'plain_text', text: 'Add' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify({ caseId }),
    blocks: [
      {
        type: 'input',
        block_id: FIELDS.comment,
        label: { type: 'plain_text', text: 'Comment' },
        element: { type: 'plain_text_input', action_id: VALUE, multiline: true, max_length: INPUT_MAX },
      },
    ],
  };
}

/** Shown at once while the case is read; `trigger_id`s expire in 3 s, store reads must not delay the modal. */
export function loadingModal(title: string): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: title },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: ':hourglass_flowing_sand: Loading…' } }],
  };
}

export function editModal(theCase: Case): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.edit,
    title: { type: 'plain_text', text: `Edit #${theCase.number}`.slice(0, 24) },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify({ caseId: theCase.id }),
    blocks: [
      {
        type: 'input',
        block_id: FIELDS.title,
        label: { type: 'plain_text', text: 'Title' },
        element: { type: 'plain_text_input', action_id: VALUE, max_length: CASE_LIMITS.titleLength, initial_value: theCase.title },
      },
      theCase.description.length <= INPUT_MAX
        ? {
            type: 'input',
            block_id: FIELDS.description,
            optional: true,
            label: { type: 'plain_text', text: 'Description' },
            element: {
              type: 'plain_text_input',
              action_id: VALUE,
              multiline: true,
              max_length: INPUT_MAX,
              ...(theCase.description ? { initial_value: theCase.description } : {}),
            },
          }
        : {
            // Slack's input caps at 3,000 characters; editing here would truncate a longer description.
            type: 'context',
            elements: [{ type: 'mrkdwn', text: 'The description is longer than Slack can edit; it is kept as it is.' }],
          },
    ],
  };
}

/** A read-only case card in a modal (App Home's "View"). */
export function caseDetailsModal(theCase: Case, card: SlackMessage): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.caseDetails,
    title: { type: 'plain_text', text: `Case #${theCase.number}`.slice(0, 24) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: card.blocks,
  };
}

/** Same shape Slack shows for a case the viewer may not see, or that does not exist. */
export function messageModal(title: string, text: string): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: title.slice(0, 24) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}
