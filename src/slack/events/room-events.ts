import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { CaseNotFoundError } from '../../cases/errors';
import type { Actor } from '../../cases/model';
import { actorOf } from '../actor';
import type { SlackDeps } from '../deps';
import { enrichSnapshot, type SlackMessageObject, snapshotFromShortcut } from '../message-snapshot';

interface ReactionEvent {
  user: string;
  reaction: string;
  item: { type: string; channel?: string; ts?: string };
  event_ts: string;
}

/**
 * The war room as evidence: the capture reaction (CASEOPS_ROOM_REACTION, :pushpin: by default) on a message in a case's
 * room attaches that message to the case as an event, as "Add to case" would — once, however often Slack delivers the
 * event or people add the reaction. Taking the reaction off leaves the evidence, and says so on the case.
 */
export function registerRoomEvents(app: App, deps: SlackDeps): void {
  const inRoom = async (event: ReactionEvent, teamId: string) => {
    const { channel, ts } = event.item;
    if (event.item.type !== 'message' || event.reaction !== deps.settings.rooms.reaction || !channel || !ts) return null;
    const theCase = await deps.rooms.caseOfRoom(teamId, channel);
    return theCase && { theCase, channel, ts, actor: actorOf({ id: event.user }, teamId) };
  };

  app.event('reaction_added', async ({ event, context, client }) => {
    const teamId = context.teamId ?? '';
    try {
      const found = await inRoom(event as unknown as ReactionEvent, teamId);
      if (!found) return;
      const message = await roomMessage(client, found.channel, found.ts);
      if (message) await attachRoomMessage(deps, client, found.theCase.id, found.actor, found.channel, message);
    } catch (error) {
      deps.logger.error({ err: error, retryNum: context.retryNum }, 'could not attach a message of a war room');
    }
  });

  app.event('reaction_removed', async ({ event, context }) => {
    const teamId = context.teamId ?? '';
    try {
      const found = await inRoom(event as unknown as ReactionEvent, teamId);
      if (!found) return;
      const attached = await deps.evidence.isAttached(found.theCase.id, teamId, found.channel, found.ts);
      if (!attached) return;
      // Keyed by the removal itself: a redelivered event records it once.
      const key = `reaction-removed:${found.channel}:${found.ts}:${event.user}:${(event as unknown as ReactionEvent).event_ts}`;
      await deps.service.addComment(found.actor, { id: found.theCase.id }, `Took :${deps.settings.rooms.reaction}: off an attached message of the war room; it stays attached as evidence.`, key);
    } catch (error) {
      if (error instanceof CaseNotFoundError) return;
      deps.logger.error({ err: error, retryNum: context.retryNum }, 'could not record a reaction taken off in a war room');
    }
  });
}

/** The fields of a message event that a captured message keeps. */
export interface PostedMessageEvent extends SlackMessageObject {
  channel: string;
  subtype?: string;
}

/** Subtypes of a message someone posted (others are joins, topic changes, edits…). */
const POSTED = new Set([undefined, 'file_share', 'thread_broadcast']);

/**
 * A message posted in a war room whose case captures every message (`/case room <n> capture all`): attached as an
 * event by its author, once however often Slack delivers it. caseops' own messages there (the card, notices) are not.
 */
export async function captureRoomMessage(deps: SlackDeps, client: WebClient, teamId: string, event: PostedMessageEvent, botUserId: string | undefined): Promise<void> {
  if (!POSTED.has(event.subtype) || event.bot_id || !event.user || event.user === botUserId) return;
  const theCase = await deps.rooms.caseOfRoom(teamId, event.channel);
  if (!theCase?.room?.captureAll || theCase.room.archived) return;
  await attachRoomMessage(deps, client, theCase.id, actorOf({ id: event.user }, teamId), event.channel, event);
}

/** A message of the room attached to its case, as "Add to case" would; someone who may not see the case cannot add to it. */
async function attachRoomMessage(deps: SlackDeps, client: WebClient, caseId: string, actor: Actor, channel: string, message: SlackMessageObject): Promise<void> {
  const snapshot = await enrichSnapshot(client, snapshotFromShortcut({ teamId: actor.teamId, channel: { id: channel }, message }), deps.logger);
  try {
    await deps.evidence.attachMessage(actor, { id: caseId }, snapshot);
  } catch (error) {
    if (!(error instanceof CaseNotFoundError)) throw error;
  }
}

/** The message as Slack has it now: a message of the channel, or a reply in one of its threads. */
async function roomMessage(client: WebClient, channel: string, ts: string): Promise<SlackMessageObject | undefined> {
  // The thread's parent leads every page; from `ts` on, the message itself comes next when it is a reply.
  const { messages } = await client.conversations.replies({ channel, ts, oldest: ts, inclusive: true, limit: 2 });
  return (messages as SlackMessageObject[] | undefined)?.find((message) => message.ts === ts);
}
