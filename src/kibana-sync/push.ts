import { setTimeout as sleep } from 'node:timers/promises';
import { caseOfEffect } from '../cases/effect-case';
import type { Case, UserAction } from '../cases/model';
import { fieldAction } from '../cases/user-actions';
import { caseOfStream, type Effect } from '../cases/outbox';
import type { CaseStore } from '../cases/store';
import { readCaseDescription } from '../kibana/case-marker';
import type { EffectHandler } from '../outbox/dispatcher';
import { type KibanaCasesClient, KibanaRequestError } from './client';
import type { KibanaPeople } from './kibana-people';
import type { KibanaCase, KibanaComment, KibanaUser } from './kibana-shapes';
import type { MirrorRecords } from './mirror-records';
import { mirrorKey } from './mirror-marker';
import { commentRequest, createCaseRequest, type CreatedFields, createdFields, fieldChange } from './requests';

/** A push waits out a Kibana outage for this long before it is given up on (a Slack effect: 30 minutes). */
export const KIBANA_PATIENCE_MS = 7 * 24 * 3_600_000;
/**
 * Kibana's searches see a write once its index has refreshed (1 s by default): a lookup for what an earlier attempt
 * did waits this long after that attempt began.
 */
const SEARCHABLE_AFTER_MS = 2_000;
/** A comment found from this long before the first attempt could still be that attempt's (clocks differ a little). */
const CLOCK_SLACK_MS = 30_000;
/** A case that keeps changing in Kibana between our read and our write is read again this many times. */
const MAX_CONFLICTS = 5;
/** Fields where Kibana's change wins over an older one of ours; tags and assignees are merged instead. */
const LATER_WINS = new Set(['title', 'description', 'status', 'severity', 'settings']);

export interface KibanaPushDeps {
  client: KibanaCasesClient;
  store: CaseStore;
  mirrors: MirrorRecords;
  /** Who is who in Kibana: the profile uids of Slack users (kibana-people.ts). */
  people: KibanaPeople;
}

/**
 * Delivers `kibana_push` effects: the user actions of a change made in Slack, applied to the case's mirror in Kibana
 * Cases in the order they were made, the mirror created first when it does not exist yet. Whatever the card shows of
 * the sync (pending, the link) is recorded on the case (MirrorRecords) as attempts settle.
 */
export function kibanaPushHandler(deps: KibanaPushDeps): EffectHandler {
  return {
    patienceMs: KIBANA_PATIENCE_MS,
    async deliver(effect) {
      const theCase = await caseOfEffect(deps.store, effect);
      if (theCase) await new ChangePush(deps, theCase, effect).run();
    },
    async afterSettle(effect, following) {
      const caseId = caseOfStream(effect.stream)!;
      const { actor } = effect.payload;
      if (effect.state === 'due') await deps.mirrors.record(effect.teamId, caseId, { behind: true }, actor);
      else if (effect.state === 'failed') await deps.mirrors.showOnCard(effect.teamId, caseId, actor, { behind: following.length > 0 });
      else if (following.length === 0) await deps.mirrors.record(effect.teamId, caseId, { behind: false }, actor);
    },
  };
}

/** One effect's push. An attempt after another may find part of it done already: it looks before it writes. */
class ChangePush {
  /** The Kibana user caseops writes as, once known (MirrorRecords). */
  private writer: string | undefined;

  constructor(
    private readonly deps: KibanaPushDeps,
    private readonly theCase: Case,
    private readonly effect: Effect,
  ) {
    this.writer = theCase.kibanaMirror?.writer;
  }

  private get repeated(): boolean {
    return this.effect.attempts > 1;
  }

  async run(): Promise<void> {
    if (this.theCase.kibanaMirror?.deleted) return;
    const actions = this.effect.payload.actions ?? [];
    try {
      const mirrorId = await this.mirror(actions);
      for (const action of actions) {
        if (action.type === 'create_case') continue;
        if (action.type === 'comment') await this.comment(mirrorId, action);
        else await this.fields(mirrorId, action);
      }
    } catch (error) {
      // Deleted in Kibana: the card says so; the case itself, and everything in it, stays in caseops.
      if (!(error instanceof KibanaRequestError && error.status === 404 && this.theCase.kibanaMirror?.id)) throw error;
      await this.record({ deleted: true });
    }
  }

  private record(change: Parameters<MirrorRecords['record']>[2]): Promise<unknown> {
    return this.deps.mirrors.record(this.effect.teamId, this.theCase.id, change, this.effect.payload.actor);
  }

  /** Learns who caseops is in Kibana from Kibana's answer to its write, the first time. */
  private async wrote(by: KibanaUser | null | undefined): Promise<void> {
    if (this.writer || !by?.username) return;
    this.writer = by.username;
    await this.record({ writer: by.username });
  }

  /** The mirror's id: known, found (an earlier attempt created it and lost the answer), or created now. */
  private async mirror(actions: readonly UserAction[]): Promise<string> {
    const known = this.theCase.kibanaMirror?.id;
    if (known) return known;
    const created = actions.find((action) => action.type === 'create_case');
    const mirror = (this.repeated ? await this.findCreated() : undefined) ?? (await this.deps.client.createCase(createCaseRequest(this.theCase, created ? createdFields(created) : currentFields(this.theCase), this.deps.people.profilesOf(this.theCase))));
    this.writer = mirror.created_by.username ?? undefined;
    await this.record({ id: mirror.id, ...(this.writer ? { writer: this.writer } : {}) });
    // A case that existed before sync was turned on is created as it is now; Kibana creates every case open.
    if (!created && this.theCase.status !== 'open') await this.fields(mirror.id, fieldAction(this.theCase, this.effect.payload.actor, new Date().toISOString(), 'status'));
    return mirror.id;
  }

  private async findCreated(): Promise<KibanaCase | undefined> {
    await this.searchable();
    const key = mirrorKey(this.theCase.id);
    const found = await this.deps.client.findCases({ search: key, searchFields: ['description'], owner: this.theCase.owner, sortField: 'createdAt', sortOrder: 'desc', perPage: 20 });
    return found.cases.find((candidate) => readCaseDescription(candidate.description).data?.mirrorOf === key);
  }

  /** A field change, on the case as Kibana has it now; a conflict (someone saved in between) reads it again. */
  private async fields(mirrorId: string, action: UserAction): Promise<void> {
    for (let conflicts = 0; ; conflicts += 1) {
      const current = await this.deps.client.getCase(mirrorId);
      const change = fieldChange(action, this.theCase, current, this.deps.people.profilesOf(this.theCase));
      if (!change || (await this.changedLaterInKibana(mirrorId, current, action))) return;
      try {
        const updated = await this.deps.client.updateCase({ id: mirrorId, version: current.version, ...change });
        await this.wrote(updated.updated_by);
        return;
      } catch (error) {
        if (!(error instanceof KibanaRequestError && error.status === 409) || conflicts >= MAX_CONFLICTS) throw error;
      }
    }
  }

  /**
   * Whether someone changed this field in Kibana after this change was made in Slack: the later change wins, and
   * Kibana's is already where it belongs (the pull brings it to Slack). Both stay in the histories.
   */
  private async changedLaterInKibana(mirrorId: string, current: KibanaCase, action: UserAction): Promise<boolean> {
    const made = Date.parse(action.createdAt);
    if (!LATER_WINS.has(action.type) || !current.updated_at || Date.parse(current.updated_at) <= made) return false;
    const { userActions } = await this.deps.client.findUserActions(mirrorId, { types: [action.type], sortOrder: 'desc', perPage: 20 });
    // caseops' own pushes of earlier changes may have landed after this change was made: they are not Kibana's.
    return userActions.some((later) => Date.parse(later.created_at) > made && later.created_by.username !== this.writer);
  }

  /**
   * An attachment added in Slack, as the comment Kibana takes for it. Edits of an attached message's snapshot are
   * not pushed: the mirror keeps the message as it was attached.
   */
  private async comment(mirrorId: string, action: UserAction): Promise<void> {
    if (action.action !== 'create' || !action.attachmentId) return;
    const attachment = await this.deps.store.getAttachment(this.theCase.id, action.attachmentId);
    const body = attachment && commentRequest(attachment, this.theCase.owner);
    if (!body || (this.repeated && (await this.commented(mirrorId, body)))) return;
    await this.wrote((await this.deps.client.addComment(mirrorId, body)).updated_by);
  }

  /** Whether an earlier attempt added this comment: the same comment, added since that attempt began. */
  private async commented(mirrorId: string, body: Record<string, unknown>): Promise<boolean> {
    await this.searchable();
    const since = Date.parse(this.effect.firstAttemptAt!) - CLOCK_SLACK_MS;
    const { comments = [] } = await this.deps.client.findComments(mirrorId, { sortOrder: 'desc', perPage: 100 });
    return comments.some((comment) => Date.parse(comment.created_at) >= since && sameComment(comment, body));
  }

  private async searchable(): Promise<void> {
    const wait = Date.parse(this.effect.firstAttemptAt!) + SEARCHABLE_AFTER_MS - Date.now();
    if (wait > 0) await sleep(wait);
  }
}

function currentFields(theCase: Case): CreatedFields {
  const { title, description, severity, tags, assignees, settings, owner } = theCase;
  return { title, description, severity, tags, assignees, settings, owner };
}

function sameComment(comment: KibanaComment, body: Record<string, unknown>): boolean {
  if (comment.type !== body.type) return false;
  return body.type === 'alert' ? String(comment.alertId) === String(body.alertId) : comment.comment === body.comment;
}
