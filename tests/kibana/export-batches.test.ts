import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Actor, type Attachment, type Case, emptyTotals } from '../../src/cases/model';
import { VisibilityPolicy } from '../../src/cases/policy';
import { CaseService } from '../../src/cases/service';
import type { CaseStore } from '../../src/cases/store';
import { createCaseAction } from '../../src/cases/user-actions';
import { exportInputs } from '../../src/kibana/case-transfer';
import { SqliteCaseStore } from '../../src/storage/sqlite/sqlite-store';
import { draftCase } from '../contract/case-store-contract';

/**
 * An export reads the children of its cases a batch at a time (CaseStore.listChildren): at most 100 cases, and
 * fewer when their attachments, by the cases' totals, would pass 10,000. Every case comes out once, in order,
 * with the children the per-case readers give.
 */
describe('export reads cases in batches', () => {
  const admin: Actor = { userId: 'U0ADMIN', teamId: 'T0001' };
  let dir: string;
  let store: SqliteCaseStore;
  let cases: Case[];
  const batches: string[][] = [];
  const BIG = new Map([
    [149, 6_000],
    [150, 6_000],
    [200, 12_000],
  ]);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-export-batches-'));
    store = new SqliteCaseStore(dir);
    await store.init();
    cases = [];
    for (let index = 0; index < 230; index += 1) {
      // Cases 150 and 151 say they hold 6,000 attachments each, case 201 12,000 (batching reads only the totals).
      const totals = { ...emptyTotals(), user: BIG.get(index) ?? 1 };
      const draft = draftCase({ title: `case ${index + 1}`, totals });
      const comment: Attachment = { id: `comment-${index}`, caseId: draft.id, type: 'user', data: { comment: `note ${index}` }, createdAt: draft.createdAt, createdBy: admin, updatedAt: null, updatedBy: null, owner: 'securitySolution' };
      cases.push((await store.createCase(draft, { actions: [createCaseAction(draft, admin, draft.createdAt)], addAttachments: [comment] })).case);
    }
  });

  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The store, recording the cases of each listChildren call. */
  const recording = (inner: CaseStore): CaseStore =>
    new Proxy(inner, {
      get(target, property, receiver) {
        if (property !== 'listChildren') return Reflect.get(target, property, receiver) as unknown;
        return (teamId: string, caseIds: readonly string[]) => {
          batches.push([...caseIds]);
          return target.listChildren(teamId, caseIds);
        };
      },
    });

  test('every case once, in order, with its children, in batches bounded by cases and by attachments', async () => {
    const reader = recording(store);
    const service = new CaseService(reader, new VisibilityPolicy({ isMember: async () => true }, [admin.userId]), { owner: 'securitySolution' });
    const numbers: number[] = [];
    for await (const input of exportInputs(service, reader, admin, { kind: 'all' })) {
      const theCase = input.case as Case;
      numbers.push(theCase.number);
      expect(input.attachments).toEqual(await store.listAttachments(theCase.id, { limit: 10 }));
      expect(input.userActions).toEqual(await store.listUserActions(theCase.id, { limit: 10 }));
    }
    expect(numbers).toEqual(cases.map((theCase) => theCase.number));
    // 100 cases; 49 more and the first big one (6,049 attachments: the second would pass 10,000); the second big
    // one and the 49 after it; the one bigger than the bound, alone; the rest.
    expect(batches.map((batch) => batch.length)).toEqual([100, 50, 50, 1, 29]);
    expect(batches.flat()).toEqual(cases.map((theCase) => theCase.id));
  });
});
