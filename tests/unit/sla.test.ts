import { DEFAULT_SLA_POLICY, type SlaMark, slaCrossings } from '../../src/cases/sla';
import type { Case } from '../../src/cases/model';
import { draftCase } from '../contract/case-store-contract';

/** The SLA thresholds of one case as its clock runs, each crossed once, on the default targets. */

const START = Date.parse('2026-12-04T10:00:00Z');
const MINUTE = 60_000;

function aCase(overrides: Partial<Case> = {}): Case {
  return { ...draftCase({ createdAt: new Date(START).toISOString(), severity: 'critical' }), number: 1, version: 1, ...overrides };
}

/** Walks the case's clock minute by minute, recording crossings on it as the watch would; returns them by minute. */
function walk(theCase: Case, minutes: number, change: (minute: number, current: Case) => Case = (_, current) => current): Map<number, string[]> {
  const seen = new Map<number, string[]>();
  let current = theCase;
  for (let minute = 0; minute <= minutes; minute += 1) {
    current = change(minute, current);
    const crossings = slaCrossings(current, DEFAULT_SLA_POLICY, new Date(START + minute * MINUTE));
    if (crossings.length === 0) continue;
    seen.set(minute, crossings.map((crossing) => `${crossing.mark}${crossing.notify ? '' : ' (silent)'}`));
    current = { ...current, slaMarks: [...(current.slaMarks ?? []), ...crossings.map((crossing) => crossing.mark as SlaMark)] };
  }
  return seen;
}

test('a critical case nobody touches crosses each threshold once: warnings at 80 %, breaches at 15 min and 4 h', () => {
  expect(Object.fromEntries(walk(aCase(), 600))).toEqual({
    12: ['acknowledge:warning'],
    15: ['acknowledge:breach'],
    192: ['resolve:warning'],
    240: ['resolve:breach'],
  });
});

test('a first assignee stops the acknowledge clock; closing stops both', () => {
  const assignedAt10 = walk(aCase(), 300, (minute, current) => (minute === 10 ? { ...current, assignees: ['U0BOB'] } : current));
  expect(Object.fromEntries(assignedAt10)).toEqual({ 192: ['resolve:warning'], 240: ['resolve:breach'] });
  const inProgressAt13 = walk(aCase(), 300, (minute, current) => (minute === 13 ? { ...current, status: 'in-progress' } : current));
  expect(Object.fromEntries(inProgressAt13)).toEqual({ 12: ['acknowledge:warning'], 192: ['resolve:warning'], 240: ['resolve:breach'] });
  const closedAt100 = walk(aCase(), 300, (minute, current) => (minute === 100 ? { ...current, status: 'closed' } : current));
  expect(Object.fromEntries(closedAt100)).toEqual({ 12: ['acknowledge:warning'], 15: ['acknowledge:breach'] });
});

test('a check that comes late (every replica was down) records the warning silently with its breach: no warning after the fact', () => {
  const late = slaCrossings(aCase(), DEFAULT_SLA_POLICY, new Date(START + 20 * MINUTE));
  expect(late.map((crossing) => [crossing.mark, crossing.notify])).toEqual([
    ['acknowledge:warning', false],
    ['acknowledge:breach', true],
  ]);
});

test('each severity has its own targets', () => {
  const firstBreach = (severity: Case['severity']) => [...walk(aCase({ severity }), 1500)].find(([, marks]) => marks.includes('acknowledge:breach'))?.[0];
  expect([firstBreach('critical'), firstBreach('high'), firstBreach('medium'), firstBreach('low')]).toEqual([15, 60, 240, 1440]);
});
