import type { WebClient } from '@slack/web-api';
import { slaRunning } from '../../cases/sla';
import type { CaseStore } from '../../cases/store';
import type { EffectHandler } from '../../outbox/dispatcher';
import { slaNoticeText } from '../blocks/sla-notice';
import { effectMetadata, findPostedMessage } from './posted-lookup';

export interface SlaEffectDeps {
  /** A client that neither retries nor waits on rate limits by itself: the dispatcher does both, durably. */
  client: WebClient;
  store: CaseStore;
}

/**
 * Tells one audience that a case is about to breach, or breached, its SLA: a line in the case thread, a message in
 * the channel (no assignee), or a direct message to an assignee. Thread and channel messages carry the effect's
 * metadata and are looked up before a retry; a direct message cannot be (that would need im:history), so an
 * attempt whose answer was lost may send it twice.
 */
export function slaNoticeHandler(deps: SlaEffectDeps): EffectHandler {
  return {
    async deliver(effect, { retrying }) {
      const notice = effect.payload.sla;
      const theCase = await deps.store.getCase(effect.teamId, { id: effect.stream });
      if (!notice || !theCase) return;
      // A warning that comes after the case was acknowledged or closed would only mislead.
      if (notice.level === 'warning' && !slaRunning(theCase, notice.target)) return;
      const text = slaNoticeText(theCase, notice);
      const { channelId, cardTs } = theCase.origin;
      if ('userId' in notice.to) {
        await deps.client.chat.postMessage({ channel: notice.to.userId, text, metadata: effectMetadata(effect) });
        return;
      }
      const threadTs = 'thread' in notice.to ? cardTs : undefined;
      if ('thread' in notice.to && !threadTs) return; // no card, no thread: the channel notice or the DMs say it
      if (retrying && (await findPostedMessage(deps.client, effect, channelId, threadTs))) return;
      await deps.client.chat.postMessage({ channel: channelId, text, ...(threadTs ? { thread_ts: threadTs } : {}), metadata: effectMetadata(effect) });
    },
  };
}
