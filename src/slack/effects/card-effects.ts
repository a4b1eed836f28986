import type { WebClient } from '@slack/web-api';
import type { Case } from '../../cases/model';
import type { Effect } from '../../cases/outbox';
import type { CaseService } from '../../cases/service';
import type { SlaPolicy } from '../../cases/sla';
import type { CaseStore } from '../../cases/store';
import type { Logger } from '../../log';
import type { EffectHandler, EffectHandlers } from '../../outbox/dispatcher';
import { activityLine } from '../blocks/activity';
import { type CardOptions, type SlackMessage, caseCard, type Undelivered } from '../blocks/case-card';
import { caseLabel } from '../blocks/case-format';
import { warning } from '../blocks/notice';
import { mentionChannel } from '../blocks/text';
import { isRoomGone, slackErrorCode } from '../slack-errors';
import { directMessage, type ResponseUrlPoster, tellActor } from './actor-notices';
import { sayOnCard, undeliveredNotes } from './card-notes';
import { caseOfEffect } from '../../cases/effect-case';
import { effectMetadata, findPostedMessage } from './posted-lookup';

/** Slack errors meaning the bot cannot post in that conversation, though the person who asked may see it. */
const CANNOT_POST_HERE = new Set(['not_in_channel', 'channel_not_found']);

export interface CardEffectDeps {
  /** A client that neither retries nor waits on rate limits by itself: the dispatcher does both, durably. */
  client: WebClient;
  store: CaseStore;
  service: CaseService;
  /** The SLA targets the card shows. */
  sla: SlaPolicy;
  /** Where Kibana is: the card links to the case's mirror there. */
  kibana?: CardOptions['kibana'];
  logger: Logger;
  /** Posts a message to a slash command's response_url (the card's way into a channel the bot is not in). */
  postToResponseUrl: ResponseUrlPoster;
}

/** The effects that show a case in its channel: the card, its edits, and the lines in its thread. */
export function cardEffectHandlers(deps: CardEffectDeps): Pick<EffectHandlers, 'post_card' | 'edit_card' | 'thread_line'> {
  return { post_card: postCard(deps), edit_card: editCard(deps), thread_line: threadLine(deps) };
}

/**
 * Posts the card with the case as it is now (changes made while it was pending are in it), then records its ts so
 * later changes edit it and reply in its thread. Where the bot cannot post, the card goes through the command's
 * response_url, or to the opener by direct message.
 */
function postCard(deps: CardEffectDeps): EffectHandler<Case | null> {
  return {
    read: (effect) => caseOfEffect(deps.store, effect),
    async deliver(effect, { retrying, read }) {
      const theCase = read ?? null;
      if (!theCase || theCase.origin.cardTs) return;
      const { channelId } = theCase.origin;
      const card = caseCard(theCase, { sla: deps.sla, kibana: deps.kibana });
      let ts = retrying ? await findPostedMessage(deps.client, effect, channelId) : undefined;
      if (!ts) {
        try {
          ts = (await deps.client.chat.postMessage({ channel: channelId, ...card, metadata: effectMetadata(effect) })).ts;
        } catch (error) {
          const code = slackErrorCode(error);
          if (!code || !CANNOT_POST_HERE.has(code)) throw error;
          await cardElsewhere(deps, effect, channelId, card, code);
          return;
        }
      }
      if (ts) await deps.service.recordCardMessage(theCase, ts);
    },
    async giveUp(effect, reason) {
      const theCase = await caseOfEffect(deps.store, effect);
      if (!theCase) return;
      await tellActor(deps.client, deps.postToResponseUrl, effect, warning(`Case ${caseLabel(theCase)} is open, but I could not post its card (${reason}). \`/case show ${theCase.number}\` shows it.`));
    },
  };
}

async function cardElsewhere(deps: CardEffectDeps, effect: Effect, channelId: string, card: SlackMessage, code: string): Promise<void> {
  const { responseUrl } = effect.payload;
  if (responseUrl) {
    const sent = await deps.postToResponseUrl(responseUrl, { response_type: 'in_channel', ...card }).then(
      () => true,
      (error: unknown) => {
        deps.logger.warn({ err: error, effectId: effect.id }, 'the response_url refused the case card; sending it by direct message');
        return false;
      },
    );
    if (sent) return;
  }
  const note = `I can't post in ${mentionChannel(channelId)} (${code}): invite me there with \`/invite @caseops\`. Here is the card:`;
  await directMessage(deps.client, effect, { text: card.text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: note } }, ...card.blocks] });
}

/**
 * Brings the card to the case's current state. Edits are idempotent, and only the latest state matters: an edit
 * followed by another edit of the same card in the backlog is skipped, so a burst of changes costs one chat.update.
 */
/** An edit followed by another edit of the same card in the backlog is skipped (see editCard). */
const supersededEdit = (following: readonly Effect[]) => following.some((later) => later.kind === 'edit_card');

function editCard(deps: CardEffectDeps): EffectHandler<[Case | null, Undelivered[]] | null> {
  return {
    // The case and what its lanes gave up on, read at once: a card edit goes in its case's own stream, the case id.
    read: async (effect, following) => (supersededEdit(following) ? null : Promise.all([caseOfEffect(deps.store, effect), undeliveredNotes(deps.store, effect.stream)])),
    async deliver(_effect, { read }) {
      if (!read) return;
      const [theCase, undelivered] = read;
      if (!theCase?.origin.cardTs) return; // no card to edit: it was delivered elsewhere, or never could be
      const card = caseCard(theCase, { undelivered, sla: deps.sla, kibana: deps.kibana });
      await deps.client.chat.update({ channel: theCase.origin.channelId, ts: theCase.origin.cardTs, ...card });
      const room = theCase.room;
      if (room?.channelId && room.cardTs && !room.archived) await editRoomCard(deps, room.channelId, room.cardTs, card);
    },
    async giveUp(effect, reason) {
      const theCase = await caseOfEffect(deps.store, effect);
      if (!theCase) return;
      await directMessage(deps.client, effect, warning(`Your change to case ${caseLabel(theCase)} is saved, but I could not update its card (${reason}). \`/case show ${theCase.number}\` shows it as it is.`));
    },
  };
}

/**
 * The card pinned in the war room shows what the one in the case's channel shows. A room gone (isRoomGone: archived
 * in Slack itself, say) no longer shows it, and the case's own card still does.
 */
async function editRoomCard(deps: CardEffectDeps, channel: string, ts: string, card: SlackMessage): Promise<void> {
  try {
    await deps.client.chat.update({ channel, ts, ...card });
  } catch (error) {
    if (!isRoomGone(error)) throw error;
    deps.logger.info({ channelId: channel, code: slackErrorCode(error) }, 'the war room no longer shows the case card');
  }
}

/** One line in the case thread saying who changed what; given up on, the card says so (or, failing that, the person who acted is told). */
function threadLine(deps: CardEffectDeps): EffectHandler<Case | null> {
  return {
    read: (effect) => caseOfEffect(deps.store, effect),
    async deliver(effect, { retrying, read }) {
      const theCase = read ?? null;
      const cardTs = theCase?.origin.cardTs;
      if (!theCase || !cardTs) return; // no thread to write in
      const channel = theCase.origin.channelId;
      if (retrying && (await findPostedMessage(deps.client, effect, channel, cardTs))) return;
      const text = activityLine(effect.payload.actor, effect.payload.actions ?? []);
      await deps.client.chat.postMessage({ channel, thread_ts: cardTs, text, metadata: effectMetadata(effect) });
    },
    async giveUp(effect, reason) {
      if (await sayOnCard(deps, effect, reason)) return;
      const theCase = await caseOfEffect(deps.store, effect);
      if (!theCase) return;
      await directMessage(deps.client, effect, warning(`Your change to case ${caseLabel(theCase)} is saved, but I could not post it in the case thread (${reason}).`));
    },
  };
}
