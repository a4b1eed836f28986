/** Callback ids of caseops' modals (part of the runtime contract: they appear in Slack payloads). */
export const VIEWS = {
  newCase: 'case_new_modal',
  comment: 'case_comment_modal',
  edit: 'case_edit_modal',
  caseDetails: 'case_details_modal',
  addMessage: 'case_add_message_modal',
  indicators: 'case_indicators_modal',
  eventDetails: 'case_event_modal',
  chart: 'case_chart_modal',
  import: 'case_import_modal',
} as const;

/** Block ids of modal inputs; each input's element has the action id `value`. */
export const FIELDS = {
  title: 'title',
  description: 'description',
  severity: 'severity',
  tags: 'tags',
  assignees: 'assignees',
  channel: 'channel',
  comment: 'comment',
} as const;

export const VALUE = 'value';
