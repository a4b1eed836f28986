import type { ModalView } from '@slack/types';
import { CASE_LIMITS, type Case } from '../../cases/model';
import type { SlackMessage } from '../blocks/case-card';
import { FIELDS, VIEWS } from './ids';
import { INPUT_MAX, modal, textInput } from './modal';

/** Opened straight from a button, before any store read: it needs only the case id. */
export function commentModal(caseId: string): ModalView {
  return modal({
    callbackId: VIEWS.comment,
    title: 'Add a comment',
    submit: 'Add',
    metadata: { caseId },
    blocks: [textInput(FIELDS.comment, 'Comment', { multiline: true, maxLength: INPUT_MAX })],
  });
}

/** Shown at once while the case is read; `trigger_id`s expire in 3 s, store reads must not delay the modal. */
export function loadingModal(title: string): ModalView {
  return messageModal(title, ':hourglass_flowing_sand: Loading…');
}

export function editModal(theCase: Case): ModalView {
  return modal({
    callbackId: VIEWS.edit,
    title: `Edit #${theCase.number}`,
    submit: 'Save',
    metadata: { caseId: theCase.id },
    blocks: [
      textInput(FIELDS.title, 'Title', { maxLength: CASE_LIMITS.titleLength, initial: theCase.title }),
      theCase.description.length <= INPUT_MAX
        ? textInput(FIELDS.description, 'Description', { multiline: true, maxLength: INPUT_MAX, initial: theCase.description, optional: true })
        : {
            // Slack's input caps at 3,000 characters; editing here would truncate a longer description.
            type: 'context',
            elements: [{ type: 'mrkdwn', text: 'The description is longer than Slack can edit; it is kept as it is.' }],
          },
    ],
  });
}

/** A read-only case card in a modal (App Home's "View"). */
export function caseDetailsModal(theCase: Case, card: SlackMessage): ModalView {
  return modal({ callbackId: VIEWS.caseDetails, title: `Case #${theCase.number}`, blocks: card.blocks });
}

/** A modal that only says something: a loading state, or why something cannot be shown. */
export function messageModal(title: string, text: string): ModalView {
  return modal({ title, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
}
