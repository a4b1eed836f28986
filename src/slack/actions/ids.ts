/**
 * Action ids and block ids of caseops' interactive elements. Cards carry the case id in the block id of
 * their actions block (`case:<id>`), so every handler learns which case an action is about from Slack's
 * payload and then re-checks that the person acting may see it.
 */
export const CARD_ACTIONS = {
  status: 'case_status',
  severity: 'case_severity',
  assignees: 'case_assignees',
  comment: 'case_comment',
  edit: 'case_edit',
  close: 'case_close',
  reopen: 'case_reopen',
  events: 'case_events',
  chart: 'case_chart',
  export: 'case_export',
  /** Opens the case's war room (cases/war-room.ts). */
  room: 'case_room',
  /** In a closed case's war room: archive it. */
  archiveRoom: 'case_room_archive',
  /** On a nudge (blocks/nudge.ts): the case is still being worked on. */
  stillWorking: 'case_still_working',
} as const;

const CASE_BLOCK_PREFIX = 'case:';

export const caseBlockId = (caseId: string): string => `${CASE_BLOCK_PREFIX}${caseId}`;

export function caseIdFromBlockId(blockId: string | undefined): string | undefined {
  if (!blockId?.startsWith(CASE_BLOCK_PREFIX)) return undefined;
  const id = blockId.slice(CASE_BLOCK_PREFIX.length);
  return /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
}
