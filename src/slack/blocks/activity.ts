import type { Actor, UserAction } from '../../cases/model';
import { escapeMrkdwn, joinWithin, mentionActor, mentionUser, truncate } from './text';
import { severityBadge, statusBadge } from './case-format';

/** How a sentence about a user action is written: for Slack (badges, mentions, mrkdwn) or as plain Markdown (a report). */
export interface ActionWording {
  status(status: string): string;
  severity(severity: string): string;
  user(userId: string): string;
  /** Free text, escaped for where it goes. */
  text(text: string): string;
}

export const SLACK_WORDING: ActionWording = {
  status: (status) => statusBadge(status as never),
  severity: (severity) => severityBadge(severity as never),
  user: mentionUser,
  text: escapeMrkdwn,
};

/** Reads a user action back as a short sentence, for the case thread, a case's recent history and its report. */
export function describeUserAction(action: UserAction, wording: ActionWording = SLACK_WORDING): string {
  const payload = action.payload as Record<string, unknown>;
  const { text } = wording;
  switch (action.type) {
    case 'create_case':
      return 'opened the case';
    case 'status':
      return `set status to ${wording.status(String(payload.status))}`;
    case 'severity':
      return `set severity to ${wording.severity(String(payload.severity))}`;
    case 'title':
      return `renamed the case to “${text(truncate(String(payload.title), 100))}”`;
    case 'description':
      return 'edited the description';
    case 'tags': {
      const tags = (payload.tags as string[]).map((tag) => `\`${text(truncate(tag, 40))}\``);
      return `${action.action === 'add' ? 'tagged' : 'untagged'} ${truncateList(tags)}`;
    }
    case 'assignees': {
      const users = (payload.assignees as { uid: string }[]).map((user) => wording.user(user.uid));
      return `${action.action === 'add' ? 'assigned' : 'unassigned'} ${truncateList(users)}`;
    }
    case 'comment':
      return describeComment(payload.comment as Record<string, unknown>, action.action, text);
    default:
      return `changed ${action.type.replace(/_/g, ' ')}`;
  }
}

function describeComment(comment: Record<string, unknown>, verb: UserAction['action'], text: (text: string) => string): string {
  // Evidence is recorded as {type, data}; a comment imported from Kibana has its own fields instead.
  const data = (comment.data ?? comment) as Record<string, unknown>;
  switch (comment.type) {
    case 'user':
      return `commented: ${text(truncate(String(comment.comment).replace(/\s+/g, ' '), 200))}`;
    case 'event':
      return verb === 'update' ? 'updated an attached message (edited or deleted in Slack)' : 'attached a Slack message';
    case 'alert':
      return `attached alert \`${text(truncate(String(data.alertId), 80))}\``;
    case 'indicator':
      return `added indicator \`${text(truncate(String(data.value), 120))}\` (${String(data.type)})`;
    case 'timeline':
      return `linked Timeline “${text(truncate(String(data.title), 80))}”`;
    case 'visualization':
      return `posted a chart: ${text(truncate(String(data.title), 120))}`;
    default:
      return `added ${text(String(comment.type))}`;
  }
}

function truncateList(items: string[]): string {
  return joinWithin(items, 600, ' ');
}

/** One line for the case thread: who did what. */
export function activityLine(actor: Actor, actions: UserAction[]): string {
  const what = joinWithin(actions.map((action) => describeUserAction(action)), 2800, '; ');
  if (actor.via === 'kibana') return `:arrows_counterclockwise: Changed in Kibana by ${mentionActor(actor)}: ${what}`;
  return `${mentionActor(actor)} ${what}`;
}
