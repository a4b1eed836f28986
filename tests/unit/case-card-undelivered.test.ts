import type { Case } from '../../src/cases/model';
import { DEFAULT_SLA_POLICY } from '../../src/cases/sla';
import { caseCard, type Undelivered } from '../../src/slack/blocks/case-card';
import { draftCase } from '../contract/case-store-contract';

/** The card's note on what was given up on: one sentence per system that refused, naming what and why. */

const theCase: Case = { ...draftCase({ createdAt: '2026-12-05T10:00:00.000Z' }), number: 1, version: 1 };

function note(undelivered: Undelivered[]): string | undefined {
  const texts = caseCard(theCase, { sla: DEFAULT_SLA_POLICY, undelivered }).blocks.flatMap((block) => (block.type === 'context' ? block.elements : []));
  return texts.map((element) => ('text' in element ? element.text : '')).find((text) => text.startsWith(':warning:'));
}

const at = '2026-12-05T10:05:00.000Z';
const date = `<!date^${Date.parse(at) / 1000}^{date_short_pretty} {time}|2026-12-05 10:05 UTC>`;

test('a refusal by Slack and one by Elasticsearch are each said of the system that refused', () => {
  expect(
    note([
      { to: 'Slack', what: "the thread line for <@U0ANA>'s change", reason: 'restricted_action', at },
      { to: 'Elasticsearch', what: 'the document of a message <@U0BOB> attached', reason: 'cluster unreachable', at },
    ]),
  ).toBe(
    `:warning: Slack did not take the thread line for <@U0ANA>'s change (restricted_action, ${date}). ` +
      `Elasticsearch did not take the document of a message <@U0BOB> attached (cluster unreachable, ${date}). The case itself has every change.`,
  );
});

test('only Elasticsearch refused: Slack is not named; nothing refused: no note', () => {
  expect(note([{ to: 'Elasticsearch', what: 'the document of a message <@U0BOB> attached', reason: 'refused', at }])).toMatch(/^:warning: Elasticsearch did not take the document/);
  expect(note([])).toBeUndefined();
});
