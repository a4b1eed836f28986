import type { Case } from '../../cases/model';
import type { SlaNotice } from '../../cases/outbox';
import { caseLine } from './case-format';
import { slackDate } from './text';

const WHAT: Record<SlaNotice['target'], string> = { acknowledge: 'acknowledged (assigned or in progress)', resolve: 'closed' };

/** The words of an SLA warning or breach: which case, what it is waiting for, and by when. */
export function slaNoticeText(theCase: Case, notice: Pick<SlaNotice, 'target' | 'level' | 'dueAt'>): string {
  const what = WHAT[notice.target];
  return notice.level === 'warning'
    ? `:warning: ${caseLine(theCase)} should be ${what} by ${slackDate(notice.dueAt)} (${theCase.severity} SLA).`
    : `:rotating_light: ${caseLine(theCase)} breached its ${theCase.severity} SLA: it was not ${what} by ${slackDate(notice.dueAt)}.`;
}
