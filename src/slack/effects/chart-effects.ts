import type { WebClient } from '@slack/web-api';
import { VisualizationData } from '../../cases/attachments';
import type { EvidenceService } from '../../cases/evidence-service';
import type { SlaPolicy } from '../../cases/sla';
import type { CaseStore } from '../../cases/store';
import type { ChartConfiguration } from 'chart.js';
import { type ChartRange, formatRange } from '../../charts/range';
import type { ChartRenderer } from '../../charts/renderer';
import type { Effect } from '../../cases/outbox';
import type { EffectHandler } from '../../outbox/dispatcher';
import type { CardOptions, SlackMessage } from '../blocks/case-card';
import { caseLabel } from '../blocks/case-format';
import { warning } from '../blocks/notice';
import type { RecentCharts } from '../charts/recent-charts';
import { uploadFile } from '../files';
import { sayOnCard } from './card-notes';
import { caseOfEffect } from '../../cases/effect-case';
import { fileMark, findUploadedFile } from './posted-lookup';

export interface ChartEffectDeps {
  client: WebClient;
  store: CaseStore;
  /** The card's SLA line, for the card that says the chart could not be uploaded. */
  sla: SlaPolicy;
  /** Where Kibana is: the card links to the case's mirror there. */
  kibana?: CardOptions['kibana'];
  evidence: EvidenceService;
  renderer: ChartRenderer;
  recent: RecentCharts;
  /** Tells the person who asked for the chart. */
  tell(effect: Effect, message: SlackMessage): Promise<void>;
}

/**
 * A chart recorded on a case, uploaded into the case thread. The PNG is drawn again from the Chart.js
 * configuration stored with the chart (drawing is deterministic), so the effect needs nothing but the case.
 * An upload that may have happened (an answer lost) is looked for by the mark in its file name first.
 */
export function uploadChart(deps: ChartEffectDeps): EffectHandler {
  return {
    async deliver(effect, { retrying }) {
      const theCase = await caseOfEffect(deps.store, effect);
      const attachment = theCase && effect.payload.attachmentId ? await deps.store.getAttachment(theCase.id, effect.payload.attachmentId) : null;
      const chart = attachment?.type === 'visualization' ? VisualizationData.safeParse(attachment.data) : undefined;
      if (!theCase || !attachment || !chart?.success || chart.data.slackFile) return; // gone, or already uploaded
      const { channelId, cardTs } = theCase.origin;
      const range = chart.data.spec.range as ChartRange | undefined;
      let file = retrying ? await findUploadedFile(deps.client, effect, channelId, cardTs) : undefined;
      file ??= await uploadFile(deps.client, {
        bytes: deps.recent.take(attachment.id) ?? (await deps.renderer.render(chart.data.chartConfig as unknown as ChartConfiguration)),
        filename: `case-${theCase.number}-${String(chart.data.spec.kind ?? 'chart')}-${(range?.from ?? attachment.createdAt).slice(0, 10)}-${fileMark(effect)}.png`,
        title: range ? `${chart.data.title} · ${formatRange(range)}` : chart.data.title,
        altText: chart.data.altText,
        channelId,
        threadTs: cardTs,
      });
      await deps.evidence.setVisualizationFile(effect.payload.actor, { id: theCase.id }, attachment.id, file);
    },
    async giveUp(effect, reason) {
      if (await sayOnCard(deps, effect, reason)) return;
      const theCase = await caseOfEffect(deps.store, effect);
      if (!theCase) return;
      await deps.tell(effect, warning(`The chart is recorded on case ${caseLabel(theCase)}, but Slack did not take the image (${reason}).`));
    },
  };
}
