import type { Owner } from '../cases/model';
import type { CaseStore } from '../cases/store';
import type { Logger } from '../log';
import { KibanaChanges, type KibanaChangeTargets } from './kibana-changes';
import type { KibanaCasesClient } from './client';
import type { KibanaPeople } from './kibana-people';
import type { KibanaCase, KibanaUserAction } from './kibana-shapes';
import { mirroringCase } from './mirror-marker';
import type { MirrorRecords } from './mirror-records';

/** A replica that starts looks this far back for cases changed in Kibana (those it missed while every replica was down). */
const LOOKBACK_MS = 24 * 3_600_000;
/**
 * Each poll looks again this far before the previous one began: Kibana's `_find` sees a write only once its index has
 * refreshed, and clocks differ a little. What was already read is skipped by the mirror's `pulledAt`.
 */
const OVERLAP_MS = 30_000;
const PER_PAGE = 100;
/** caseops' recent history of a case, for the later-wins check of each Kibana change (`KibanaChanges`). */
const HISTORY_LIMIT = 200;

export interface KibanaPullDeps extends KibanaChangeTargets {
  client: KibanaCasesClient;
  store: CaseStore;
  mirrors: MirrorRecords;
  people: KibanaPeople;
  owner: Owner;
  logger: Logger;
}

/**
 * Brings what people do in Kibana to the mirrored cases: the cases of the space changed since the last poll (`_find`
 * sorted by `updatedAt`), and of each mirror the user actions made since caseops last read them, applied in the
 * order they were made. caseops' own writes there (by the mirror's `writer`) are skipped, and what is applied is not
 * pushed back (an actor `via: 'kibana'`): a change never echoes.
 */
export class KibanaPull {
  private since: number;
  private readonly changes: KibanaChanges;

  constructor(
    private readonly deps: KibanaPullDeps,
    now: Date,
  ) {
    this.since = now.getTime() - LOOKBACK_MS;
    this.changes = new KibanaChanges(deps, deps.people, deps.logger);
  }

  /** One poll. Returns how many Kibana changes were applied. A case that fails is read again at the next poll. */
  async poll(now: Date): Promise<number> {
    let applied = 0;
    let complete = true;
    for await (const kibanaCase of this.changedSince(this.since)) {
      try {
        applied += await this.pullCase(kibanaCase);
      } catch (error) {
        complete = false;
        this.deps.logger.warn({ err: error, kibanaCaseId: kibanaCase.id }, 'a change made in Kibana could not be brought to Slack; it is tried again at the next poll');
      }
    }
    if (complete) this.since = now.getTime() - OVERLAP_MS;
    return applied;
  }

  private async *changedSince(since: number): AsyncGenerator<KibanaCase> {
    for (let page = 1; ; page += 1) {
      const found = await this.deps.client.findCases({ owner: this.deps.owner, sortField: 'updatedAt', sortOrder: 'desc', perPage: PER_PAGE, page });
      for (const kibanaCase of found.cases) {
        if (Date.parse(kibanaCase.updated_at ?? kibanaCase.created_at) < since) return;
        yield kibanaCase;
      }
      if (page * PER_PAGE >= found.total || !found.cases.length) return;
    }
  }

  private async pullCase(kibanaCase: KibanaCase): Promise<number> {
    const theCase = await mirroringCase(this.deps.store, kibanaCase);
    const mirror = theCase?.kibanaMirror;
    // Until caseops knows which Kibana user it writes as, its own writes could not be told from people's.
    if (!theCase || !mirror?.writer || mirror.deleted) return 0;
    const changedAt = Date.parse(kibanaCase.updated_at ?? kibanaCase.created_at);
    if (mirror.pulledAt && changedAt < Date.parse(mirror.pulledAt)) return 0;
    const actions = await this.actionsSince(kibanaCase.id, mirror.pulledAt);
    if (!actions.length) return 0;
    const byPeople = actions.filter((action) => action.created_by.username !== mirror.writer);
    const history = byPeople.length ? await this.deps.store.listUserActions(theCase.id, { limit: HISTORY_LIMIT }) : [];
    const learned = { ...mirror.profiles };
    let applied = 0;
    for (const action of byPeople) applied += (await this.changes.apply(theCase, action, history, learned)) ? 1 : 0;
    await this.deps.mirrors.record(theCase.teamId, theCase.id, { pulledAt: actions.at(-1)!.created_at }, theCase.createdBy);
    return applied;
  }

  /**
   * The mirror's user actions made at or after `since`, oldest first (newest-first pages, read back until `since`).
   * An action made in the same millisecond as the last one read is read again; applying it again changes nothing.
   */
  private async actionsSince(kibanaCaseId: string, since: string | undefined): Promise<KibanaUserAction[]> {
    const from = since ? Date.parse(since) : -Infinity;
    const found: KibanaUserAction[] = [];
    for (let page = 1; ; page += 1) {
      const { userActions, total } = await this.deps.client.findUserActions(kibanaCaseId, { sortOrder: 'desc', perPage: PER_PAGE, page });
      for (const action of userActions) {
        if (Date.parse(action.created_at) < from) return found.reverse();
        found.push(action);
      }
      if (page * PER_PAGE >= total || !userActions.length) return found.reverse();
    }
  }
}
