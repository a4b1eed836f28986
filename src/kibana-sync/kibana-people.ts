import type { Case } from '../cases/model';
import { assigneeFromUid, slackIdsByProfile } from '../kibana/assignees';
import type { ProfileUids } from '../kibana/users';
import type { Logger } from '../log';
import type { KibanaUser } from './kibana-shapes';

/** The Slack member whose profile has this email address (users.lookupByEmail); undefined when no member has it. */
export type SlackUserByEmail = (email: string) => Promise<string | undefined>;

/** A member found is looked up again after an hour (people change address); an address no member has, sooner. */
const FOUND_FOR_MS = 3_600_000;
const NOT_FOUND_FOR_MS = 600_000;

/** Slack user id → Kibana profile uid, learned on one case by email: kept on the case, so every replica pushes alike. */
export type LearnedProfiles = Readonly<Record<string, string>>;

/**
 * Who a Kibana user is in Slack: the Slack user the operator mapped to their profile (CASEOPS_KIBANA_PROFILE_UIDS), else
 * the workspace member with the same email address. Kibana tells a user's email and profile uid together only where
 * that user acted (a user action's `created_by`); an email match teaches that uid, which is then kept on the case
 * (`kibanaMirror.profiles`), so that the person assigned in Kibana is the Slack assignee on the card, and stays the
 * same Kibana assignee when a change made in Slack is pushed.
 */
export class KibanaPeople {
  private readonly mapped: Map<string, string>;
  private readonly byEmail = new Map<string, { slackId?: string; until: number }>();

  constructor(
    private readonly profileUids: ProfileUids,
    private readonly lookup: SlackUserByEmail | undefined,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.mapped = slackIdsByProfile(profileUids);
  }

  /**
   * The Slack user id of a Kibana user (undefined for someone known only to Kibana), and the case's learned profiles
   * with theirs added when this is how their profile uid was first met on the case.
   */
  async resolve(user: KibanaUser, learned: LearnedProfiles): Promise<{ slackId?: string; learned?: LearnedProfiles }> {
    const uid = user.profile_uid;
    const known = uid ? this.slackIdOfProfile(uid, learned) : undefined;
    if (known) return { slackId: known };
    const slackId = user.email ? await this.memberWithEmail(user.email) : undefined;
    if (!slackId) return {};
    // The operator's mapping names this Slack user's profile: theirs stands, whatever Kibana account acted.
    const learnt = uid && !this.profileUids.has(slackId) ? { ...learned, [slackId]: uid } : undefined;
    return { slackId, ...(learnt ? { learned: learnt } : {}) };
  }

  /** A Kibana assignee as a caseops assignee: a Slack user id when the profile is known, else `kibana:<uid>`. */
  assignee(uid: string, learned: LearnedProfiles): string {
    return assigneeFromUid(uid, { get: (profile) => this.slackIdOfProfile(profile, learned) });
  }

  /** The profiles a case's pushes use: the operator's mapping over what was learned on the case. */
  profilesOf(theCase: Case): ProfileUids {
    const learned = theCase.kibanaMirror?.profiles;
    return learned ? new Map([...Object.entries(learned), ...this.profileUids]) : this.profileUids;
  }

  /** The Slack user whose profile this is: the operator's mapping, else one learned on the case. */
  private slackIdOfProfile(uid: string, learned: LearnedProfiles): string | undefined {
    return this.mapped.get(uid) ?? Object.keys(learned).find((slackId) => learned[slackId] === uid);
  }

  private async memberWithEmail(email: string): Promise<string | undefined> {
    const key = email.toLowerCase();
    const cached = this.byEmail.get(key);
    if (cached && cached.until > this.now()) return cached.slackId;
    let slackId: string | undefined;
    try {
      slackId = this.lookup ? await this.lookup(email) : undefined;
    } catch (error) {
      // A missing scope or a rate limit: the change is still applied, by the Kibana user; asked again later.
      this.logger.warn({ err: error }, 'a Kibana user could not be looked up in Slack by email');
    }
    this.byEmail.set(key, { ...(slackId ? { slackId } : {}), until: this.now() + (slackId ? FOUND_FOR_MS : NOT_FOUND_FOR_MS) });
    return slackId;
  }
}
