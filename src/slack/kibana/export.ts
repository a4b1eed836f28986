import type { WebClient } from '@slack/web-api';
import type { ExportRequest, ExportSelection } from '../../cases/export-request';
import type { Actor, Case } from '../../cases/model';
import type { Effect } from '../../cases/outbox';
import type { RequestClaims } from '../../cases/request-claims';
import type { CaseService } from '../../cases/service';
import type { CaseTransfer } from '../../kibana/case-transfer';
import type { KibanaTarget } from '../../kibana/export/versions';
import type { Logger } from '../../log';
import type { EffectHandler } from '../../outbox/dispatcher';
import type { SlackMessage } from '../blocks/case-card';
import { caseLabel } from '../blocks/case-format';
import { info, warning } from '../blocks/notice';
import type { SlackDeps } from '../deps';
import { effectMetadata, fileMark, findPostedMessage, findUploadedFile } from '../effects/posted-lookup';
import { uploadLines } from '../files';
import { ProgressMessage } from '../progress-message';

/**
 * How long the person who asked waits for "posted" before being told the export is still being written: most
 * exports take a second or two; one of a whole workspace takes longer, and its progress message shows it.
 */
const EXPORT_WAIT_MS = 20_000;

function describeSelection(selection: ExportSelection, cases: Case[]): { name: string; words: string } {
  if (selection.kind === 'open') return { name: 'open', words: 'the open cases you can see' };
  if (selection.kind === 'all') return { name: 'all', words: 'all the cases you can see' };
  return { name: cases.map((theCase) => theCase.number).join('-'), words: `case${cases.length > 1 ? 's' : ''} ${cases.map(caseLabel).join(', ')}` };
}

/** Said to a second request for an export that is under way or was just posted. */
const alreadyExporting = info('That export is under way or was just posted; ask again in a few seconds for a fresh one.');

/**
 * `/case export …` and the card's Export button: the export is recorded in the outbox, which writes it and posts
 * it (`exportDelivery`), and the answer says where it is once posted, or that it is still being written. The same
 * export asked again while it runs (a double tap, on any replica) posts nothing more; undefined when the request
 * itself was delivered twice.
 */
export async function runExport(deps: SlackDeps, actor: Actor, selection: ExportSelection, channelId: string, triggerId: string): Promise<SlackMessage | undefined> {
  const claim = { key: JSON.stringify([actor.teamId, actor.userId, channelId, selection]), triggerId };
  const outcome = await deps.exportClaims.begin(claim.key, triggerId, new Date());
  if (outcome === 'redelivered') return undefined;
  if (outcome === 'repeat') return alreadyExporting;
  const requested = await deps.service.requestExport(actor, { selection, channelId, claim }).catch(async (error: unknown) => {
    // Refused before anything was recorded (an unknown case, say): the key is free again at once.
    await deps.exportClaims.release(claim.key, triggerId).catch((releaseError: unknown) => {
      // The claim then ends on its own after CLAIM_ABANDONED_MS.
      deps.logger.warn({ err: releaseError }, 'could not release the claim of a refused export');
    });
    throw error;
  });
  const { words } = describeSelection(selection, requested.cases);
  const where = requested.direct ? 'in your direct messages with caseops' : 'in this channel';
  if (await deps.delivery.whenSettled([requested.effectId], EXPORT_WAIT_MS)) return info(`Your export of ${words} is posted ${where}.`);
  return info(`Your export of ${words} is still being written; it will be posted ${where}, or I will tell you why not.`);
}

async function finishClaim(claims: RequestClaims, claim: ExportRequest['claim'], logger: Logger): Promise<void> {
  await claims.finish(claim.key, claim.triggerId, new Date()).catch((error: unknown) => {
    // The claim then ends on its own after CLAIM_ABANDONED_MS.
    logger.warn({ err: error }, 'could not mark the export finished');
  });
}

export interface ExportDeliveryDeps {
  /** A client that neither retries nor waits on rate limits by itself: the dispatcher does both, durably. */
  client: WebClient;
  service: CaseService;
  transfer: CaseTransfer;
  exportClaims: RequestClaims;
  exportVersion: KibanaTarget;
  logger: Logger;
}

/**
 * Writes a recorded export as Kibana saved-objects ndjson, streamed into a Slack file, with a progress message
 * edited in place while it is written. Both carry the effect's mark (metadata, file name), so an attempt after one
 * that died or lost Slack's answer finds what it posted in the channel instead of posting again. (In direct
 * messages there is nothing to search without im:history: a crash mid-upload there may post the file twice.)
 */
export function exportDelivery(deps: ExportDeliveryDeps): EffectHandler {
  return {
    async deliver(effect, { retrying }) {
      const request = exportOf(effect);
      const { actor } = effect.payload;
      // Read again through visibility: someone who lost access since asking gets nothing.
      const cases = request.selection.kind === 'cases' ? await Promise.all(request.selection.refs.map((ref) => deps.service.getCase(actor, ref))) : [];
      const { name, words } = describeSelection(request.selection, cases);
      const searchable = retrying && !request.direct;
      const posted = searchable ? await findUploadedFile(deps.client, effect, request.channelId) : undefined;
      if (!posted) await writeAndPost(deps, effect, request, { name, words }, searchable);
      await finishClaim(deps.exportClaims, request.claim, deps.logger);
    },
    async giveUp(effect, reason) {
      const request = exportOf(effect);
      await finishClaim(deps.exportClaims, request.claim, deps.logger);
      await deps.client.chat.postMessage({ channel: effect.payload.actor.userId, ...warning(`Your Kibana export could not be posted (${reason}); nothing was posted. Please ask again.`) });
    },
  };
}

function exportOf(effect: Effect): ExportRequest {
  if (!effect.payload.export) throw new Error(`effect ${effect.id} carries no export`);
  return effect.payload.export;
}

async function writeAndPost(deps: ExportDeliveryDeps, effect: Effect, request: ExportRequest, names: { name: string; words: string }, searchable: boolean): Promise<void> {
  const { client } = deps;
  const { words } = names;
  const started = `:hourglass_flowing_sand: Exporting ${words} for Kibana…`;
  // A direct message is posted to the user's id; Slack answers with the DM's channel, where the file then goes.
  const earlier = searchable ? await findPostedMessage(client, effect, request.channelId) : undefined;
  const posted = earlier
    ? { channel: request.channelId, ts: earlier }
    : await client.chat.postMessage({ channel: request.direct ? effect.payload.actor.userId : request.channelId, text: started, metadata: effectMetadata(effect) });
  const progress = new ProgressMessage(client, posted.channel ?? request.channelId, posted.ts, deps.logger);
  let objects = 0;
  const showProgress = (count: number) => {
    objects = count;
    progress.show(`${started} ${count.toLocaleString('en-US')} objects so far`);
  };
  const date = new Date().toISOString().slice(0, 10);
  try {
    const file = await uploadLines(client, {
      lines: deps.transfer.exportLines(effect.payload.actor, request.selection, showProgress),
      filename: `caseops-${names.name}-${date}-${fileMark(effect)}.ndjson`,
      title: `caseops export: ${words}`,
      channelId: progress.channel,
    });
    await progress.end(
      `:white_check_mark: Kibana export of ${words}: ${objects.toLocaleString('en-US')} saved objects (${(file.bytes / 1024).toFixed(0)} KB), for Kibana ${deps.exportVersion}+. Import it in Kibana under Stack Management → Saved objects → Import.`,
    );
  } catch (error) {
    // Tried again, or given up on with a direct message saying why: either way this file is not coming.
    await progress.end(`:warning: This export of ${words} did not finish.`).catch(() => undefined);
    throw error;
  }
}
