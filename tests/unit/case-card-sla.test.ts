import type { Case, SlaMark } from '../../src/cases/model';
import { DEFAULT_SLA_POLICY } from '../../src/cases/sla';
import { caseCard } from '../../src/slack/blocks/case-card';
import { draftCase } from '../contract/case-store-contract';

/** The card's SLA line: due times of the targets still running, nearly due or overdue by the marks the check recorded. */

const START = Date.parse('2026-12-04T10:00:00Z');
const seconds = (minutes: number) => (START + minutes * 60_000) / 1000;

function slaLine(overrides: Partial<Case>): string | undefined {
  const theCase: Case = { ...draftCase({ createdAt: new Date(START).toISOString(), severity: 'critical' }), number: 1, version: 1, ...overrides };
  const texts = caseCard(theCase, { sla: DEFAULT_SLA_POLICY }).blocks.flatMap((block) => (block.type === 'context' ? block.elements : []));
  return texts.map((element) => ('text' in element ? element.text : '')).find((text) => text.startsWith('*SLA*'));
}

test('an open case shows both due times; a warning marks its target nearly due, a breach overdue', () => {
  expect(slaLine({})).toBe(`*SLA* · Acknowledge by <!date^${seconds(15)}^{date_short_pretty} {time}|2026-12-04 10:15 UTC> · Close by <!date^${seconds(240)}^{date_short_pretty} {time}|2026-12-04 14:00 UTC>`);
  const marks: SlaMark[] = ['acknowledge:warning', 'acknowledge:breach', 'resolve:warning'];
  expect(slaLine({ slaMarks: marks })).toMatch(/^\*SLA\* · :rotating_light: Acknowledge was due <!date\^\d+\^[^>]*> · :hourglass_flowing_sand: Close by <!date/);
});

test('acknowledging stops the first target, closing both', () => {
  expect(slaLine({ assignees: ['U0BOB'] })).toMatch(/^\*SLA\* · Close by <!date\^[^>]*>$/);
  expect(slaLine({ status: 'in-progress' })).toMatch(/^\*SLA\* · Close by /);
  expect(slaLine({ status: 'closed' })).toBeUndefined();
});
