import type { WebClient } from '@slack/web-api';
import type { Actor } from '../../cases/model';
import { InvalidInputError } from '../../cases/errors';
import { describeActivity } from '../../charts/pipeline';
import { formatRange, parseRange, rangeBounds } from '../../charts/range';
import type { SlackMessage } from '../blocks/case-card';
import { metricsLines } from '../blocks/metrics';
import { info } from '../blocks/notice';
import { truncate } from '../blocks/text';
import { MAX_ALT_TEXT_LENGTH } from '../../charts/alt-text';
import { channelOrigin } from '../channels';
import type { SlackDeps } from '../deps';
import { uploadFile } from '../files';
import { cannotPostHere } from '../replies';

/** Without a range, the last 30 days by day. */
const DEFAULT_WORDS = ['last', '30d', 'by', '1d'];

/**
 * `/case metrics [range]`: cases opened and closed per day as a chart, and the counts and mean times to acknowledge
 * and to close by severity (src/cases/metrics.ts) as the file's comment and in its alt text. Posted in the channel,
 * so it counts the cases every member of the channel may see.
 */
export async function postMetrics(deps: SlackDeps, client: WebClient, actor: Actor, channelId: string, words: readonly string[], now: Date): Promise<SlackMessage> {
  const parsed = parseRange(words.length ? words : DEFAULT_WORDS, { now, timeZone: deps.charts.timeZone });
  if (!parsed.ok) throw new InvalidInputError(parsed.error.message);
  if (parsed.otherWords.length) throw new InvalidInputError('`/case metrics` takes a range, e.g. `/case metrics last 7d` or `/case metrics from 2026-11-01 to 2026-12-01`.');
  const { range } = parsed;
  const origin = await channelOrigin(client, actor.teamId, channelId, deps.logger);
  const tally = await deps.service.channelMetrics(actor.teamId, { id: channelId, isPrivate: origin.isPrivate }, rangeBounds(range));
  const spec = { kind: 'activity' as const, title: 'Cases opened and closed', range, noun: 'cases', seriesOrder: ['opened', 'closed'], grouped: true };
  const chart = describeActivity(spec, tally.moments.map((moment) => ({ time: moment.time, series: moment.what })));
  const lines = metricsLines(tally.result(), formatRange(range));
  try {
    await uploadFile(client, {
      bytes: await deps.charts.renderer.render(chart.config),
      filename: `caseops-metrics-${range.to.slice(0, 10)}.png`,
      title: `Case metrics, ${formatRange(range)}`,
      altText: truncate(`${lines.join(' ')} ${chart.altText}`, MAX_ALT_TEXT_LENGTH),
      channelId,
      comment: [...lines, ...parsed.notes].join('\n'),
    });
  } catch (error) {
    return cannotPostHere('the metrics', error);
  }
  return info('Case metrics posted in this channel.');
}
