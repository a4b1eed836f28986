import type { KnownBlock, ModalView } from '@slack/types';
import { VALUE } from './ids';

/** Slack caps plain_text_input at 3,000 characters. */
export const INPUT_MAX = 3000;

/** Slack's limit for a modal's title, submit and close labels. */
const LABEL_LIMIT = 24;

/** A modal view: the fields every caseops modal sets, with Slack's label limit applied. */
export function modal(options: {
  title: string;
  blocks: KnownBlock[];
  callbackId?: string;
  submit?: string;
  close?: string;
  metadata?: Record<string, unknown>;
}): ModalView {
  return {
    type: 'modal',
    ...(options.callbackId ? { callback_id: options.callbackId } : {}),
    title: { type: 'plain_text', text: options.title.slice(0, LABEL_LIMIT) },
    ...(options.submit ? { submit: { type: 'plain_text', text: options.submit.slice(0, LABEL_LIMIT) } } : {}),
    close: { type: 'plain_text', text: (options.close ?? (options.submit ? 'Cancel' : 'Close')).slice(0, LABEL_LIMIT) },
    ...(options.metadata ? { private_metadata: JSON.stringify(options.metadata) } : {}),
    blocks: options.blocks,
  };
}

/** A plain-text input block; its element's action id is `value`, so a field is read by block id alone. */
export function textInput(
  blockId: string,
  label: string,
  options: { multiline?: boolean; maxLength?: number; initial?: string; optional?: boolean; placeholder?: string; hint?: string } = {},
): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    ...(options.optional ? { optional: true } : {}),
    label: { type: 'plain_text', text: label },
    ...(options.hint ? { hint: { type: 'plain_text', text: options.hint } } : {}),
    element: {
      type: 'plain_text_input',
      action_id: VALUE,
      ...(options.multiline ? { multiline: true } : {}),
      ...(options.maxLength ? { max_length: options.maxLength } : {}),
      ...(options.initial ? { initial_value: options.initial } : {}),
      ...(options.placeholder ? { placeholder: { type: 'plain_text', text: options.placeholder } } : {}),
    },
  };
}
