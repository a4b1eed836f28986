import type { CaseRef } from './model';

/** What an export selects: named cases, the open ones, or all those the requester may see. */
export type ExportSelection = { kind: 'cases'; refs: CaseRef[] } | { kind: 'open' } | { kind: 'all' };

/**
 * An export someone asked for, as the outbox delivers it (`deliver_export`): what to export, where it was asked,
 * whether it goes to the requester's direct messages instead, and the claim that stops a double tap from
 * exporting twice (request-claims.ts), which the delivery ends.
 */
export interface ExportRequest {
  selection: ExportSelection;
  /** The conversation it was asked from. */
  channelId: string;
  /** The file goes to the requester's direct messages: the channel's members may not see every case in it. */
  direct: boolean;
  claim: { key: string; triggerId: string };
}
