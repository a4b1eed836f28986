import type { App } from '@slack/bolt';
import type { ModalView, PlainTextOption } from '@slack/types';
import { InvalidInputError } from '../../cases/errors';
import { CARD_ACTIONS, caseIdFromBlockId } from '../actions/ids';
import type { SlackDeps } from '../deps';
import { VALUE, VIEWS } from '../views/ids';
import { modal } from '../views/modal';
import { metadataString, readMetadata, selectedValue } from '../views/state';
import { onSubmit } from '../views/submission-handler';
import { parseCaseChartRequest } from './chart-request';
import { postCaseChart } from './post-chart';

const FIELDS = { what: 'what', range: 'range', bucket: 'bucket' } as const;

const option = (text: string, value: string): PlainTextOption => ({ text: { type: 'plain_text', text }, value });
const WHAT = [option('Everything attached, by kind', 'activity'), option('Messages, by channel', 'events split channel'), option('Messages, by author', 'events split author')];
const RANGES = [option('Last 24 hours', 'last 24h'), option('Last 7 days', 'last 7d'), option('Last 30 days', 'last 30d')];
const BUCKETS = [option('Automatic', ''), option('Hourly', 'by 1h'), option('Every 6 hours', 'by 6h'), option('Daily', 'by 1d')];

function select(blockId: string, label: string, options: PlainTextOption[]) {
  return {
    type: 'input' as const,
    block_id: blockId,
    label: { type: 'plain_text' as const, text: label },
    element: { type: 'static_select' as const, action_id: VALUE, options, initial_option: options[0] },
  };
}

/** The card's Chart button: what, over which range, in which buckets — three taps on a phone. */
export function chartModal(caseId: string): ModalView {
  return modal({
    callbackId: VIEWS.chart,
    title: 'Chart',
    submit: 'Post chart',
    metadata: { caseId },
    blocks: [select(FIELDS.what, 'What', WHAT), select(FIELDS.range, 'Range', RANGES), select(FIELDS.bucket, 'Bars', BUCKETS)],
  });
}

export function registerChartModal(app: App, deps: SlackDeps): void {
  app.action(CARD_ACTIONS.chart, async ({ ack, body, action, client }) => {
    await ack();
    const caseId = caseIdFromBlockId((action as { block_id?: string }).block_id) ?? (action as { value?: string }).value ?? '';
    await client.views.open({ trigger_id: (body as { trigger_id: string }).trigger_id, view: chartModal(caseId) });
  });

  onSubmit(app, deps, VIEWS.chart, {
    validate: () => ({}),
    work: async (context) => {
      const values = context.view.state.values;
      const words = [FIELDS.what, FIELDS.range, FIELDS.bucket].flatMap((field) => (selectedValue(values, field) ?? '').split(' ').filter(Boolean));
      const request = parseCaseChartRequest(words, new Date(), deps.charts.timeZone);
      if (!request.ok) throw new InvalidInputError(request.error);
      const caseId = metadataString(readMetadata(context.view.private_metadata), 'caseId') ?? '';
      await postCaseChart(context, context.actor, { id: caseId }, request.request, context.view.id);
    },
  });
}
