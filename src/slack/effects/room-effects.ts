import type { WebClient } from '@slack/web-api';
import { caseOfEffect } from '../../cases/effect-case';
import type { Case } from '../../cases/model';
import type { Effect } from '../../cases/outbox';
import type { CaseStore } from '../../cases/store';
import type { WarRooms } from '../../cases/war-room';
import { kibanaCaseLink } from '../../evidence-es/deep-links';
import type { Logger } from '../../log';
import type { EffectHandler } from '../../outbox/dispatcher';
import { caseCard, type CardOptions, countsText, type SlackMessage } from '../blocks/case-card';
import { CARD_ACTIONS, caseBlockId } from '../actions/ids';
import { caseLabel } from '../blocks/case-format';
import { formatSeconds } from '../blocks/metrics';
import { warning } from '../blocks/notice';
import { mentionActor, mentionChannel, mentionUser, truncate } from '../blocks/text';
import { isRoomGone, slackErrorCode } from '../slack-errors';
import { type ResponseUrlPoster, tellActor } from './actor-notices';
import { effectMetadata, findPostedMessage } from './posted-lookup';
import { ROOM_NAME_ATTEMPTS, roomName } from './room-name';

/** conversations.setTopic and setPurpose refuse more than 250 characters (`too_long`). */
const TOPIC_MAX = 250;

/** What Slack's refusals to make the room mean to the person who asked for it. */
const REFUSALS: Record<string, string> = {
  restricted_action: 'this workspace lets only some members create channels; a Slack admin can allow it, or create the channel and invite me',
  name_taken: `every name I tried for it is taken (${ROOM_NAME_ATTEMPTS} of them)`,
  missing_scope: 'I lack the permission to create channels: an admin reinstalls caseops with its current manifest',
  cannot_create_channel: 'Slack would not create the channel',
  not_in_channel: 'I was removed from the room; `/invite @caseops` there lets me finish',
  is_archived: 'the room was archived',
};

export interface RoomEffectDeps {
  client: WebClient;
  store: CaseStore;
  rooms: WarRooms;
  /** The bot's user id: it creates the room, so it is in it already and is not invited. */
  botUserId: string;
  /** Whether someone may see the case (cases/policy.ts): a private case's room takes only those who may. */
  canSee: (userId: string, theCase: Case) => Promise<boolean>;
  sla: CardOptions['sla'];
  kibana?: CardOptions['kibana'];
  postToResponseUrl: ResponseUrlPoster;
  logger: Logger;
}

/**
 * Opens the war room the case records (`open_room`). Each step that Slack would do twice is recorded on the case as
 * soon as it is done (the channel, the bookmark, the card), and the others are harmless to repeat, so a retry after a
 * failure or a lost answer goes on where the last attempt stopped. A refusal before the channel exists clears the
 * room from the case (it can be asked for again) and tells the person who asked, in words.
 */
export function openRoom(deps: RoomEffectDeps): EffectHandler {
  return {
    async deliver(effect, { retrying }) {
      let theCase = await caseOfEffect(deps.store, effect);
      if (!theCase?.room) return;
      if (!theCase.room.channelId) {
        const channel = await createChannel(deps, theCase, retrying);
        theCase = await deps.rooms.record(theCase, channel, effect.payload.actor);
        if (!theCase) return;
      }
      await new RoomSetUp(deps, effect, theCase, retrying).run();
    },
    async giveUp(effect, reason) {
      const theCase = await caseOfEffect(deps.store, effect);
      if (!theCase) return;
      const made = Boolean(theCase.room?.channelId);
      if (!made) await deps.rooms.forget(theCase, effect.payload.actor);
      const why = REFUSALS[reason] ?? reason;
      const text = made
        ? `The war room of case ${caseLabel(theCase)} is ${mentionChannel(theCase.room!.channelId!)}, but I could not finish setting it up (${why}).`
        : `I could not open a war room for case ${caseLabel(theCase)}: ${why}. Nothing was created; \`/case room ${theCase.number}\` tries again.`;
      await tellActor(deps.client, deps.postToResponseUrl, effect, warning(text));
    },
  };
}

/**
 * Tells the war room its case is closed (who closed it, after how long, what it holds) and offers to archive it: a
 * button, so that the people in the room decide when they are done talking. Found again by its metadata on a retry.
 */
export function closeRoom(deps: Pick<RoomEffectDeps, 'client' | 'store' | 'logger'>): EffectHandler {
  return {
    async deliver(effect, { retrying }) {
      const theCase = await caseOfEffect(deps.store, effect);
      const channel = theCase?.room?.channelId;
      if (!theCase || !channel || theCase.room?.archived || theCase.status !== 'closed') return;
      if (retrying && (await findPostedMessage(deps.client, effect, channel))) return;
      try {
        await deps.client.chat.postMessage({ channel, ...closedNotice(theCase, effect), metadata: effectMetadata(effect) });
      } catch (error) {
        // A room archived in Slack before its case was closed (people done talking) has nobody left to tell.
        if (!isRoomGone(error)) throw error;
        deps.logger.info({ channelId: channel, code: slackErrorCode(error) }, 'the war room is gone; it was not told its case is closed');
      }
    },
    async giveUp(effect, reason) {
      deps.logger.warn({ effectId: effect.id, reason }, 'the war room was not told its case is closed');
    },
  };
}

/** What the war room is told when its case is closed, with the button that archives it. */
function closedNotice(theCase: Case, effect: Effect): SlackMessage {
  const took = theCase.duration === null ? '' : ` after ${formatSeconds(theCase.duration)}`;
  const text = `:white_check_mark: Case ${caseLabel(theCase)} was closed by ${mentionActor(effect.payload.actor)}${took}: ${countsText(theCase)}. \`/case report ${theCase.number}\` writes the post-incident report. Archive this room once you are done here.`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'actions',
        block_id: caseBlockId(theCase.id),
        elements: [
          {
            type: 'button',
            action_id: CARD_ACTIONS.archiveRoom,
            text: { type: 'plain_text', text: 'Archive this room' },
            value: theCase.id,
            confirm: { title: { type: 'plain_text', text: 'Archive the war room?' }, text: { type: 'plain_text', text: 'The room becomes read-only; the case keeps everything attached from it.' }, confirm: { type: 'plain_text', text: 'Archive' }, deny: { type: 'plain_text', text: 'Not yet' } },
          },
        ],
      },
    ],
  };
}

/**
 * Creates the channel under the first free name; private when the case is. After an attempt that may have created it
 * without the answer reaching us, a taken name is looked up: a channel of that name the bot made is this room (only
 * this case's room is ever named `case-<its number>-…` by the bot), and is taken instead of making a second one.
 */
async function createChannel(deps: RoomEffectDeps, theCase: Case, retrying: boolean): Promise<{ channelId: string; name: string }> {
  let madeByBot: Map<string, string> | undefined;
  for (let attempt = 1; ; attempt += 1) {
    const name = roomName(theCase.number, theCase.title, attempt);
    try {
      // team_id: an Enterprise Grid org-wide install's token must say which workspace; a workspace's token ignores it.
      const created = await deps.client.conversations.create({ name, is_private: theCase.origin.isPrivate, team_id: theCase.teamId });
      return { channelId: created.channel!.id!, name: created.channel!.name ?? name };
    } catch (error) {
      if (slackErrorCode(error) !== 'name_taken') throw error;
      if (retrying) {
        madeByBot ??= await channelsMadeBy(deps.client, deps.botUserId, theCase.teamId);
        const ours = madeByBot.get(name);
        if (ours) return { channelId: ours, name };
      }
      if (attempt >= ROOM_NAME_ATTEMPTS) throw error;
    }
  }
}

/** The unarchived channels the bot made in the workspace, by name (conversations.list, page by page). */
async function channelsMadeBy(client: WebClient, botUserId: string, teamId: string): Promise<Map<string, string>> {
  const made = new Map<string, string>();
  for (let cursor: string | undefined; ; ) {
    const page = await client.conversations.list({ types: 'public_channel,private_channel', exclude_archived: true, limit: 200, team_id: teamId, ...(cursor ? { cursor } : {}) });
    for (const channel of page.channels ?? []) if (channel.creator === botUserId && channel.name && channel.id) made.set(channel.name, channel.id);
    cursor = page.response_metadata?.next_cursor || undefined;
    if (!cursor) return made;
  }
}

/** The steps after the channel exists, in order. */
class RoomSetUp {
  private readonly channel: string;
  /** People not invited because they may not see the case. */
  private readonly leftOut: string[] = [];

  constructor(
    private readonly deps: RoomEffectDeps,
    private readonly effect: Effect,
    private theCase: Case,
    private readonly retrying: boolean,
  ) {
    this.channel = theCase.room!.channelId!;
  }

  async run(): Promise<void> {
    const { client } = this.deps;
    const about = `Case ${caseLabel(this.theCase)} · ${this.theCase.title}`;
    await client.conversations.setTopic({ channel: this.channel, topic: truncate(about, TOPIC_MAX) });
    await client.conversations.setPurpose({ channel: this.channel, purpose: truncate(`War room of ${about}, opened from #${this.theCase.origin.channelName ?? 'its channel'}.`, TOPIC_MAX) });
    await this.invite();
    if (!this.theCase.room?.bookmarked) await this.bookmark();
    const cardTs = this.theCase.room?.cardTs ?? (await this.postCard());
    if (!cardTs) return;
    await client.pins.add({ channel: this.channel, timestamp: cardTs }).catch((error: unknown) => {
      if (slackErrorCode(error) !== 'already_pinned') throw error;
    });
    await this.announceAtHome();
  }

  /**
   * The one who asked, the assignees and whoever they named, among those who may see the case: a private case's room
   * shows it to its members, so someone outside its channel is left out (and named at home). Someone Slack will not
   * invite does not stop the room.
   */
  private async invite(): Promise<void> {
    const { actor, invitees = [] } = this.effect.payload;
    const bot = this.deps.botUserId;
    const wanted = [...new Set([actor.userId, ...this.theCase.assignees, ...invitees])].filter((user) => user !== bot);
    const users: string[] = [];
    for (const user of wanted) (await this.deps.canSee(user, this.theCase) ? users : this.leftOut).push(user);
    if (!users.length) return;
    try {
      await this.deps.client.conversations.invite({ channel: this.channel, users: users.join(','), force: true });
    } catch (error) {
      const code = slackErrorCode(error);
      if (code !== 'already_in_channel' && code !== 'user_not_found' && code !== 'cant_invite') throw error;
      this.deps.logger.info({ channelId: this.channel, code }, 'some people could not be invited to a war room');
    }
  }

  /** A bookmark to the case: its page in Kibana when it is mirrored there, else its card in its channel. */
  private async bookmark(): Promise<void> {
    const { theCase } = this;
    const mirror = theCase.kibanaMirror?.id;
    const kibanaUrl = this.deps.kibana?.url;
    const link = mirror && kibanaUrl ? kibanaCaseLink({ url: kibanaUrl, space: this.deps.kibana?.space }, mirror) : await this.cardPermalink();
    if (!link) return;
    const title = mirror && kibanaUrl ? `Case ${caseLabel(theCase)} in Kibana` : `Case ${caseLabel(theCase)}`;
    await this.deps.client.bookmarks.add({ channel_id: this.channel, title, type: 'link', link });
    await this.record({ bookmarked: true });
  }

  private async cardPermalink(): Promise<string | undefined> {
    const { channelId, cardTs } = this.theCase.origin;
    if (!cardTs) return undefined;
    return (await this.deps.client.chat.getPermalink({ channel: channelId, message_ts: cardTs })).permalink;
  }

  private async postCard(): Promise<string | undefined> {
    const found = this.retrying ? await findPostedMessage(this.deps.client, this.effect, this.channel) : undefined;
    const ts = found ?? (await this.deps.client.chat.postMessage({ channel: this.channel, ...caseCard(this.theCase, { sla: this.deps.sla, kibana: this.deps.kibana }), metadata: effectMetadata(this.effect) })).ts;
    if (ts) await this.record({ cardTs: ts });
    return ts;
  }

  /** One line in the case's thread in its channel, where the team was. */
  private async announceAtHome(): Promise<void> {
    const { channelId, cardTs } = this.theCase.origin;
    if (!cardTs) return;
    if (this.retrying && (await findPostedMessage(this.deps.client, this.effect, channelId, cardTs))) return;
    const outside = this.leftOut.length ? ` Not invited, as they are not in this private channel: ${this.leftOut.map(mentionUser).join(' ')}.` : '';
    const text = `:rotating_light: ${mentionActor(this.effect.payload.actor)} opened the war room ${mentionChannel(this.channel)}.${outside}`;
    await this.deps.client.chat.postMessage({ channel: channelId, thread_ts: cardTs, text, metadata: effectMetadata(this.effect) });
  }

  private async record(step: { bookmarked?: boolean; cardTs?: string }): Promise<void> {
    this.theCase = (await this.deps.rooms.record(this.theCase, step, this.effect.payload.actor)) ?? this.theCase;
  }
}
