import type { z } from 'zod';
import { CaseNotFoundError, InvalidInputError, VersionConflictError } from './errors';
import { randomUUID } from 'node:crypto';
import type { Actor, Case, CaseRef, UserAction } from './model';
import { type EffectDraft, isSeenByActor, type OutboxSignal, streamOfEffect } from './outbox';
import type { VisibilityPolicy } from './policy';
import { withAcknowledgement } from './sla';
import type { CaseStore, CaseWrite } from './store';

/** What a change did: the case as stored afterwards and the user actions recorded (none when it was a no-op). */
export interface ChangeResult {
  case: Case;
  actions: UserAction[];
  /** The effects the change recorded (outbox.ts) that the person who acted may wait to see delivered. */
  effectIds?: string[];
}

/**
 * How a change made by a person is shown in Slack: the card brought up to date and a line in the case thread
 * (the default), or the card alone (a change that posts in the thread itself, such as a chart).
 */
export type Announcement = 'card-and-thread' | 'card';

/** A planned change to one case: the new state and what lands with it. `null` when nothing would change. */
export type Plan = { next: Case; write: CaseWrite; announce?: Announcement } | null;

export type Planner = (current: Case, at: string) => Plan | Promise<Plan>;

/** Concurrent changes to one case are re-planned on the fresh state this many times before giving up. */
const MAX_ATTEMPTS = 8;

/**
 * The two things every use-case does to an existing case: read it through visibility, and change it
 * without losing a concurrent change.
 */
export class CaseAccess {
  constructor(
    readonly store: CaseStore,
    readonly policy: VisibilityPolicy,
    readonly now: () => Date,
    private readonly outbox?: OutboxSignal,
    /** Live sync with Kibana is on: every change a person makes is also pushed to the case's mirror there. */
    readonly mirrorsToKibana = false,
  ) {}

  /**
   * The case if it exists and the viewer may see it; otherwise CaseNotFoundError, identical in both cases. A change
   * someone made in Kibana (`via: 'kibana'`) is not subject to Slack visibility: Kibana's privileges governed it.
   */
  async getCase(viewer: Actor, ref: CaseRef): Promise<Case> {
    const found = await this.store.getCase(viewer.teamId, ref);
    if (!found || (viewer.via !== 'kibana' && !(await this.policy.canSee(viewer, found)))) throw new CaseNotFoundError(describeRef(ref));
    return found;
  }

  /**
   * Reads the case, plans the change on what was read, and commits it only if nobody changed the case in
   * between; otherwise re-reads and re-plans, so concurrent changes are all applied, none overwritten.
   */
  async change(actor: Actor, ref: CaseRef, plan: Planner): Promise<ChangeResult> {
    const fromKibana = actor.via === 'kibana';
    return this.changeLoop(() => this.getCase(actor, ref), async (current, at) => {
      const planned = await plan(current, at);
      // A change pulled from Kibana is already there: pushing it back would echo.
      return planned && { ...planned, write: announced(planned, actor, this.mirrorsToKibana && !fromKibana) };
    });
  }

  /**
   * A change Slack itself reports (a message edited or deleted), which no viewer initiated, so it is not
   * subject to visibility.
   */
  async changeAsSlack(teamId: string, caseId: string, plan: Planner): Promise<ChangeResult> {
    return this.changeLoop(async () => {
      const found = await this.store.getCase(teamId, { id: caseId });
      if (!found) throw new CaseNotFoundError(caseId);
      return found;
    }, plan);
  }

  /**
   * State the bot keeps on a case as its work outside goes on (the Kibana mirror's, the war room's): `update` gives the
   * next case and whether the card shows the difference (then it is edited), or null when nothing changes. Null when
   * the case is gone.
   */
  async recordState(teamId: string, caseId: string, actor: Actor, update: (current: Case) => { next: Case; showOnCard: boolean } | null): Promise<Case | null> {
    try {
      const result = await this.changeAsSlack(teamId, caseId, (current) => {
        const planned = update(current);
        if (!planned) return null;
        return { next: planned.next, write: { effects: planned.showOnCard ? [cardEdit(actor)] : [] } };
      });
      return result.case;
    } catch (error) {
      if (error instanceof CaseNotFoundError) return null;
      throw error;
    }
  }

  private async changeLoop(read: () => Promise<Case>, plan: Planner): Promise<ChangeResult> {
    for (let attempt = 1; ; attempt += 1) {
      const current = await read();
      const at = this.now().toISOString();
      const planned = await plan(current, at);
      if (!planned) return { case: current, actions: [] };
      try {
        const saved = await this.committing(current.id, planned.write, (write) => this.store.updateCase(withAcknowledgement(planned.next, at), current.version, write));
        return { case: saved, actions: planned.write.actions ?? [], effectIds: seenByActor(planned.write.effects) };
      } catch (error) {
        if (!(error instanceof VersionConflictError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Makes the write through `commit` with the local dispatcher ready for the effects it records, in each lane of the
   * case they go in: it takes their leases beside the write and starts delivering the moment the write commits
   * (onCommit), not when the store has finished with it.
   */
  async committing<T>(caseId: string, write: CaseWrite, commit: (write: CaseWrite) => Promise<T>): Promise<T> {
    const outbox = this.outbox;
    const streams = [...new Set((write.effects ?? []).map((effect) => streamOfEffect(caseId, effect.kind)))];
    if (!outbox || streams.length === 0) return commit(write);
    for (const stream of streams) outbox.expect(stream);
    try {
      return await commit({ ...write, onCommit: () => streams.forEach((stream) => outbox.due(stream)) });
    } finally {
      // A write refused, or a creation that found its case there already, owes nothing: the leases taken for it go.
      for (const stream of streams) outbox.cancelExpected(stream);
    }
  }
}

/** The ids of the effects the person who acted may wait to see (ChangeResult.effectIds). */
export function seenByActor(effects: EffectDraft[] = []): string[] {
  return effects.filter((effect) => isSeenByActor(effect.kind)).map((effect) => effect.id);
}

/**
 * The write with the effects that show a person's change in Slack, and push it to Kibana when the case is mirrored
 * there: none when nothing was recorded.
 */
function announced(plan: NonNullable<Plan>, actor: Actor, mirrorsToKibana: boolean): CaseWrite {
  const { write } = plan;
  if (!write.actions?.length) return write;
  const effects: EffectDraft[] = [cardEdit(actor)];
  if ((plan.announce ?? 'card-and-thread') === 'card-and-thread') effects.push({ id: randomUUID(), kind: 'thread_line', payload: { actor, actions: write.actions } });
  if (mirrorsToKibana) effects.push(kibanaPush(actor, write.actions));
  return { ...write, effects: [...(write.effects ?? []), ...effects] };
}

/** The effect that brings the case card up to date. */
export function cardEdit(actor: Actor): EffectDraft {
  return { id: randomUUID(), kind: 'edit_card', payload: { actor } };
}

/** The effect that pushes these user actions to the case's mirror in Kibana (created there by its create_case). */
export function kibanaPush(actor: Actor, actions: UserAction[]): EffectDraft {
  return { id: randomUUID(), kind: 'kibana_push', payload: { actor, actions } };
}

export function describeRef(ref: CaseRef): string {
  return 'number' in ref ? `#${ref.number}` : ref.id;
}

export function touch(theCase: Case, actor: Actor, at: string): Case {
  return { ...theCase, updatedAt: at, updatedBy: actor };
}

/** Validates user input against the model, turning the problems into one message for the user. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data;
}
