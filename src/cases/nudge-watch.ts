import { randomUUID } from 'node:crypto';
import type { CaseAccess } from './case-access';
import type { Actor } from './model';
import { type NudgePolicy, nudgeDue } from './nudges';
import { forEachDueCase } from './running-cases';

/**
 * Nudges the open cases nobody has touched for their severity's period (nudges.ts). The nudge's time is written on
 * the case with a conditional write, and the nudge itself is an outbox effect of that write: two replicas checking
 * at once nudge a case once between them, and Slack gets the nudge once.
 */
export class NudgeWatch {
  constructor(
    private readonly access: CaseAccess,
    private readonly policy: NudgePolicy,
    /** Who the nudge comes from: caseops' own bot user. */
    private readonly actor: Actor,
  ) {}

  /** Nudges every open case of the team due at `now`; returns how many were nudged (failures: forEachDueCase). */
  check(now: Date): Promise<number> {
    return forEachDueCase(this.access.store, this.actor.teamId, (theCase) => nudgeDue(theCase, this.policy, now), (theCase) => this.nudge(theCase.id, now), 'be nudged');
  }

  /** False when the case is no longer due (touched, or nudged by another replica, since it was read). */
  private async nudge(caseId: string, now: Date): Promise<boolean> {
    let recorded = false; // the last plan is the one committed
    await this.access.changeAsSlack(this.actor.teamId, caseId, (current) => {
      recorded = nudgeDue(current, this.policy, now);
      if (!recorded) return null;
      return { next: { ...current, nudgedAt: now.toISOString() }, write: { effects: [{ id: randomUUID(), kind: 'nudge', payload: { actor: this.actor } }] } };
    });
    return recorded;
  }
}
