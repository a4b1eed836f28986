import type { Case, Severity, Status } from '../../cases/model';
import { escapeMrkdwn, truncate } from './text';

/** How a case is named everywhere in Slack: `#<number>`, so analysts can say it out loud and type it back. */
export const caseLabel = (theCase: Pick<Case, 'number'>): string => `#${theCase.number}`;

const SEVERITY_BADGE: Record<Severity, string> = {
  low: ':large_green_circle: Low',
  medium: ':large_yellow_circle: Medium',
  high: ':large_orange_circle: High',
  critical: ':red_circle: Critical',
};

const STATUS_BADGE: Record<Status, string> = {
  open: ':envelope_with_arrow: Open',
  'in-progress': ':hourglass_flowing_sand: In progress',
  closed: ':white_check_mark: Closed',
};

export const severityBadge = (severity: Severity): string => SEVERITY_BADGE[severity];
export const statusBadge = (status: Status): string => STATUS_BADGE[status];

/** One line naming a case, for lists and confirmations. */
export function caseLine(theCase: Case, maxTitle = 120): string {
  return `*${caseLabel(theCase)}* ${escapeMrkdwn(truncate(theCase.title, maxTitle))}`;
}

/** Plain-text summary used as the notification text of messages that carry blocks. */
export function caseSummaryText(theCase: Case): string {
  // Slack reads a message's text as mrkdwn: an unescaped `<!channel>` in a title would notify everyone.
  return truncate(`Case ${caseLabel(theCase)}: ${escapeMrkdwn(theCase.title)} (${theCase.severity}, ${theCase.status})`, 300);
}
