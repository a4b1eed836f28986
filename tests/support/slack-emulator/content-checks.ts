/**
 * Block Kit checks shared by every surface the app writes to (chat.*, files.completeUploadExternal,
 * response_url, views.*): rejections fail the call as Slack does and are recorded for tests to assert on.
 */
import { randomBytes } from 'node:crypto';
import {
  MESSAGE_BLOCKS_TEXT_LIMIT,
  MESSAGE_TEXT_LIMIT,
  Surface,
  VIEW_SIZE_LIMIT,
  blocksTextLength,
  validateBlocks,
  validateView,
} from '../block-kit-limits';
import type { BlockKitViolation } from './types';
import { type Obj, PlatformError, errorWithMessages, isObject } from './web-api';

/** Slack fills in a random `block_id` on every block that has none. */
export function withBlockIds(blocks: unknown): unknown {
  if (!Array.isArray(blocks)) return blocks;
  return blocks.map((block) =>
    isObject(block) && block.block_id === undefined ? { ...block, block_id: randomBytes(3).toString('base64') } : block,
  );
}

export class ContentChecks {
  /** Every Block Kit rejection; e2e tests assert this stays empty. */
  readonly violations: BlockKitViolation[] = [];

  constructor(private readonly now: () => number) {}

  private recordViolation(source: string, surface: Surface, errors: string[]): void {
    this.violations.push({ source, surface, errors, at: this.now() });
  }

  /**
   * Checks message content (chat.* and response_url posts) and returns the fields to store, plus the
   * truncation warning Slack adds when `text` exceeds 40,000 characters.
   */
  message(input: Obj, source: string): { fields: Obj; responseMetadata?: Obj } {
    if (input.markdown_text !== undefined && (input.text !== undefined || input.blocks !== undefined)) {
      throw new PlatformError('markdown_text_conflict');
    }
    if (input.blocks !== undefined) {
      if (!Array.isArray(input.blocks)) {
        throw errorWithMessages('invalid_blocks_format', ['must provide an array [json-pointer:/blocks]']);
      }
      const errors = validateBlocks(input.blocks, 'message');
      if (errors.length > 0) {
        this.recordViolation(source, 'message', errors);
        throw new PlatformError('invalid_blocks', { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });
      }
      if (blocksTextLength(input.blocks) > MESSAGE_BLOCKS_TEXT_LIMIT) {
        this.recordViolation(source, 'message', [`blocks carry more than ${MESSAGE_BLOCKS_TEXT_LIMIT} characters of text`]);
        throw new PlatformError('msg_blocks_too_long');
      }
    }
    const text = typeof input.text === 'string' ? input.text : typeof input.markdown_text === 'string' ? input.markdown_text : '';
    const truncated = text.length > MESSAGE_TEXT_LIMIT;
    return {
      fields: {
        text: truncated ? text.slice(0, MESSAGE_TEXT_LIMIT) : text,
        blocks: withBlockIds(input.blocks),
        attachments: input.attachments,
      },
      responseMetadata: truncated
        ? {
            warnings: ['message_truncated'],
            messages: [`[WARN] Your message was truncated: text is limited to ${MESSAGE_TEXT_LIMIT} characters`],
          }
        : undefined,
    };
  }

  /** Checks a view for views.* calls; Slack reports view problems as `invalid_arguments`. */
  view(view: unknown, surface: 'modal' | 'home', source: string): Obj {
    const errors = validateView(view, surface);
    if (errors.length > 0) {
      this.recordViolation(source, surface, errors);
      throw errorWithMessages('invalid_arguments', errors);
    }
    if (JSON.stringify(view).length > VIEW_SIZE_LIMIT) throw new PlatformError('view_too_large');
    return view as Obj;
  }
}
