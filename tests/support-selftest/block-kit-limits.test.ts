import { blocksTextLength, validateBlocks, validateView } from '../support/block-kit-limits';

const plain = (text: string) => ({ type: 'plain_text', text });
const times = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make);
const button = (extra: Record<string, unknown> = {}) => ({ type: 'button', text: plain('Go'), action_id: 'go', ...extra });
const option = (text = 'One', value = '1') => ({ text: plain(text), value });
const select = (options: unknown[]) => ({ type: 'actions', elements: [{ type: 'static_select', action_id: 's', options }] });
const buttonBlock = (extra: Record<string, unknown>) => [{ type: 'actions', elements: [button(extra)] }];
const input = (label: string) => ({ type: 'input', label: plain(label), element: { type: 'plain_text_input', action_id: 'a' } });
/** Slack's wording for a string one character over `max`. */
const tooLong = (max: number, pointer: string) => `must be less than ${max + 1} characters [json-pointer:${pointer}]`;
const tooMany = (max: number, pointer: string) => `no more than ${max} items allowed [json-pointer:${pointer}]`;

describe('validateBlocks', () => {
  it('accepts a realistic message', () => {
    const blocks = [
      { type: 'header', text: plain('Case #12') },
      { type: 'section', text: { type: 'mrkdwn', text: '*Phishing*' }, accessory: button({ value: 'v' }) },
      { type: 'section', fields: times(10, () => ({ type: 'mrkdwn', text: 'f' })) },
      { type: 'context', elements: [{ type: 'image', image_url: 'https://x/y.png', alt_text: 'y' }, { type: 'mrkdwn', text: 'c' }] },
      { type: 'divider' },
      select(times(100, () => option())),
      { type: 'image', image_url: 'https://x/chart.png', alt_text: 'chart' },
    ];
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });

  const element = '/blocks/0/elements/0';
  it.each<[string, unknown[], string]>([
    ['51 blocks in a message', times(51, () => ({ type: 'divider' })), tooMany(50, '/blocks')],
    ['empty section text', [{ type: 'section', text: plain('') }], 'must be more than 0 characters [json-pointer:/blocks/0/text/text]'],
    ['section with neither text nor fields', [{ type: 'section' }], 'must define either `text` or `fields` [json-pointer:/blocks/0]'],
    ['11 section fields', [{ type: 'section', fields: times(11, () => plain('f')) }], tooMany(10, '/blocks/0/fields')],
    ['2001-char field', [{ type: 'section', fields: [plain('f'.repeat(2001))] }], tooLong(2000, '/blocks/0/fields/0/text')],
    ['151-char header', [{ type: 'header', text: plain('h'.repeat(151)) }], tooLong(150, '/blocks/0/text/text')],
    ['mrkdwn header', [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }], 'must be one of: plain_text [json-pointer:/blocks/0/text/type]'],
    ['76-char button text', buttonBlock({ text: plain('b'.repeat(76)) }), tooLong(75, `${element}/text/text`)],
    ['2001-char button value', buttonBlock({ value: 'v'.repeat(2001) }), tooLong(2000, `${element}/value`)],
    ['3001-char button url', buttonBlock({ url: 'u'.repeat(3001) }), tooLong(3000, `${element}/url`)],
    ['256-char action_id', buttonBlock({ action_id: 'a'.repeat(256) }), tooLong(255, `${element}/action_id`)],
    ['256-char block_id', [{ type: 'divider', block_id: 'b'.repeat(256) }], tooLong(255, '/blocks/0/block_id')],
    ['26 actions elements', [{ type: 'actions', elements: times(26, () => button()) }], tooMany(25, '/blocks/0/elements')],
    ['11 context elements', [{ type: 'context', elements: times(11, () => plain('c')) }], tooMany(10, '/blocks/0/elements')],
    ['76-char option text', [select([option('o'.repeat(76))])], tooLong(75, `${element}/options/0/text/text`)],
    ['151-char option value', [select([option('o', 'v'.repeat(151))])], tooLong(150, `${element}/options/0/value`)],
    ['101 select options', [select(times(101, () => option()))], tooMany(100, `${element}/options`)],
    ['image without alt_text', [{ type: 'image', image_url: 'https://x/y.png' }], 'missing required field: alt_text [json-pointer:/blocks/0]'],
    ['2001-char input label', [input('l'.repeat(2001))], tooLong(2000, '/blocks/0/label/text')],
    ['unknown block type', [{ type: 'marquee' }], 'unsupported block type: marquee [json-pointer:/blocks/0/type]'],
  ])('rejects %s', (_name, blocks, error) => {
    expect(validateBlocks(blocks, 'message')).toEqual([error]);
  });

  it('allows 100 blocks in modals and Home tabs, not 101', () => {
    expect(validateBlocks(times(100, () => ({ type: 'divider' })), 'home')).toEqual([]);
    expect(validateBlocks(times(101, () => ({ type: 'divider' })), 'modal')).toEqual([tooMany(100, '/blocks')]);
  });
});

describe('validateView', () => {
  const modal = (extra: Record<string, unknown>) => ({ type: 'modal', title: plain('Case'), blocks: [], ...extra });

  it.each<[string, Record<string, unknown>, string]>([
    ['25-char title', { title: plain('t'.repeat(25)) }, tooLong(24, '/view/title/text')],
    ['25-char submit', { submit: plain('s'.repeat(25)) }, tooLong(24, '/view/submit/text')],
    ['25-char close', { close: plain('c'.repeat(25)) }, tooLong(24, '/view/close/text')],
    ['3001-char private_metadata', { private_metadata: 'p'.repeat(3001) }, tooLong(3000, '/view/private_metadata')],
    ['256-char callback_id', { callback_id: 'c'.repeat(256) }, tooLong(255, '/view/callback_id')],
    ['input without submit', { blocks: [input('Title')] }, 'missing required field: submit [json-pointer:/view]'],
    ['101 blocks', { blocks: times(101, () => ({ type: 'divider' })) }, tooMany(100, '/view/blocks')],
  ])('rejects a modal with %s', (_name, extra, error) => {
    expect(validateView(modal(extra), 'modal')).toEqual([error]);
  });

  it('requires the surface type', () => {
    expect(validateView({ type: 'home', blocks: [] }, 'home')).toEqual([]);
    expect(validateView(modal({}), 'home')).toEqual(['must be home [json-pointer:/view/type]']);
  });
});

describe('blocksTextLength', () => {
  it('counts the text of every text object, however deep', () => {
    const blocks = [
      { type: 'section', text: { type: 'mrkdwn', text: 'abc' }, fields: [plain('de')] },
      { type: 'context', elements: [plain('f')] },
    ];
    expect(blocksTextLength(blocks)).toBe(6);
  });
});
