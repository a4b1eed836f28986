import type { ViewOutput } from '@slack/bolt';

/**
 * Reads a submitted modal's state. Every input block of caseops has a single element whose action id is
 * `value`, so a field is addressed by its block id alone.
 */
type StateValues = ViewOutput['state']['values'];

const field = (values: StateValues, blockId: string) => values[blockId]?.value;

export function textValue(values: StateValues, blockId: string): string {
  return field(values, blockId)?.value ?? '';
}

export function selectedValue(values: StateValues, blockId: string): string | undefined {
  return field(values, blockId)?.selected_option?.value ?? undefined;
}

export function selectedUsers(values: StateValues, blockId: string): string[] {
  return field(values, blockId)?.selected_users ?? [];
}

export function selectedConversation(values: StateValues, blockId: string): string | undefined {
  return field(values, blockId)?.selected_conversation ?? undefined;
}

/** private_metadata is ours but comes back through Slack: parse it defensively. */
export function readMetadata(raw: string | undefined): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(raw ?? '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export const metadataString = (metadata: Record<string, unknown>, key: string): string | undefined =>
  typeof metadata[key] === 'string' ? (metadata[key] as string) : undefined;
