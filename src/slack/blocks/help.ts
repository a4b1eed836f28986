import type { KnownBlock } from '@slack/types';
import { NEW_CASE_BUTTONS } from '../shortcuts/new-case';
import type { SlackMessage } from './case-card';

export const HELP_ACTIONS = { myCases: 'help_my_cases', openCases: 'help_open_cases' } as const;

const USAGE = [
  '`/case new [title] [sev:low|medium|high|critical] [#tag …] [@user …]` open a case (no title: a form)',
  '`/case list [open|in-progress|closed|all|mine] [#tag] [sev:…]` list cases (open and in progress by default)',
  '`/case show <number>` the case card and its recent activity, e.g. `/case show 42`',
  '`/case events <number>` the attached Slack messages, newest first',
  '`/case comment <number> <text>` add a comment',
  '`/case status <number> open|in-progress|closed` · `/case close <number>` · `/case reopen <number>`',
  '`/case severity <number> low|medium|high|critical`',
  '`/case assign <number> @user …` · `/case unassign <number> @user …`',
  '`/case tag <number> #tag …` · `/case untag <number> #tag …`',
  '`/case indicator <number> <value> [type]` · `/case alert <number> <alert id> [index]`',
  '`/case timeline <number> <Kibana Timeline URL or id> [title]`',
  '`/case chart <number> [activity|events] [last 24h | from <iso> to <iso>] [by 1h] [split channel|author]` · `/case chart all`',
  '`/case metrics [last 30d | from <iso> to <iso>]` cases opened and closed per day, mean times to acknowledge and to close',
  '`/case digest` the last 24 hours of this channel: opened, closed, still open, SLA breaches, untouched longest · `/case digest on [08:00]` every day · `/case digest off`',
  'On any message: ⋯ → *New case from message* or *Add to case*',
  '`/case export <number> … | open | all` Kibana saved-objects ndjson · `/case import` (admins)',
  '`/case link <Kibana case URL or id>` mirrors a case born in Kibana into this channel (live sync)',
  '`/case room <number> [@user …]` opens the case\'s war room: a channel of its own with the card pinned · `/case room <number> capture all|pins`',
  '`/case role <number> lead|scribe|comms @user` (or `none`) who runs the response',
  '`/case report <number>` the post-incident report, as a Markdown file in the room or the case thread',
  '`/case help` this help',
];

/** `/case` alone and `/case help`: everything the command does, plus one-tap buttons for phones. */
export function helpMessage(): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: '*caseops* — security cases from Slack, in Elastic Security’s case model.' } },
    { type: 'section', text: { type: 'mrkdwn', text: USAGE.map((line) => `• ${line}`).join('\n') } },
    {
      type: 'actions',
      elements: [
        { type: 'button', action_id: NEW_CASE_BUTTONS.help, style: 'primary', text: { type: 'plain_text', text: 'New case' } },
        { type: 'button', action_id: HELP_ACTIONS.myCases, text: { type: 'plain_text', text: 'My cases' } },
        { type: 'button', action_id: HELP_ACTIONS.openCases, text: { type: 'plain_text', text: 'Open cases' } },
      ],
    },
  ];
  return { text: 'caseops help: /case new, list, show, comment, status, severity, assign, tag', blocks };
}
