import type { Case } from './model';
import type { CaseStore } from './store';

/** Cases still open: the only ones scheduled checks look at. */
const RUNNING = ['open', 'in-progress'] as const;

/**
 * Runs `act` on every open or in-progress case of the team that `due` selects, a page at a time; returns how many
 * it acted on (`act` answers false when another replica got there first). A case that fails does not hold up the
 * others: the failures are thrown together at the end, so the scheduled job runs again.
 */
export async function forEachDueCase(store: CaseStore, teamId: string, due: (theCase: Case) => boolean, act: (theCase: Case) => Promise<boolean>, what: string): Promise<number> {
  let acted = 0;
  const failures: unknown[] = [];
  for await (const page of store.scanCases({ teamId, statuses: [...RUNNING] })) {
    for (const theCase of page) {
      if (!due(theCase)) continue;
      try {
        if (await act(theCase)) acted += 1;
      } catch (error) {
        failures.push(error);
      }
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} case(s) could not ${what}`);
  return acted;
}
