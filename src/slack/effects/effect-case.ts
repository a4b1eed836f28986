import type { Case } from '../../cases/model';
import type { Effect } from '../../cases/outbox';
import type { CaseStore } from '../../cases/store';

/** The case an effect belongs to, as it is now; null when it is gone (nothing left to show). */
export function caseOfEffect(store: CaseStore, effect: Effect): Promise<Case | null> {
  return store.getCase(effect.teamId, { id: effect.stream });
}
