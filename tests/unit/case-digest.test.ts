import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Case } from '../../src/cases/model';
import { VisibilityPolicy } from '../../src/cases/policy';
import { CaseService } from '../../src/cases/service';
import { SqliteCaseStore } from '../../src/storage/sqlite/sqlite-store';
import { digestMessage } from '../../src/slack/blocks/digest';
import { draftCase } from '../contract/case-store-contract';

/** A channel's digest of the last day, on a seeded set of cases whose times are set here, counted by hand. */

const NOW = Date.parse('2026-12-05T08:00:00Z');
const DAY = { fromMs: NOW - 86_400_000, toMs: NOW };
const hoursAgo = (hours: number) => new Date(NOW - hours * 3_600_000).toISOString();
const PUBLIC = { teamId: 'T0001', channelId: 'C0PUBLIC', isPrivate: false };

let dir: string;
let store: SqliteCaseStore;
let service: CaseService;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-digest-'));
  store = new SqliteCaseStore(dir);
  await store.init();
  service = new CaseService(store, new VisibilityPolicy({ isMember: async () => true }, []), { owner: 'securitySolution' });
  const seed = (title: string, fields: Partial<Case>) => store.createCase(draftCase({ title, origin: PUBLIC, ...fields }));
  await seed('Fresh critical', { severity: 'critical', createdAt: hoursAgo(2), slaMarks: ['acknowledge:warning', 'acknowledge:breach'] });
  await seed('Old high, touched', { severity: 'high', createdAt: hoursAgo(100), updatedAt: hoursAgo(1), status: 'in-progress' });
  await seed('Old low, forgotten', { severity: 'low', createdAt: hoursAgo(300) });
  await seed('Medium breached', { severity: 'medium', createdAt: hoursAgo(80), updatedAt: hoursAgo(50), slaMarks: ['resolve:breach'] });
  await seed('Closed today', { severity: 'high', createdAt: hoursAgo(30), status: 'closed', closedAt: hoursAgo(3), updatedAt: hoursAgo(3) });
  await seed('Opened and closed today', { severity: 'low', createdAt: hoursAgo(10), status: 'closed', closedAt: hoursAgo(5), updatedAt: hoursAgo(5) });
  await seed('Closed last week', { severity: 'low', createdAt: hoursAgo(200), status: 'closed', closedAt: hoursAgo(150), updatedAt: hoursAgo(150) });
  await seed('Secret', { severity: 'critical', createdAt: hoursAgo(1), origin: { teamId: 'T0001', channelId: 'G0SECRET', isPrivate: true }, slaMarks: ['acknowledge:breach'] });
});

afterAll(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const titles = (cases: Case[]) => cases.map((theCase) => theCase.title);

test('a public channel: its counts and lists, by hand, without the private channel’s case', async () => {
  const digest = await service.channelDigest('T0001', { id: 'C0PUBLIC', isPrivate: false }, DAY);
  expect({ opened: digest.opened, closed: digest.closed, stillOpen: digest.stillOpen, breachedCount: digest.breachedCount }).toEqual({
    opened: 2, // Fresh critical, Opened and closed today
    closed: 2, // Closed today, Opened and closed today
    stillOpen: { low: 1, medium: 1, high: 1, critical: 1 },
    breachedCount: 2,
  });
  expect(titles(digest.breached)).toEqual(['Fresh critical', 'Medium breached']);
  expect(titles(digest.untouched)).toEqual(['Old low, forgotten', 'Medium breached', 'Fresh critical']);
});

test('the private channel sees its own case too', async () => {
  const digest = await service.channelDigest('T0001', { id: 'G0SECRET', isPrivate: true }, DAY);
  expect(digest).toMatchObject({ opened: 3, breachedCount: 3, stillOpen: { critical: 2 } });
  expect(titles(digest.breached)).toEqual(['Fresh critical', 'Secret', 'Medium breached']);
});

test('the message: counts, still open by severity (most severe first), breaches and untouched with how long', async () => {
  const digest = await service.channelDigest('T0001', { id: 'C0PUBLIC', isPrivate: false }, DAY);
  const text = JSON.stringify(digestMessage(digest, 'last day', new Date(NOW)).blocks);
  expect(text).toContain('Opened 2 · Closed 2');
  expect(text).toContain('Still open: 1 critical, 1 high, 1 medium, 1 low');
  expect(text).toMatch(/SLA breached \(2\): \*#1\* Fresh critical · \*#4\* Medium breached/);
  expect(text).toContain('Untouched longest: *#3* Old low, forgotten (12d 12h) · *#4* Medium breached (2d 2h) · *#1* Fresh critical (2h)');
});
