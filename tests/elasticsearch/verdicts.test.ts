import { emptyTotals } from '../../src/cases/model';
import { type CaseHead, claimSource, committedCaseSource, fenceSource } from '../../src/storage/elasticsearch/case-documents';
import { judge } from '../../src/storage/elasticsearch/pending-records';
import { draftCase } from '../contract/case-store-contract';

/** What the repair pass and writers conclude from a pending mark and its case (no cluster needed). */
describe('judging a pending record by its case', () => {
  const now = Date.parse('2026-11-01T12:00:00Z');
  const lease = 60_000;
  const mark = (op: string, baseVersion: number, ageMs = 1_000) => ({ op, base_version: baseVersion, at: new Date(now - ageMs).toISOString() });
  const committed = (version: number, op: string): CaseHead => {
    const theCase = { ...draftCase(), number: 1, version, totals: emptyTotals() };
    return { id: theCase.id, source: committedCaseSource(theCase, { op, since_version: 1, attachment_ids: [], user_action_ids: [] }), seqNo: 5, primaryTerm: 1 };
  };
  const claim = (op: string): CaseHead => ({ id: 'c', source: claimSource(op, new Date(now - 1_000)), seqNo: 0, primaryTerm: 1 });
  const fenced = (op: string): CaseHead => ({ id: 'c', source: fenceSource(op, new Date(now - 1_000)), seqNo: 0, primaryTerm: 1 });

  test.each([
    ['the case of an update is gone', 'dead', mark('A', 3), null],
    ['a creation whose case document is not written yet', 'in-flight', mark('A', 0), null],
    ['… and the lease ran out', 'abandoned', mark('A', 0, 61_000), null],
    ['a creation whose id was fenced', 'dead', mark('A', 0), fenced('B')],
    ['its op is the last commit', 'committed', mark('A', 3), committed(4, 'A')],
    ['the case moved past its base version', 'dead', mark('A', 3), committed(4, 'B')],
    ['the case is still at its base version', 'in-flight', mark('A', 3), committed(3, 'B')],
    ['… and the lease ran out', 'abandoned', mark('A', 3, 61_000), committed(3, 'B')],
    ['its own creation claim', 'in-flight', mark('A', 0), claim('A')],
    ['its own creation claim, lease run out', 'abandoned', mark('A', 0, 61_000), claim('A')],
    ['a creation claim of another op', 'dead', mark('A', 0), claim('B')],
    ['a case created by another op', 'dead', mark('A', 0), committed(1, 'B')],
  ] as const)('%s → %s', (_, verdict, pending, head) => {
    expect(judge(pending, head, lease, now)).toBe(verdict);
  });
});
