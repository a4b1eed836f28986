import { randomUUID } from 'node:crypto';
import { type CaseAccess, cardEdit, type Plan } from './case-access';
import type { Actor, Case } from './model';
import type { EffectDraft, SlaNotice } from './outbox';
import { forEachDueCase } from './running-cases';
import { type SlaCrossing, type SlaPolicy, breachTag, slaCrossings } from './sla';
import { tagsActions } from './user-actions';

/**
 * Records the SLA thresholds open cases have crossed, each once per case: the marks are written with the case
 * (a conditional write), so two replicas checking the same case at once record them once between them, and the
 * notices go out as outbox effects of that same write (delivered once on Slack). A breach also tags the case
 * (`sla-breached:acknowledge`), a change Kibana knows: on the card, in the user actions, in an export.
 */
export class SlaWatch {
  constructor(
    private readonly access: CaseAccess,
    private readonly policy: SlaPolicy,
    /** Who the marks are recorded as: caseops' own bot user. */
    private readonly actor: Actor,
  ) {}

  /** Checks every open case of the team at `now`; returns how many cases got a mark (failures: forEachDueCase). */
  check(now: Date): Promise<number> {
    return forEachDueCase(this.access.store, this.actor.teamId, (theCase) => slaCrossings(theCase, this.policy, now).length > 0, (theCase) => this.mark(theCase, now), 'get their SLA marks');
  }

  /** Records the case's new crossings; false when another replica recorded them first. */
  private async mark(theCase: Case, now: Date): Promise<boolean> {
    let recorded = false; // the last plan is the one committed
    await this.access.changeAsSlack(theCase.teamId, theCase.id, (current, at) => {
      const plan = this.plan(current, now, at);
      recorded = plan !== null;
      return plan;
    });
    return recorded;
  }

  private plan(current: Case, now: Date, at: string): Plan {
    const crossings = slaCrossings(current, this.policy, now);
    if (crossings.length === 0) return null; // another replica recorded them first
    const tagged = crossings.filter((crossing) => crossing.level === 'breach').map((crossing) => breachTag(crossing.target)).filter((tag) => !current.tags.includes(tag));
    const next: Case = { ...current, tags: [...current.tags, ...tagged], slaMarks: [...(current.slaMarks ?? []), ...crossings.map((crossing) => crossing.mark)] };
    const actions = tagsActions(next, this.actor, at, tagged, []);
    const effects: EffectDraft[] = crossings.filter((crossing) => crossing.notify).flatMap((crossing) => this.notices(current, crossing));
    if (tagged.length > 0) effects.unshift(cardEdit(this.actor));
    return { next, write: { actions, effects } };
  }

  /** A line in the case thread, and a direct message to each assignee (or a message in the channel when there is none). */
  private notices(theCase: Case, crossing: SlaCrossing): EffectDraft[] {
    const audiences: SlaNotice['to'][] = [{ thread: true }, ...(theCase.assignees.length ? theCase.assignees.map((userId) => ({ userId })) : [{ channel: true as const }])];
    return audiences.map((to) => ({ id: randomUUID(), kind: 'sla_notice', payload: { actor: this.actor, sla: { target: crossing.target, level: crossing.level, dueAt: crossing.dueAt, to } } }));
  }
}
