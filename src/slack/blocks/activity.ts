import type { Actor, UserAction } from '../../cases/model';
import { escapeMrkdwn, joinWithin, mentionActor, mentionUser, truncate } from './text';
import { severityBadge, statusBadge } from './case-format';

/** Reads a user action back as a short sentence, for the case thread and for a case's recent history. */
export function describeUserAction(action: UserAction): string {
  const payload = action.payload as Record<string, unknown>;
  switch (action.type) {
    case 'create_case':
      return 'opened the case';
    case 'status':
      return `set status to ${statusBadge(payload.status as never)}`;
    case 'severity':
      return `set severity to ${severityBadge(payload.severity as never)}`;
    case 'title':
      return `renamed the case to “${escapeMrkdwn(truncate(String(payload.title), 100))}”`;
    case 'description':
      return 'edited the description';
    case 'tags': {
      const tags = (payload.tags as string[]).map((tag) => `\`${escapeMrkdwn(truncate(tag, 40))}\``);
      return `${action.action === 'add' ? 'tagged' : 'untagged'} ${truncateList(tags)}`;
    }
    case 'assignees': {
      const users = (payload.assignees as { uid: string }[]).map((user) => mentionUser(user.uid));
      return `${action.action === 'add' ? 'assigned' : 'unassigned'} ${truncateList(users)}`;
    }
    case 'comment':
      return describeComment(payload.comment as Record<string, unknown>, action.action);
    default:
      return `changed ${action.type.replace(/_/g, ' ')}`;
  }
}

function describeComment(comment: Record<string, unknown>, verb: UserAction['action']): string {
  // Evidence is recorded as {type, data}; a comment imported from Kibana has its own fields instead.
  const data = (comment.data ?? comment) as Record<string, unknown>;
  switch (comment.type) {
    case 'user':
      return `commented: ${escapeMrkdwn(truncate(String(comment.comment).replace(/\s+/g, ' '), 200))}`;
    case 'event':
      return verb === 'update' ? 'updated an attached message (edited or deleted in Slack)' : 'attached a Slack message';
    case 'alert':
      return `attached alert \`${escapeMrkdwn(truncate(String(data.alertId), 80))}\``;
    case 'indicator':
      return `added indicator \`${escapeMrkdwn(truncate(String(data.value), 120))}\` (${String(data.type)})`;
    case 'timeline':
      return `linked Timeline “${escapeMrkdwn(truncate(String(data.title), 80))}”`;
    case 'visualization':
      return `posted a chart: ${escapeMrkdwn(truncate(String(data.title), 120))}`;
    default:
      return `added ${escapeMrkdwn(String(comment.type))}`;
  }
}

function truncateList(items: string[]): string {
  return joinWithin(items, 600, ' ');
}

/** One line for the case thread: who did what. */
export function activityLine(actor: Actor, actions: UserAction[]): string {
  const what = joinWithin(actions.map(describeUserAction), 2800, '; ');
  if (actor.via === 'kibana') return `:arrows_counterclockwise: Changed in Kibana by ${mentionActor(actor)}: ${what}`;
  return `${mentionActor(actor)} ${what}`;
}
