import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { CASE_LIMITS, SEVERITIES, type Severity } from '../../cases/model';
import { FIELDS, VALUE, VIEWS } from './ids';

const SEVERITY_LABEL: Record<Severity, string> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

/** Slack's plain_text_input caps max_length at 3000; longer descriptions are edited in Kibana or by command. */
const INPUT_MAX = 3000;

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
    {
      type: 'input',
      block_id: FIELDS.title,
      label: { type: 'plain_text', text: 'Title' },
      element: {
        type: 'plain_text_input',
        action_id: VALUE,
        max_length: CASE_LIMITS.titleLength,
        ...(options.title ? { initial_value: options.title.slice(0, CASE_LIMITS.titleLength) } : {}),
        placeholder: { type: 'plain_text', text: 'Suspicious login on db-01' },
      },
    },
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
    {
      type: 'input',
      block_id: FIELDS.description,
      optional: true,
      label: { type: 'plain_text', text: 'Description' },
      element: {
        type: 'plain_text_input',
        action_id: VALUE,
        multiline: true,
        max_length: INPUT_MAX,
        ...(options.description ? { initial_value: options.description.slice(0, INPUT_MAX) } : {}),
      },
    },
    {
      type: 'input',
      block_id: FIELDS.tags,
      optional: true,
      label: { type: 'plain_text', text: 'Tags' },
      hint: { type: 'plain_text', text: 'Separate tags with spaces or commas, e.g. phishing vip' },
      element: {
        type: 'plain_text_input',
        action_id: VALUE,
        max_length: INPUT_MAX,
        ...(options.tags?.length ? { initial_value: options.tags.join(' ').slice(0, INPUT_MAX) } : {}),
      },
    },
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
  return {
    type: 'modal',
    callback_id: VIEWS.newCase,
    title: { type: 'plain_text', text: 'New case' },
    submit: { type: 'plain_text', text: 'Open case' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify({
      ...(options.channelId ? { channelId: options.channelId } : {}),
      ...(options.captureId ? { captureId: options.captureId } : {}),
    }),
    blocks,
  };
}

/** Tags as typed in the modal: separated by spaces or commas, a leading # optional. */
export function parseTagList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((tag) => tag.replace(/^#/, ''))
    .filter((tag) => tag !== '');
}
