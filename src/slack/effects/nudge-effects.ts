import type { WebClient } from '@slack/web-api';
import type { CaseStore } from '../../cases/store';
import type { EffectHandler } from '../../outbox/dispatcher';
import { nudgeMessage } from '../blocks/nudge';
import { caseOfEffect } from '../../cases/effect-case';
import { effectMetadata, findPostedMessage } from './posted-lookup';

export interface NudgeEffectDeps {
  /** A client that neither retries nor waits on rate limits by itself: the dispatcher does both, durably. */
  client: WebClient;
  store: CaseStore;
}

/**
 * Posts a nudge in the case thread (in the channel when the case has no card), carrying the effect's metadata so a
 * retry after a lost answer finds it instead of nudging twice. A case closed or touched since it was found untouched
 * gets nothing.
 */
export function nudgeHandler(deps: NudgeEffectDeps): EffectHandler {
  return {
    async deliver(effect, { retrying }) {
      const theCase = await caseOfEffect(deps.store, effect);
      if (!theCase || theCase.status === 'closed') return;
      // Touched since it was found untouched (the nudge waited for a retry): nobody needs it any more.
      if (theCase.nudgedAt && theCase.updatedAt && theCase.updatedAt > theCase.nudgedAt) return;
      const { channelId, cardTs } = theCase.origin;
      if (retrying && (await findPostedMessage(deps.client, effect, channelId, cardTs ?? undefined))) return;
      const message = nudgeMessage(theCase, new Date(Date.parse(theCase.nudgedAt ?? effect.createdAt)));
      await deps.client.chat.postMessage({ channel: channelId, ...message, ...(cardTs ? { thread_ts: cardTs } : {}), metadata: effectMetadata(effect) });
    },
  };
}
