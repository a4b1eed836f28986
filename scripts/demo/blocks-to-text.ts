/**
 * Renders Block Kit as plain text, roughly as Slack shows it, so the demo can print what each user sees.
 * Only the parts caseops uses are rendered; mrkdwn control sequences become readable names.
 */
type Obj = Record<string, unknown>;

const USER_NAMES: Record<string, string> = { U0ALICE: '@alice', U0BOB: '@bob', U0CAROL: '@carol' };
const CHANNEL_NAMES: Record<string, string> = { C0PUBLIC: 'soc' };

export function mrkdwnToText(text: string): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_, id: string) => USER_NAMES[id] ?? `@${id}`)
    .replace(/<#([CG][A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, name?: string) => `#${name ?? CHANNEL_NAMES[id] ?? id}`)
    .replace(/<!date\^\d+\^[^|]*\|([^>]*)>/g, '$1')
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/:[a-z_]+: /g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const textOf = (node: unknown): string => mrkdwnToText(String((node as Obj | undefined)?.text ?? ''));

function elementLabel(element: Obj): string {
  switch (element.type) {
    case 'button':
      return `[${textOf(element.text)}]`;
    case 'static_select':
      return `[${element.initial_option ? textOf((element.initial_option as Obj).text) : textOf(element.placeholder)} ▾]`;
    case 'multi_users_select':
      return `[${((element.initial_users as string[] | undefined) ?? []).map((id) => USER_NAMES[id] ?? id).join(', ') || textOf(element.placeholder)} ▾]`;
    default:
      return `[${String(element.type)}]`;
  }
}

export function blocksToText(blocks: unknown): string[] {
  const lines: string[] = [];
  for (const block of (Array.isArray(blocks) ? blocks : []) as Obj[]) {
    switch (block.type) {
      case 'header':
        lines.push(`== ${textOf(block.text)} ==`);
        break;
      case 'section':
        if (block.text) lines.push(...textOf(block.text).split('\n'));
        if (Array.isArray(block.fields)) lines.push((block.fields as Obj[]).map((field) => textOf(field).replace(/\*([^*]+)\*\n/, '$1: ')).join(' | '));
        if (block.accessory) lines.push(`  ${elementLabel(block.accessory as Obj)}`);
        break;
      case 'context':
        lines.push(`  ${(block.elements as Obj[]).map((element) => textOf(element)).join(' ')}`);
        break;
      case 'actions':
        lines.push(`  ${(block.elements as Obj[]).map(elementLabel).join(' ')}`);
        break;
      case 'input': {
        const element = block.element as Obj;
        const options = element.type === 'checkboxes' ? ((element.options as Obj[] | undefined) ?? []) : [];
        lines.push(options.length ? `  ${textOf(block.label)}:` : `  ${textOf(block.label)}: ____`);
        for (const option of options) lines.push(`    [x] ${textOf(option.text)}`);
        break;
      }
      case 'divider':
        lines.push('  ----');
        break;
      default:
        break;
    }
  }
  return lines.map((line) => line.replace(/\*([^*\n]+)\*/g, '$1'));
}
