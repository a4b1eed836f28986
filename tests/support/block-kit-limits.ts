/**
 * Block Kit limits as Slack enforces them server-side, for the test emulator.
 *
 * Slack rejects a message or view whose blocks break a documented limit; the app under test must never
 * hit one, so the emulator runs every payload through these checks and fails the call the way Slack does.
 * Limits come from docs.slack.dev (blocks, block elements, composition objects, views) and @slack/types;
 * see ../shared/reference/slack-platform.md §5.
 *
 * Error strings copy the shape Slack returns in `invalid_blocks` responses, e.g.
 * `must be less than 3001 characters [json-pointer:/blocks/0/text/text]` or
 * `no more than 50 items allowed [json-pointer:/blocks]`. Slack's exact wording for rarer violations
 * (unknown types, missing fields) is not documented, so those messages are approximations.
 */

export type Surface = 'message' | 'modal' | 'home';

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };

/** `chat.postMessage` keeps at most this many characters of `text` and warns `message_truncated`. */
export const MESSAGE_TEXT_LIMIT = 40_000;

/**
 * Undocumented cumulative limit on the text inside a message's blocks (`msg_blocks_too_long`). A Slack
 * maintainer described it as "12,000 text characters with a buffer for block containers" (bolt-js #2509).
 */
export const MESSAGE_BLOCKS_TEXT_LIMIT = 12_000;

/** Views above 250 kB fail with `view_too_large`. */
export const VIEW_SIZE_LIMIT = 250_000;

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects Slack-style errors while walking a payload; each rule appends at a JSON pointer. */
class Checker {
  readonly errors: string[] = [];

  fail(message: string, pointer: string): void {
    this.errors.push(`${message} [json-pointer:${pointer}]`);
  }

  required(parent: Obj, field: string, pointer: string): boolean {
    if (parent[field] === undefined || parent[field] === null) {
      this.fail(`missing required field: ${field}`, pointer);
      return false;
    }
    return true;
  }

  /** A plain string field with a maximum length (and optionally a minimum). */
  string(value: unknown, pointer: string, max: number, min = 0): void {
    if (value === undefined) return;
    if (typeof value !== 'string') {
      this.fail('must provide a string', pointer);
    } else if (value.length > max) {
      this.fail(`must be less than ${max + 1} characters`, pointer);
    } else if (value.length < min) {
      this.fail(`must be more than ${min - 1} characters`, pointer);
    }
  }

  /** An array with a maximum (and optionally minimum) item count; returns the items to keep checking. */
  list(value: unknown, pointer: string, max: number, min = 0): unknown[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.fail('must provide an array', pointer);
      return [];
    }
    if (value.length > max) this.fail(`no more than ${max} items allowed`, pointer);
    if (value.length < min) this.fail(`must provide at least ${min} items`, pointer);
    return value;
  }

  /** A text composition object: `{type: plain_text|mrkdwn, text}` with 1..max characters. */
  text(value: unknown, pointer: string, max: number, plainOnly = false): void {
    if (value === undefined) return;
    if (!isObj(value)) {
      this.fail('must provide an object', pointer);
      return;
    }
    const allowed = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
    if (typeof value.type !== 'string' || !allowed.includes(value.type)) {
      this.fail(`must be one of: ${allowed.join(', ')}`, `${pointer}/type`);
    }
    if (this.required(value, 'text', pointer)) this.string(value.text, `${pointer}/text`, max, 1);
  }

  /** An option object, used by selects, overflow menus, checkboxes and radio buttons. */
  option(value: unknown, pointer: string): void {
    if (!isObj(value)) {
      this.fail('must provide an object', pointer);
      return;
    }
    if (this.required(value, 'text', pointer)) this.text(value.text, `${pointer}/text`, 75);
    if (this.required(value, 'value', pointer)) this.string(value.value, `${pointer}/value`, 150);
    this.text(value.description, `${pointer}/description`, 75);
    this.string(value.url, `${pointer}/url`, 3000);
  }

  options(parent: Obj, pointer: string, max: number): void {
    this.list(parent.options, `${pointer}/options`, max).forEach((o, i) => this.option(o, `${pointer}/options/${i}`));
    this.list(parent.option_groups, `${pointer}/option_groups`, max).forEach((group, i) => {
      const at = `${pointer}/option_groups/${i}`;
      if (!isObj(group)) return this.fail('must provide an object', at);
      this.text(group.label, `${at}/label`, 75, true);
      this.list(group.options, `${at}/options`, max).forEach((o, j) => this.option(o, `${at}/options/${j}`));
    });
    if (parent.initial_option !== undefined) this.option(parent.initial_option, `${pointer}/initial_option`);
  }

  element(value: unknown, pointer: string): void {
    if (!isObj(value)) {
      this.fail('must provide an object', pointer);
      return;
    }
    const type = value.type;
    const rule = typeof type === 'string' ? ELEMENT_RULES[type] : undefined;
    if (!rule) {
      this.fail(`unsupported element type: ${String(type)}`, `${pointer}/type`);
      return;
    }
    this.string(value.action_id, `${pointer}/action_id`, 255);
    this.text(value.placeholder, `${pointer}/placeholder`, 150, true);
    rule(this, value, pointer);
  }

  block(value: unknown, pointer: string): void {
    if (!isObj(value)) {
      this.fail('must provide an object', pointer);
      return;
    }
    const type = value.type;
    const rule = typeof type === 'string' ? BLOCK_RULES[type] : undefined;
    if (!rule) {
      this.fail(`unsupported block type: ${String(type)}`, `${pointer}/type`);
      return;
    }
    this.string(value.block_id, `${pointer}/block_id`, 255);
    rule(this, value, pointer);
  }

  blocks(value: unknown, pointer: string, surface: Surface): void {
    this.list(value, pointer, MAX_BLOCKS[surface]).forEach((block, i) => this.block(block, `${pointer}/${i}`));
  }
}

type Rule = (c: Checker, node: Obj, pointer: string) => void;

/** Elements whose only limits are the common ones (action_id, placeholder) checked in `Checker.element`. */
const noExtraLimits: Rule = () => undefined;

const imageRule: Rule = (c, node, at) => {
  if (c.required(node, 'alt_text', at)) c.string(node.alt_text, `${at}/alt_text`, 2000);
  if (node.image_url === undefined && node.slack_file === undefined) {
    c.fail('must provide either image_url or slack_file', at);
  } else if (node.image_url !== undefined && node.slack_file !== undefined) {
    c.fail('must provide only one of image_url or slack_file', at);
  }
  c.string(node.image_url, `${at}/image_url`, 3000);
};

const selectRule: Rule = (c, node, at) => c.options(node, at, 100);

const ELEMENT_RULES: Record<string, Rule> = {
  button: (c, node, at) => {
    if (c.required(node, 'text', at)) c.text(node.text, `${at}/text`, 75, true);
    c.string(node.value, `${at}/value`, 2000);
    c.string(node.url, `${at}/url`, 3000);
  },
  static_select: selectRule,
  multi_static_select: selectRule,
  overflow: (c, node, at) => {
    c.list(node.options, `${at}/options`, 5, 1).forEach((o, i) => c.option(o, `${at}/options/${i}`));
  },
  checkboxes: (c, node, at) => c.options(node, at, 10),
  radio_buttons: (c, node, at) => c.options(node, at, 10),
  plain_text_input: (c, node, at) => {
    for (const field of ['min_length', 'max_length']) {
      const value = node[field];
      if (typeof value === 'number' && value > 3000) c.fail('must be at most 3000', `${at}/${field}`);
    }
  },
  image: imageRule,
  external_select: noExtraLimits,
  multi_external_select: noExtraLimits,
  users_select: noExtraLimits,
  multi_users_select: noExtraLimits,
  conversations_select: noExtraLimits,
  multi_conversations_select: noExtraLimits,
  channels_select: noExtraLimits,
  multi_channels_select: noExtraLimits,
  datepicker: noExtraLimits,
  timepicker: noExtraLimits,
  datetimepicker: noExtraLimits,
  email_text_input: noExtraLimits,
  url_text_input: noExtraLimits,
  number_input: noExtraLimits,
  rich_text_input: noExtraLimits,
  file_input: noExtraLimits,
  workflow_button: noExtraLimits,
};

/** Context blocks hold images or text objects only. */
function contextElement(c: Checker, value: unknown, pointer: string): void {
  if (isObj(value) && value.type === 'image') imageRule(c, value, pointer);
  else c.text(value, pointer, 3000);
}

const BLOCK_RULES: Record<string, Rule> = {
  section: (c, node, at) => {
    if (node.text === undefined && node.fields === undefined) c.fail('must define either `text` or `fields`', at);
    c.text(node.text, `${at}/text`, 3000);
    c.list(node.fields, `${at}/fields`, 10).forEach((f, i) => c.text(f, `${at}/fields/${i}`, 2000));
    if (node.accessory !== undefined) c.element(node.accessory, `${at}/accessory`);
  },
  header: (c, node, at) => {
    if (c.required(node, 'text', at)) c.text(node.text, `${at}/text`, 150, true);
  },
  actions: (c, node, at) => {
    if (!c.required(node, 'elements', at)) return;
    c.list(node.elements, `${at}/elements`, 25, 1).forEach((e, i) => c.element(e, `${at}/elements/${i}`));
  },
  context: (c, node, at) => {
    if (!c.required(node, 'elements', at)) return;
    c.list(node.elements, `${at}/elements`, 10, 1).forEach((e, i) => contextElement(c, e, `${at}/elements/${i}`));
  },
  input: (c, node, at) => {
    if (c.required(node, 'label', at)) c.text(node.label, `${at}/label`, 2000, true);
    c.text(node.hint, `${at}/hint`, 2000, true);
    if (c.required(node, 'element', at)) c.element(node.element, `${at}/element`);
  },
  image: (c, node, at) => {
    imageRule(c, node, at);
    c.text(node.title, `${at}/title`, 2000, true);
  },
  markdown: (c, node, at) => {
    if (c.required(node, 'text', at)) c.string(node.text, `${at}/text`, MESSAGE_BLOCKS_TEXT_LIMIT, 1);
  },
  rich_text: (c, node, at) => {
    c.required(node, 'elements', at);
  },
  divider: noExtraLimits,
  file: (c, node, at) => {
    c.required(node, 'external_id', at);
  },
  video: (c, node, at) => {
    c.required(node, 'alt_text', at);
    c.text(node.title, `${at}/title`, 200, true);
  },
};

/** Checks a `blocks` array for a message, modal or Home tab; returns Slack-style errors (empty when valid). */
export function validateBlocks(blocks: unknown, surface: Surface): string[] {
  const checker = new Checker();
  checker.blocks(blocks, '/blocks', surface);
  return checker.errors;
}

/**
 * Checks a whole view (`views.open`/`push`/`update`/`publish`). Pointers start at `/view`, as in Slack's
 * `[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]`.
 */
export function validateView(view: unknown, surface: 'modal' | 'home'): string[] {
  const checker = new Checker();
  if (!isObj(view)) {
    checker.fail('must provide an object', '/view');
    return checker.errors;
  }
  if (view.type !== surface) checker.fail(`must be ${surface}`, '/view/type');
  if (surface === 'modal') {
    if (checker.required(view, 'title', '/view')) checker.text(view.title, '/view/title', 24, true);
    checker.text(view.close, '/view/close', 24, true);
    checker.text(view.submit, '/view/submit', 24, true);
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) checker.fail('missing required field: submit', '/view');
  }
  checker.string(view.callback_id, '/view/callback_id', 255);
  checker.string(view.private_metadata, '/view/private_metadata', 3000);
  checker.string(view.external_id, '/view/external_id', 255);
  if (checker.required(view, 'blocks', '/view')) checker.blocks(view.blocks, '/view/blocks', surface);
  return checker.errors;
}

/**
 * Characters of text a message's blocks carry (every `text` string, at any depth), the quantity Slack's
 * `msg_blocks_too_long` limit counts.
 */
export function blocksTextLength(blocks: unknown): number {
  if (Array.isArray(blocks)) return blocks.reduce((sum: number, item) => sum + blocksTextLength(item), 0);
  if (!isObj(blocks)) return 0;
  return Object.entries(blocks).reduce(
    (sum, [key, value]) => sum + (key === 'text' && typeof value === 'string' ? value.length : blocksTextLength(value)),
    0,
  );
}
