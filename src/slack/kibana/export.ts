import type { WebClient } from '@slack/web-api';
import type { Actor, Case } from '../../cases/model';
import type { ExportSelection } from '../../kibana/case-transfer';
import type { SlackMessage } from '../blocks/case-card';
import { caseLabel } from '../blocks/case-format';
import { info } from '../blocks/notice';
import type { SlackDeps } from '../deps';
import { uploadLines } from '../files';
import { slackErrorCode } from '../slack-errors';

/** The progress message is edited at most this often: chat.update is rate limited (tier 3). */
const PROGRESS_EVERY_MS = 2000;

/**
 * Where an export may be delivered without leaking: the channel it was asked from when every case in it is
 * visible to that channel's members (public cases, or this private channel's own), else a direct message.
 */
async function deliveryChannel(deps: SlackDeps, client: WebClient, actor: Actor, selection: ExportSelection, channelId: string): Promise<{ channel: string; direct: boolean; cases: Case[] }> {
  const cases = selection.kind === 'cases' ? await Promise.all(selection.refs.map((ref) => deps.service.getCase(actor, ref))) : [];
  const fitsChannel = selection.kind === 'cases' && cases.every((theCase) => !theCase.origin.isPrivate || theCase.origin.channelId === channelId);
  if (fitsChannel) return { channel: channelId, direct: false, cases };
  const opened = await client.chat.postMessage({ channel: actor.userId, text: 'Preparing your Kibana export…' });
  return { channel: opened.channel ?? actor.userId, direct: true, cases };
}

function describeSelection(selection: ExportSelection, cases: Case[]): { name: string; words: string } {
  if (selection.kind === 'open') return { name: 'open', words: 'the open cases you can see' };
  if (selection.kind === 'all') return { name: 'all', words: 'all the cases you can see' };
  return { name: cases.map((theCase) => theCase.number).join('-'), words: `case${cases.length > 1 ? 's' : ''} ${cases.map(caseLabel).join(', ')}` };
}

/** Said to a second request for an export that is under way or was just posted. */
const alreadyExporting = info('That export is under way or was just posted; ask again in a few seconds for a fresh one.');

/**
 * `/case export …` and the card's Export button: Kibana saved-objects ndjson, streamed into a Slack file,
 * with a progress message edited in place while it is written. The same export asked again while it runs
 * (a double tap) posts nothing more; undefined when the request itself was delivered twice.
 */
export async function runExport(deps: SlackDeps, client: WebClient, actor: Actor, selection: ExportSelection, channelId: string, triggerId: string): Promise<SlackMessage | undefined> {
  const key = JSON.stringify([actor.teamId, actor.userId, channelId, selection]);
  const outcome = await deps.exportClaims.begin(key, triggerId, new Date());
  if (outcome === 'redelivered') return undefined;
  if (outcome === 'repeat') return alreadyExporting;
  try {
    return await exportInto(deps, client, actor, selection, channelId);
  } finally {
    await deps.exportClaims.finish(key, triggerId, new Date()).catch((error: unknown) => {
      // The claim then ends on its own after CLAIM_ABANDONED_MS; the export itself is done.
      deps.logger.warn({ err: error }, 'could not mark the export finished');
    });
  }
}

async function exportInto(deps: SlackDeps, client: WebClient, actor: Actor, selection: ExportSelection, channelId: string): Promise<SlackMessage> {
  const target = await deliveryChannel(deps, client, actor, selection, channelId);
  const { name, words } = describeSelection(selection, target.cases);
  const progress = await client.chat.postMessage({ channel: target.channel, text: `:hourglass_flowing_sand: Exporting ${words} for Kibana…` });
  let lastShown = Date.now();
  let objects = 0;
  const showProgress = (count: number) => {
    objects = count;
    if (Date.now() - lastShown < PROGRESS_EVERY_MS || !progress.ts) return;
    lastShown = Date.now();
    client.chat.update({ channel: target.channel, ts: progress.ts, text: `:hourglass_flowing_sand: Exporting ${words} for Kibana… ${count.toLocaleString('en-US')} objects so far` }).catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'could not update the export progress message');
    });
  };
  const date = new Date().toISOString().slice(0, 10);
  try {
    const file = await uploadLines(client, {
      lines: deps.transfer.exportLines(actor, selection, showProgress),
      filename: `caseops-${name}-${date}.ndjson`,
      title: `caseops export: ${words}`,
      channelId: target.channel,
    });
    const done = `:white_check_mark: Kibana export of ${words}: ${objects.toLocaleString('en-US')} saved objects (${(file.bytes / 1024).toFixed(0)} KB), for Kibana ${deps.settings.kibana.exportVersion}+. Import it in Kibana under Stack Management → Saved objects → Import.`;
    if (progress.ts) await client.chat.update({ channel: target.channel, ts: progress.ts, text: done });
  } catch (error) {
    if (progress.ts) await client.chat.update({ channel: target.channel, ts: progress.ts, text: `:warning: The export of ${words} failed; nothing was posted.` }).catch(() => undefined);
    throw error instanceof Error && slackErrorCode(error) ? new Error(`Slack refused the export file (${slackErrorCode(error)})`) : error;
  }
  return target.direct ? info(`Your export of ${words} is in your direct messages with caseops.`) : info(`Your export of ${words} is posted in this channel.`);
}
