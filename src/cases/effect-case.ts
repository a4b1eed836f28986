import type { Case } from './model';
import { caseOfStream, type Effect } from './outbox';
import type { CaseStore } from './store';

/** The case an effect belongs to, as it is now; null when it is gone (nothing left to show). */
export function caseOfEffect(store: CaseStore, effect: Effect): Promise<Case | null> {
  const caseId = caseOfStream(effect.stream);
  return caseId ? store.getCase(effect.teamId, { id: caseId }) : Promise.resolve(null);
}
