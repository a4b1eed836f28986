import type { App } from '@slack/bolt';
import type { Option, PlainTextOption } from '@slack/types';
import type { Case } from '../../cases/model';
import { actorOfInteraction } from '../actor';
import { caseLabel } from '../blocks/case-format';
import { truncate } from '../blocks/text';
import type { SlackDeps } from '../deps';
import { CASE_PICKER } from './evidence-modals';

/** Slack shows at most 100 options; fewer keep the list usable on a phone. */
const MINE_SHOWN = 10;
const RECENT_SHOWN = 20;
const MATCHES_SHOWN = 50;
const ACTIVE = ['open', 'in-progress'] as ('open' | 'in-progress')[];

const caseOption = (theCase: Case): PlainTextOption => ({
  text: { type: 'plain_text', text: truncate(`${caseLabel(theCase)} ${theCase.title}`, 75) },
  value: theCase.id,
});

/**
 * Options for the case picker (`external_select`): before anything is typed, the cases assigned to the user
 * and the recently active ones; then cases matching the number or title typed. Only cases the user may see.
 */
export function registerCasePicker(app: App, deps: SlackDeps): void {
  app.options(CASE_PICKER, async ({ ack, body }) => {
    const actor = actorOfInteraction(body);
    const query = body.value.trim();
    try {
      if (query === '') {
        const [mine, recent] = await Promise.all([
          deps.service.listCases(actor, { statuses: ACTIVE, mine: true, limit: MINE_SHOWN }),
          deps.service.listCases(actor, { limit: RECENT_SHOWN + MINE_SHOWN }),
        ]);
        const mineIds = new Set(mine.cases.map((c) => c.id));
        const groups = [
          { label: 'Assigned to you', cases: mine.cases },
          { label: 'Recently active', cases: recent.cases.filter((c) => !mineIds.has(c.id)).slice(0, RECENT_SHOWN) },
        ].filter((group) => group.cases.length > 0);
        await ack({ option_groups: groups.map((group) => ({ label: { type: 'plain_text', text: group.label }, options: group.cases.map(caseOption) })) });
        return;
      }
      const matches = await deps.service.listCases(actor, { search: query, limit: MATCHES_SHOWN });
      await ack({ options: matches.cases.map(caseOption) as Option[] });
    } catch (error) {
      deps.logger.error({ err: error }, 'case picker options failed');
      await ack({ options: [] });
    }
  });
}
