import type { WebClient } from '@slack/web-api';
import { caseOfEffect } from '../../cases/effect-case';
import type { Case } from '../../cases/model';
import type { CaseStore } from '../../cases/store';
import type { Logger } from '../../log';
import type { EffectHandler } from '../../outbox/dispatcher';
import { caseLabel } from '../blocks/case-format';
import { incidentReport } from '../blocks/incident-report';
import { warning } from '../blocks/notice';
import { uploadFile } from '../files';
import { displayNameOf } from '../members';
import { type ResponseUrlPoster, tellActor } from './actor-notices';
import { fileMark, findUploadedFile } from './posted-lookup';

/** A report covers this much of a case's history and evidence; a case beyond it is one no report could be read for. */
const REPORT_ITEMS = 10_000;

export interface ReportEffectDeps {
  client: WebClient;
  store: CaseStore;
  postToResponseUrl: ResponseUrlPoster;
  logger: Logger;
}

/**
 * Writes the case's post-incident report (blocks/incident-report.ts) and shares it as a Markdown file in the war room,
 * or in the case's thread when it has none. Delivered in the case's lane, so it reports every change made before it
 * was asked for; a retry after a lost answer finds the file by the mark in its name.
 */
export function deliverReport(deps: ReportEffectDeps): EffectHandler {
  return {
    async deliver(effect, { retrying }) {
      const theCase = await caseOfEffect(deps.store, effect);
      if (!theCase) return;
      const where = reportPlace(theCase);
      if (retrying && (await findUploadedFile(deps.client, effect, where.channelId, where.threadTs))) return;
      const [actions, attachments] = await Promise.all([deps.store.listUserActions(theCase.id, { limit: REPORT_ITEMS }), deps.store.listAttachments(theCase.id, { limit: REPORT_ITEMS })]);
      const names = await namesOf(deps, [...theCase.assignees, ...Object.values(theCase.roles ?? {})]);
      const markdown = incidentReport({ theCase, actions: actions.reverse(), attachments: attachments.reverse(), names, now: new Date() });
      await uploadFile(deps.client, {
        bytes: Buffer.from(markdown, 'utf8'),
        filename: `case-${theCase.number}-report-${fileMark(effect)}.md`,
        title: `Post-incident report: case ${caseLabel(theCase)}`,
        comment: `:page_facing_up: The post-incident report of case ${caseLabel(theCase)}, as it stands now.`,
        ...where,
      });
    },
    async giveUp(effect, reason) {
      const theCase = await caseOfEffect(deps.store, effect);
      if (!theCase) return;
      await tellActor(deps.client, deps.postToResponseUrl, effect, warning(`I could not post the report of case ${caseLabel(theCase)} (${reason}). \`/case report ${theCase.number}\` tries again.`));
    },
  };
}

function reportPlace(theCase: Case): { channelId: string; threadTs?: string } {
  if (theCase.room?.channelId) return { channelId: theCase.room.channelId };
  return { channelId: theCase.origin.channelId, ...(theCase.origin.cardTs ? { threadTs: theCase.origin.cardTs } : {}) };
}

/** Display names of Slack users (users.info); one that cannot be read is shown by its id. */
async function namesOf(deps: ReportEffectDeps, userIds: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const userId of new Set(userIds)) {
    try {
      const name = displayNameOf((await deps.client.users.info({ user: userId })).user);
      if (name) names.set(userId, name);
    } catch (error) {
      deps.logger.info({ err: error, userId }, 'a name in a report is shown as the user id');
    }
  }
  return names;
}
