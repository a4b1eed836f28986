import type { Actor, Case } from './model';
import type { CaseQuery } from './store';

/** Answers whether a Slack user is a member of a channel; the Slack layer implements it with a short-lived cache. */
export interface ChannelMembership {
  isMember(teamId: string, channelId: string, userId: string): Promise<boolean>;
}

/**
 * Who may see a case (DESIGN.md §9): a case opened in a private channel is visible only to that channel's
 * members and to admins; every other case to everyone in the workspace. Callers must answer an invisible
 * case exactly as a missing one.
 */
export class VisibilityPolicy {
  private readonly admins: ReadonlySet<string>;

  constructor(
    private readonly membership: ChannelMembership,
    admins: readonly string[],
    /** In OAuth distribution, who installed caseops in a workspace: an admin of that workspace. */
    private readonly installerOf: (teamId: string) => string | undefined = () => undefined,
  ) {
    this.admins = new Set(admins);
  }

  /**
   * The configured admins — a user id (`U…`: an admin wherever that user acts, which outside Enterprise Grid is one
   * workspace) or a workspace's user (`T…:U…`: an admin of that workspace only) — and the workspace's installer.
   */
  isAdmin(actor: Actor): boolean {
    return this.admins.has(actor.userId) || this.admins.has(`${actor.teamId}:${actor.userId}`) || this.installerOf(actor.teamId) === actor.userId;
  }

  async canSee(actor: Actor, theCase: Case): Promise<boolean> {
    if (theCase.teamId !== actor.teamId) return false;
    if (!theCase.origin.isPrivate || this.isAdmin(actor)) return true;
    return this.isMemberSafely(actor, theCase.origin.channelId);
  }

  /** The store filter for lists: public cases plus the private channels among `candidates` the actor is in. */
  async listFilter(actor: Actor, candidates: string[]): Promise<CaseQuery['visibleTo']> {
    if (this.isAdmin(actor)) return undefined;
    const memberships = await Promise.all(candidates.map((channelId) => this.isMemberSafely(actor, channelId)));
    return { publicChannels: true, privateChannelIds: candidates.filter((_, index) => memberships[index]) };
  }

  /** A membership that cannot be checked (Slack error, bot removed from the channel) counts as no access. */
  private async isMemberSafely(actor: Actor, channelId: string): Promise<boolean> {
    try {
      return await this.membership.isMember(actor.teamId, channelId, actor.userId);
    } catch {
      return false;
    }
  }
}
