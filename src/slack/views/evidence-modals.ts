import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { MessageSnapshot } from '../../cases/attachments';
import type { ExtractedIndicator } from '../../cases/indicators';
import { escapeMrkdwn, mentionUser, truncate } from '../blocks/text';
import { VALUE, VIEWS } from './ids';
import { INPUT_MAX, modal, textInput } from './modal';

export const CASE_PICKER = 'case_picker';
export const EVIDENCE_FIELDS = { case: 'case', note: 'note', indicators: 'indicators', moreIndicators: 'more_indicators' } as const;

/** Slack allows 10 options per checkbox group: indicators are offered in groups of 10. */
const CHECKBOXES_PER_GROUP = 10;
export const MAX_OFFERED_INDICATORS = 50;

/** A quote of the message being attached, so the analyst sees what they are about to add. */
export function messageQuote(message: Pick<MessageSnapshot, 'author' | 'text' | 'files'>): string {
  const text = message.text.trim() ? escapeMrkdwn(truncate(message.text.replace(/\s+/g, ' '), 600)) : '_no text_';
  const files = message.files.length ? ` · :paperclip: ${message.files.length} file${message.files.length === 1 ? '' : 's'}` : '';
  return `${mentionUser(message.author.id)}: ${text}${files}`;
}

/** The modal behind "Add to case": pick a case by typeahead, add an optional note. */
export function addMessageModal(captureId: string, message: Pick<MessageSnapshot, 'author' | 'text' | 'files'>): ModalView {
  return modal({
    callbackId: VIEWS.addMessage,
    title: 'Add to case',
    submit: 'Attach',
    metadata: { captureId },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: messageQuote(message) } },
      {
        type: 'input',
        block_id: EVIDENCE_FIELDS.case,
        label: { type: 'plain_text', text: 'Case' },
        element: {
          type: 'external_select',
          action_id: CASE_PICKER,
          placeholder: { type: 'plain_text', text: 'Recent, mine, or type a number or title' },
          // Zero: the picker shows recent and assigned cases before anything is typed, which is what phones need.
          min_query_length: 0,
        },
      },
      textInput(EVIDENCE_FIELDS.note, 'Note', { multiline: true, maxLength: INPUT_MAX, optional: true }),
    ],
  });
}

/**
 * An option's value is the indicator's index in the extraction from the captured message, which the
 * submission repeats: option values are capped at 150 characters and URLs are often longer.
 */
const indicatorOption = (indicator: Pick<ExtractedIndicator, 'type' | 'value'>, index: number): PlainTextOption => ({
  text: { type: 'plain_text', text: truncate(`${indicator.value} (${indicator.type})`, 75) },
  value: String(index),
});

/**
 * Confirm-and-edit for the indicators found in an attached message: all ticked by default, untick what is
 * noise, add what was missed.
 */
export function indicatorsModal(target: { caseId: string; caseLabel: string; captureId: string }, indicators: Pick<ExtractedIndicator, 'type' | 'value'>[]): ModalView {
  const offered = indicators.slice(0, MAX_OFFERED_INDICATORS);
  const groups: KnownBlock[] = [];
  for (let start = 0; start < offered.length; start += CHECKBOXES_PER_GROUP) {
    const options = offered.slice(start, start + CHECKBOXES_PER_GROUP).map((indicator, index) => indicatorOption(indicator, start + index));
    groups.push({
      type: 'input',
      block_id: `${EVIDENCE_FIELDS.indicators}_${start / CHECKBOXES_PER_GROUP}`,
      optional: true,
      label: { type: 'plain_text', text: start === 0 ? 'Indicators found' : 'More indicators found' },
      element: { type: 'checkboxes', action_id: VALUE, options, initial_options: options },
    });
  }
  return modal({
    callbackId: VIEWS.indicators,
    title: 'Indicators',
    submit: 'Add indicators',
    close: 'Skip',
    metadata: { caseId: target.caseId, captureId: target.captureId },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `The message goes to case ${target.caseLabel}. Add its indicators too?` } },
      ...groups,
      textInput(EVIDENCE_FIELDS.moreIndicators, 'Add others', {
        multiline: true,
        maxLength: INPUT_MAX,
        optional: true,
        hint: 'One per line: an IP, domain, URL, hash or email (defanged is fine).',
      }),
    ],
  });
}
