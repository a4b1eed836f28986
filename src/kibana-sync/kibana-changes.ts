import { CaseNotFoundError, CaseError, DuplicateAttachmentError } from '../cases/errors';
import type { EvidenceService } from '../cases/evidence-service';
import type { Actor, Case, CaseRef, Severity, Status, UserAction } from '../cases/model';
import type { CaseService } from '../cases/service';
import { assigneesFromTags } from '../kibana/assignees';
import { readCaseDescription } from '../kibana/case-marker';
import { kibanaUserToActor } from '../kibana/users';
import type { Logger } from '../log';
import type { KibanaPeople } from './kibana-people';
import type { KibanaUser, KibanaUserAction } from './kibana-shapes';
import type { MirrorRecords } from './mirror-records';

/** The use-cases a Kibana change is applied through, as if the person had made it in Slack. */
export interface KibanaChangeTargets {
  service: CaseService;
  evidence: EvidenceService;
  mirrors: MirrorRecords;
}

/** Fields where the later change wins: a Kibana change older than one made in Slack since is not applied. */
const LATER_WINS = new Set(['title', 'description', 'status', 'severity', 'tags', 'assignees']);
const SLACK_USER = /^[UW][A-Z0-9]+$/;

/**
 * One Kibana user action applied to the caseops case, through the same use-cases a person in Slack uses, by an actor
 * that says it came from Kibana (the card and thread say "changed in Kibana by …", and it is not pushed back).
 */
export class KibanaChanges {
  constructor(
    private readonly targets: KibanaChangeTargets,
    private readonly people: KibanaPeople,
    private readonly logger: Logger,
  ) {}

  /**
   * Whether the change was applied; one caseops cannot take (too long, unknown) is logged and skipped. `learned` holds
   * the case's learned profiles (kibana-people.ts) across the changes of one pull, and gains the actor's when they are
   * first met; they are kept on the case before the change is applied, so a push that follows it assigns the same profile.
   */
  async apply(theCase: Case, action: KibanaUserAction, history: readonly UserAction[], learned: Record<string, string>): Promise<boolean> {
    const actor = await this.actor(theCase, action.created_by, learned);
    const assignee = (uid: string) => this.people.assignee(uid, learned);
    if (LATER_WINS.has(action.type) && changedLaterInSlack(action, history, assignee)) return false;
    try {
      return await this.applyAs(actor, theCase, action, assignee);
    } catch (error) {
      if (error instanceof DuplicateAttachmentError) return false; // read again: it is already on the case
      if (!(error instanceof CaseError) || error instanceof CaseNotFoundError) throw error;
      this.logger.warn({ kibanaAction: { type: action.type, action: action.action }, reason: error.message }, 'a change made in Kibana was not applied in Slack');
      return false;
    }
  }

  private async applyAs(actor: Actor, theCase: Case, action: KibanaUserAction, assignee: (uid: string) => string): Promise<boolean> {
    const { service } = this.targets;
    const ref: CaseRef = { id: theCase.id };
    const payload = action.payload;
    const removing = action.action === 'delete';
    switch (action.type) {
      case 'title':
        return changed(await service.setTitle(actor, ref, String(payload.title)));
      case 'description':
        // The mirror's description ends in caseops' marker: the analyst's text is what comes back.
        return changed(await service.setDescription(actor, ref, readCaseDescription(String(payload.description)).description));
      case 'status':
        return changed(await service.setStatus(actor, ref, payload.status as Status));
      case 'severity':
        return changed(await service.setSeverity(actor, ref, payload.severity as Severity));
      case 'tags': {
        // Slack assignees Kibana has no profile for travel as tags (kibana/assignees.ts): they come back as assignees.
        const { tags, assignees } = assigneesFromTags(payload.tags as string[]);
        const tagged = tags.length ? changed(await service.changeTags(actor, ref, removing ? { remove: tags } : { add: tags })) : false;
        const assigned = assignees.length ? changed(await service.changeAssignees(actor, ref, removing ? { remove: assignees } : { add: assignees })) : false;
        return tagged || assigned;
      }
      case 'assignees': {
        const users = (payload.assignees as { uid: string }[]).map((user) => assignee(user.uid)).filter((user) => SLACK_USER.test(user));
        return users.length > 0 && changed(await service.changeAssignees(actor, ref, removing ? { remove: users } : { add: users }));
      }
      case 'comment':
        return action.action === 'create' && action.comment_id ? this.comment(actor, ref, action.comment_id, payload.comment as Record<string, unknown>) : false;
      case 'delete_case':
        await this.targets.mirrors.record(theCase.teamId, theCase.id, { deleted: true }, actor);
        return true;
      default:
        return false; // connector, settings, custom fields…: nothing caseops shows
    }
  }

  /** A new Kibana comment: its id keys the caseops comment, so reading it again adds nothing. */
  private async comment(actor: Actor, ref: CaseRef, commentId: string, comment: Record<string, unknown>): Promise<boolean> {
    if (comment.type === 'user') return changed(await this.targets.service.addComment(actor, ref, String(comment.comment), `kibana:${commentId}`));
    if (comment.type === 'alert') {
      const [alertId] = [comment.alertId].flat() as string[];
      const [index] = [comment.index].flat() as string[];
      if (!alertId) return false;
      return changed(await this.targets.evidence.addAlert(actor, ref, { alertId, ...(index ? { index } : {}) }));
    }
    return false;
  }

  /** The Kibana user as an actor: the Slack user they are (kibana-people.ts), or a Kibana actor (kibana/users.ts). */
  private async actor(theCase: Case, user: KibanaUser, learned: Record<string, string>): Promise<Actor> {
    const { teamId } = theCase;
    const name = user.full_name || user.username || undefined;
    const { slackId, learned: learnt } = await this.people.resolve(user, learned);
    if (learnt) {
      Object.assign(learned, learnt);
      await this.targets.mirrors.record(teamId, theCase.id, { profiles: { ...learned } }, theCase.createdBy);
    }
    if (slackId) return { userId: slackId, teamId, ...(name ? { name } : {}), via: 'kibana' };
    const plain = { username: user.username ?? null, full_name: user.full_name ?? null, email: user.email ?? null };
    return { ...kibanaUserToActor(plain, teamId), via: 'kibana' };
  }
}

function changed(result: { actions: UserAction[] }): boolean {
  return result.actions.length > 0;
}

/**
 * Whether someone changed the same field in Slack after this Kibana change was made: that change is pushed and wins.
 * For tags and assignees, only a later change of one of the same tags or users counts.
 */
function changedLaterInSlack(action: KibanaUserAction, history: readonly UserAction[], assignee: (uid: string) => string): boolean {
  const made = Date.parse(action.created_at);
  const items = itemsOf(action.type, action.payload, assignee);
  return history.some((mine) => {
    if (mine.createdBy.via === 'kibana' || mine.type !== action.type || Date.parse(mine.createdAt) <= made) return false;
    if (!items) return true;
    const theirs = itemsOf(mine.type, mine.payload, (uid) => uid);
    return theirs!.some((item) => items.includes(item));
  });
}

function itemsOf(type: string, payload: Record<string, unknown>, assignee: (uid: string) => string): string[] | undefined {
  if (type === 'tags') return payload.tags as string[];
  if (type === 'assignees') return (payload.assignees as { uid: string }[]).map((user) => assignee(user.uid));
  return undefined;
}
