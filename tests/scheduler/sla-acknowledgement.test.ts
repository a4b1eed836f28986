import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CaseAccess } from '../../src/cases/case-access';
import { VisibilityPolicy } from '../../src/cases/policy';
import { CaseService } from '../../src/cases/service';
import { DEFAULT_SLA_POLICY } from '../../src/cases/sla';
import { SlaWatch } from '../../src/cases/sla-watch';
import { SqliteCaseStore } from '../../src/storage/sqlite/sqlite-store';
import { TestClock } from './support/shared-stores';

/**
 * "Acknowledged" is the first assignee or the first move to in-progress, recorded by the use-cases when it
 * happens: undoing it (unassigning, moving back to open) does not restart the acknowledge clock.
 */

const START = Date.parse('2026-12-04T10:00:00Z');
const MINUTE = 60_000;
const ALICE = { userId: 'U0ALICE', teamId: 'T0001' };
const BOT = { userId: 'U0CASEOPS', teamId: 'T0001', name: 'caseops' };
const ORIGIN = { teamId: 'T0001', channelId: 'C0PUBLIC', isPrivate: false };

let dir: string;
let store: SqliteCaseStore;
let clock: TestClock;
let service: CaseService;
let watch: SlaWatch;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-sla-ack-'));
  store = new SqliteCaseStore(dir);
  await store.init();
  clock = new TestClock(START);
  const policy = new VisibilityPolicy({ isMember: async () => true }, []);
  service = new CaseService(store, policy, { owner: 'securitySolution', now: clock.now });
  watch = new SlaWatch(new CaseAccess(store, policy, clock.now), DEFAULT_SLA_POLICY, BOT);
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the first assignee acknowledges for good: unassigning at once does not bring the 15-minute breach', async () => {
  const { case: opened } = await service.openCase(ALICE, { title: 'Beacon', severity: 'critical' }, ORIGIN);
  clock.advance(5 * MINUTE);
  await service.changeAssignees(ALICE, { id: opened.id }, { add: ['U0BOB'] });
  clock.advance(MINUTE);
  await service.changeAssignees(ALICE, { id: opened.id }, { remove: ['U0BOB'] });
  clock.advance(20 * MINUTE);
  await watch.check(clock.now());
  const checked = (await store.getCase('T0001', { id: opened.id }))!;
  expect(checked.acknowledgedAt).toBe(new Date(START + 5 * MINUTE).toISOString());
  expect(checked.slaMarks ?? []).toEqual([]);
});

test('a move to in-progress and back to open acknowledges too; a case opened with an assignee is acknowledged when opened', async () => {
  const { case: moved } = await service.openCase(ALICE, { title: 'Phishing', severity: 'critical' }, ORIGIN);
  const { case: assigned } = await service.openCase(ALICE, { title: 'Malware', severity: 'critical', assignees: ['U0BOB'] }, ORIGIN);
  const { case: untouched } = await service.openCase(ALICE, { title: 'Scan', severity: 'critical' }, ORIGIN);
  clock.advance(2 * MINUTE);
  await service.setStatus(ALICE, { id: moved.id }, 'in-progress');
  await service.setStatus(ALICE, { id: moved.id }, 'open');
  await service.changeAssignees(ALICE, { id: assigned.id }, { remove: ['U0BOB'] });
  clock.advance(20 * MINUTE);
  expect(await watch.check(clock.now())).toBe(1);
  const marks = async (id: string) => (await store.getCase('T0001', { id }))!.slaMarks ?? [];
  expect([await marks(moved.id), await marks(assigned.id), await marks(untouched.id)]).toEqual([[], [], ['acknowledge:warning', 'acknowledge:breach']]);
  expect((await store.getCase('T0001', { id: assigned.id }))!.acknowledgedAt).toBe(new Date(START).toISOString());
});
