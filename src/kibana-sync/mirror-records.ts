import { isDeepStrictEqual } from 'node:util';
import type { CaseAccess } from '../cases/case-access';
import type { Actor, Case } from '../cases/model';

type MirrorState = NonNullable<Case['kibanaMirror']>;

/**
 * What caseops knows of a case's mirror in Kibana, kept on the case itself (so the card, which shows it, reads nothing
 * else): its Kibana id, and whether changes are waiting for Kibana; and how far the pull has read its history. A
 * change the card shows edits the card; writing the same state again writes nothing.
 */
export class MirrorRecords {
  constructor(private readonly access: CaseAccess) {}

  /** The case after the change; null when it is gone. */
  record(teamId: string, caseId: string, change: MirrorState, actor: Actor): Promise<Case | null> {
    return this.write(teamId, caseId, change, actor, false);
  }

  /** The same, and the card edited even when the state is unchanged: it has something else to say (a push given up on). */
  showOnCard(teamId: string, caseId: string, actor: Actor, change: MirrorState): Promise<Case | null> {
    return this.write(teamId, caseId, change, actor, true);
  }

  private write(teamId: string, caseId: string, change: MirrorState, actor: Actor, always: boolean): Promise<Case | null> {
    return this.access.recordState(teamId, caseId, actor, (current) => {
      const was = current.kibanaMirror ?? {};
      const next: MirrorState = { ...was, ...change };
      if (!always && isDeepStrictEqual(next, was)) return null;
      return { next: { ...current, kibanaMirror: next }, showOnCard: always || !sameOnCard(next, was) };
    });
  }
}

/** Whether the card would show both states alike (`pulledAt`, the pull's bookmark, and learned `profiles` are not shown). */
function sameOnCard(a: MirrorState, b: MirrorState): boolean {
  return a.id === b.id && a.writer === b.writer && Boolean(a.behind) === Boolean(b.behind) && Boolean(a.deleted) === Boolean(b.deleted);
}
