import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { INPUT_MAX, modal, textInput } from './modal';
import { CASE_LIMITS, SEVERITIES, type Severity } from '../../cases/model';
import { FIELDS, VALUE, VIEWS } from './ids';

const SEVERITY_LABEL: Record<Severity, string> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };


export interface NewCaseModalOptions {
  /** The channel the card goes to; when unknown (global shortcut, App Home) the modal asks for one. */
  channelId?: string;
  title?: string;
  description?: string;
  severity?: Severity;
  tags?: string[];
  assignees?: string[];
  /** A message captured by the "New case from message" shortcut, attached as the case's first event. */
  captureId?: string;
}

/** The new-case modal: everything `/case new` takes, without syntax, for phones. */
export function newCaseModal(options: NewCaseModalOptions = {}): ModalView {
  const severityOptions: PlainTextOption[] = SEVERITIES.map((severity) => ({
    text: { type: 'plain_text', text: SEVERITY_LABEL[severity] },
    value: severity,
  }));
  const blocks: KnownBlock[] = [
    textInput(FIELDS.title, 'Title', {
      maxLength: CASE_LIMITS.titleLength,
      initial: options.title?.slice(0, CASE_LIMITS.titleLength),
      placeholder: 'Suspicious login on db-01',
    }),
    {
      type: 'input',
      block_id: FIELDS.severity,
      label: { type: 'plain_text', text: 'Severity' },
      element: {
        type: 'static_select',
        action_id: VALUE,
        options: severityOptions,
        initial_option: severityOptions[SEVERITIES.indexOf(options.severity ?? 'low')],
      },
    },
    textInput(FIELDS.description, 'Description', { multiline: true, maxLength: INPUT_MAX, initial: options.description?.slice(0, INPUT_MAX), optional: true }),
    textInput(FIELDS.tags, 'Tags', {
      maxLength: INPUT_MAX,
      initial: options.tags?.length ? options.tags.join(' ').slice(0, INPUT_MAX) : undefined,
      optional: true,
      hint: 'Separate tags with spaces or commas, e.g. phishing vip',
    }),
    {
      type: 'input',
      block_id: FIELDS.assignees,
      optional: true,
      label: { type: 'plain_text', text: 'Assignees' },
      element: {
        type: 'multi_users_select',
        action_id: VALUE,
        max_selected_items: CASE_LIMITS.assignees,
        ...(options.assignees?.length ? { initial_users: options.assignees.slice(0, CASE_LIMITS.assignees) } : {}),
      },
    },
  ];
  if (!options.channelId) {
    blocks.push({
      type: 'input',
      block_id: FIELDS.channel,
      label: { type: 'plain_text', text: 'Post the case card in' },
      element: {
        type: 'conversations_select',
        action_id: VALUE,
        filter: { include: ['public', 'private'], exclude_bot_users: true },
      },
    });
  }
  return modal({
    callbackId: VIEWS.newCase,
    title: 'New case',
    submit: 'Open case',
    metadata: { ...(options.channelId ? { channelId: options.channelId } : {}), ...(options.captureId ? { captureId: options.captureId } : {}) },
    blocks,
  });
}

/** Tags as typed in the modal: separated by spaces or commas, a leading # optional. */
export function parseTagList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((tag) => tag.replace(/^#/, ''))
    .filter((tag) => tag !== '');
}
