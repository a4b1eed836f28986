import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CaseAccess, type ChangeResult, kibanaPush, type Plan, parseInput, seenByActor, touch } from './case-access';
import { commented } from './comments';
import { MessageSnapshot } from './attachments';
import { InvalidInputError } from './errors';
import type { ExportRequest } from './export-request';
import { type Digest, DigestTally } from './digest';
import { MetricsTally } from './metrics';
import type { Period } from './period';
import { eventEvidence, eventIndexing, withEvidence } from './evidence';
import { deterministicId } from './ids';
import {
  type Actor,
  CASE_LIMITS,
  type Case,
  type CaseRef,
  emptyTotals,
  NewCaseInput,
  type Owner,
  Severity,
  type SlackOrigin,
  SlackUserId,
  Status,
  Tag,
  type UserAction,
} from './model';
import type { EffectDraft, OutboxSignal } from './outbox';
import type { VisibilityPolicy } from './policy';
import { withAcknowledgement } from './sla';
import type { CasePage, CaseScan, CaseStore } from './store';
import { assigneesActions, createCaseAction, fieldAction, tagsActions } from './user-actions';

export interface CaseListFilter {
  statuses?: Status[];
  severities?: Severity[];
  tag?: string;
  /** Only cases assigned to the viewer. */
  mine?: boolean;
  /** A case number, or words the title's words start with (the case picker's typeahead). */
  search?: string;
  orderBy?: 'activity' | 'number';
  limit: number;
  offset?: number;
}

/** A channel that something is posted in: who may read it decides which cases it may show. */
export interface ChannelView {
  id: string;
  isPrivate: boolean;
}

/** What an export selects: a list filter without order or paging. */
export type CaseScanFilter = Omit<CaseListFilter, 'orderBy' | 'limit' | 'offset'>;

export interface CaseServiceOptions {
  owner: Owner;
  now?: () => Date;
  /** Woken when a use-case recorded effects, so they are delivered at once. */
  outbox?: OutboxSignal;
  /** A cluster keeps attached messages as ECS documents: a message a new case starts with owes one (`index_event`). */
  indexEvents?: boolean;
  /** Live sync with Kibana is on: a new case, and every change, is pushed to its mirror in Kibana Cases. */
  kibanaSync?: boolean;
}

/** The use-cases. Knows nothing of Slack or of how a store persists; every read goes through visibility. */
export class CaseService {
  private readonly access: CaseAccess;
  private readonly store: CaseStore;

  constructor(
    store: CaseStore,
    policy: VisibilityPolicy,
    private readonly options: CaseServiceOptions,
  ) {
    this.access = new CaseAccess(store, policy, options.now ?? (() => new Date()), options.outbox, options.kibanaSync);
    this.store = store;
  }

  private now(): Date {
    return this.access.now();
  }

  private change(actor: Actor, ref: CaseRef, plan: (current: Case, at: string) => Plan): Promise<ChangeResult> {
    return this.access.change(actor, ref, plan);
  }

  /**
   * Opens a case. With an idempotency key (a modal's view id, say) the case id is derived from it, so a
   * repeated submission returns the case the first one opened, with `created: false`.
   */
  async openCase(
    actor: Actor,
    input: NewCaseInput,
    origin: SlackOrigin,
    idempotencyKey?: string,
    firstEvent?: { message: MessageSnapshot; captureId?: string },
    options: { responseUrl?: string; mirrorOf?: string } = {},
  ): Promise<{ case: Case; created: boolean; effectIds: string[] }> {
    // A case linked to one born in Kibana (`mirrorOf`, its Kibana id) already has its mirror: nothing to create there.
    const { mirrorOf, ...card } = options;
    const fields = parseInput(NewCaseInput, input);
    const at = this.now().toISOString();
    const draft: Omit<Case, 'number' | 'version'> = {
      id: idempotencyKey ? this.caseIdFor(actor.teamId, idempotencyKey) : randomUUID(),
      teamId: actor.teamId,
      title: fields.title,
      description: fields.description,
      status: 'open',
      severity: fields.severity,
      tags: unique(fields.tags),
      assignees: unique(fields.assignees),
      owner: this.options.owner,
      settings: { syncAlerts: true },
      createdAt: at,
      createdBy: actor,
      updatedAt: null,
      updatedBy: null,
      closedAt: null,
      closedBy: null,
      duration: null,
      origin,
      totals: emptyTotals(),
      ...(mirrorOf ? { kibanaMirror: { id: mirrorOf } } : {}),
    };
    const evidence = firstEvent ? [eventEvidence(draft, actor, at, parseInput(MessageSnapshot, firstEvent.message), { captureId: firstEvent.captureId })] : [];
    const write = {
      actions: [createCaseAction(draft, actor, at), ...evidence.map((item) => item.action)],
      addAttachments: evidence.map((item) => item.attachment),
      // The card is owed from the moment the case exists: a due post_card is the case's "card pending" mark.
      effects: [
        { id: randomUUID(), kind: 'post_card' as const, payload: { actor, ...card } },
        ...(this.options.indexEvents ? evidence.map((item) => eventIndexing(actor, item.attachment.id)) : []),
      ],
    };
    if (this.options.kibanaSync && !mirrorOf) write.effects.push(kibanaPush(actor, write.actions));
    const opened = await this.access.committing(draft.id, write, (committed) => this.store.createCase(withAcknowledgement(withEvidence(draft, evidence), at), committed));
    return { ...opened, effectIds: opened.created ? seenByActor(write.effects) : [] };
  }

  /** The id a case opened with this idempotency key has (or will have): lets a follow-up refer to it early. */
  caseIdFor(teamId: string, idempotencyKey: string): string {
    return deterministicId('case', teamId, idempotencyKey);
  }

  /** Admins may import, and see every case (DESIGN.md §9). */
  isAdmin(actor: Actor): boolean {
    return this.access.policy.isAdmin(actor);
  }

  getCase(viewer: Actor, ref: CaseRef): Promise<Case> {
    return this.access.getCase(viewer, ref);
  }

  async listCases(viewer: Actor, filter: CaseListFilter): Promise<CasePage> {
    return this.store.findCases({ ...(await this.visibleCases(viewer, filter)), orderBy: filter.orderBy, limit: filter.limit, offset: filter.offset });
  }

  /** Every case the viewer may see that the filter selects, by number, a page at a time (an export). */
  async *scanCases(viewer: Actor, filter: CaseScanFilter): AsyncGenerator<Case[]> {
    yield* this.store.scanCases(await this.visibleCases(viewer, filter));
  }

  private async visibleCases(viewer: Actor, filter: CaseScanFilter): Promise<CaseScan> {
    const candidates = await this.store.listPrivateChannelIds(viewer.teamId);
    const visibleTo = await this.access.policy.listFilter(viewer, candidates);
    return {
      teamId: viewer.teamId,
      statuses: filter.statuses,
      severities: filter.severities,
      tag: filter.tag,
      assignee: filter.mine ? viewer.userId : undefined,
      search: filter.search,
      visibleTo,
    };
  }

  /**
   * Records an export someone asked for in the outbox (`deliver_export`), which writes and posts it, so an export
   * survives the process that took the request. The named cases are read now, so an unknown or hidden one is
   * refused before anything is recorded. An export of cases that are all visible to the channel's members (public,
   * or this private channel's own) is posted there; any other goes to the requester's direct messages.
   */
  async requestExport(actor: Actor, request: Omit<ExportRequest, 'direct'>): Promise<{ effectId: string; cases: Case[]; direct: boolean }> {
    const { selection, channelId } = request;
    const cases = selection.kind === 'cases' ? await Promise.all(selection.refs.map((ref) => this.getCase(actor, ref))) : [];
    const fitsChannel = selection.kind === 'cases' && cases.every((theCase) => !theCase.origin.isPrivate || theCase.origin.channelId === channelId);
    // A fresh random id is never taken, so the export is always recorded.
    const effect = (await this.store.outbox.recordAlone(actor.teamId, { id: randomUUID(), kind: 'deliver_export', payload: { actor, export: { ...request, direct: !fitsChannel } } }))!;
    this.options.outbox?.due(effect.stream);
    return { effectId: effect.id, cases, direct: !fitsChannel };
  }

  /**
   * Metrics (metrics.ts) of the cases created or closed in the period among those every member of a channel may
   * see, since they are posted there.
   */
  async channelMetrics(teamId: string, channel: ChannelView, period: Period): Promise<MetricsTally> {
    const tally = new MetricsTally(period);
    await this.forChannelCases(teamId, channel, (theCase) => tally.add(theCase));
    return tally;
  }

  /** The channel's digest (digest.ts) of the period, over the cases every member of the channel may see. */
  async channelDigest(teamId: string, channel: ChannelView, period: Period): Promise<Digest> {
    const tally = new DigestTally(period);
    await this.forChannelCases(teamId, channel, (theCase) => tally.add(theCase));
    return tally.result();
  }

  /**
   * A channel asks for its digest every day at `time` (HH:MM, the deployment's time zone), or stops (null). Returns
   * whether anything changed (stopping a digest the channel did not have changes nothing).
   */
  async scheduleDigest(actor: Actor, channelId: string, time: string | null): Promise<boolean> {
    if (time === null) return this.store.digestSchedules.remove(actor.teamId, channelId);
    await this.store.digestSchedules.set({ teamId: actor.teamId, channelId, time, setBy: actor, setAt: this.now().toISOString() });
    return true;
  }

  /**
   * Every case of the team that every member of a channel may see — public cases, and the channel's own if it is
   * private — a page at a time: what is posted in a channel counts only those.
   */
  private async forChannelCases(teamId: string, channel: ChannelView, visit: (theCase: Case) => void): Promise<void> {
    const visibleTo = { publicChannels: true as const, privateChannelIds: channel.isPrivate ? [channel.id] : [] };
    for await (const page of this.store.scanCases({ teamId, visibleTo })) for (const theCase of page) visit(theCase);
  }

  async recentHistory(viewer: Actor, ref: CaseRef, limit: number): Promise<UserAction[]> {
    const theCase = await this.getCase(viewer, ref);
    return this.store.listUserActions(theCase.id, { limit });
  }

  async setStatus(actor: Actor, ref: CaseRef, status: Status): Promise<ChangeResult> {
    const wanted = parseInput(Status, status);
    return this.change(actor, ref, (current, at) => {
      if (current.status === wanted) return null;
      const closing = wanted === 'closed';
      const next: Case = {
        ...touch(current, actor, at),
        status: wanted,
        closedAt: closing ? at : null,
        closedBy: closing ? actor : null,
        duration: closing ? Math.round((Date.parse(at) - Date.parse(current.createdAt)) / 1000) : null,
      };
      // A war room still open is told the case is closed, and offered to be archived.
      const room = closing && current.room?.channelId && !current.room.archived;
      const effects: EffectDraft[] = room ? [{ id: randomUUID(), kind: 'close_room', payload: { actor } }] : [];
      return { next, write: { actions: [fieldAction(next, actor, at, 'status')], effects } };
    });
  }

  async setSeverity(actor: Actor, ref: CaseRef, severity: Severity): Promise<ChangeResult> {
    return this.setField(actor, ref, 'severity', parseInput(Severity, severity));
  }

  async setTitle(actor: Actor, ref: CaseRef, title: string): Promise<ChangeResult> {
    return this.setField(actor, ref, 'title', parseInput(NewCaseInput.shape.title, title));
  }

  async setDescription(actor: Actor, ref: CaseRef, description: string): Promise<ChangeResult> {
    return this.setField(actor, ref, 'description', parseInput(NewCaseInput.shape.description, description));
  }

  /** A field with a new value, recorded as Kibana does; setting the value it already has changes nothing. */
  private setField<K extends 'severity' | 'title' | 'description'>(actor: Actor, ref: CaseRef, field: K, value: Case[K]): Promise<ChangeResult> {
    return this.change(actor, ref, (current, at) => {
      if (current[field] === value) return null;
      const next = { ...touch(current, actor, at), [field]: value };
      return { next, write: { actions: [fieldAction(next, actor, at, field)] } };
    });
  }

  async changeTags(actor: Actor, ref: CaseRef, change: { add?: string[]; remove?: string[] }): Promise<ChangeResult> {
    const add = unique(parseInput(Tag.array(), change.add ?? []));
    const remove = new Set(parseInput(Tag.array(), change.remove ?? []));
    return this.change(actor, ref, (current, at) => {
      const added = add.filter((tag) => !current.tags.includes(tag) && !remove.has(tag));
      const removed = current.tags.filter((tag) => remove.has(tag));
      if (!added.length && !removed.length) return null;
      const tags = [...current.tags.filter((tag) => !remove.has(tag)), ...added];
      if (tags.length > CASE_LIMITS.tags) throw new InvalidInputError(`a case can have at most ${CASE_LIMITS.tags} tags`);
      const next = { ...touch(current, actor, at), tags };
      return { next, write: { actions: tagsActions(next, actor, at, added, removed) } };
    });
  }

  /** `set` replaces the assignees (a users menu); `add`/`remove` change some (a command). */
  async changeAssignees(actor: Actor, ref: CaseRef, change: { set?: string[]; add?: string[]; remove?: string[] }): Promise<ChangeResult> {
    const [set, add, remove] = [change.set, change.add ?? [], change.remove ?? []].map((users) => users && parseInput(SlackUserId.array(), users));
    return this.change(actor, ref, (current, at) => {
      const removeSet = new Set(remove);
      const target = set ? unique(set) : unique([...current.assignees.filter((user) => !removeSet.has(user)), ...(add ?? [])]);
      const added = target.filter((user) => !current.assignees.includes(user));
      const removed = current.assignees.filter((user) => !target.includes(user));
      if (!added.length && !removed.length) return null;
      if (target.length > CASE_LIMITS.assignees) throw new InvalidInputError(`a case can have at most ${CASE_LIMITS.assignees} assignees`);
      const next = { ...touch(current, actor, at), assignees: target };
      return { next, write: { actions: assigneesActions(next, actor, at, added, removed) } };
    });
  }

  /**
   * Adds a user comment. With an idempotency key the comment's id is derived from it, so a repeated
   * submission is refused by the store as a duplicate and reported as already done.
   */
  async addComment(actor: Actor, ref: CaseRef, text: string, idempotencyKey?: string): Promise<ChangeResult> {
    const comment = parseInput(CommentText, text);
    return this.change(actor, ref, (current, at) => {
      const id = idempotencyKey ? deterministicId('comment', current.id, idempotencyKey) : randomUUID();
      return commented(touch(current, actor, at), actor, at, id, comment);
    });
  }

  /** Remembers the case card's message so later changes edit it in place and reply in its thread. */
  async recordCardMessage(theCase: Case, cardTs: string): Promise<Case> {
    // Re-planned like any change: an analyst may change the case while Slack is still taking its card.
    const result = await this.access.changeAsSlack(theCase.teamId, theCase.id, (current) =>
      current.origin.cardTs === cardTs ? null : { next: { ...current, origin: { ...current.origin, cardTs } }, write: {} },
    );
    return result.case;
  }
}

const CommentText = z
  .string()
  .trim()
  .min(1, 'a comment cannot be empty')
  .max(CASE_LIMITS.commentLength, `a comment can have at most ${CASE_LIMITS.commentLength} characters`);

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
