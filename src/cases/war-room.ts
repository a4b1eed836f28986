import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { type CaseAccess, cardEdit, type ChangeResult, parseInput, touch } from './case-access';
import { commented } from './comments';
import { InvalidInputError } from './errors';
import { type Actor, type Case, type CaseRef, type Role, SlackUserId, type WarRoom } from './model';
import type { EffectDraft } from './outbox';

/** People named when the room is asked for, besides the one who asks and the assignees. */
const MAX_INVITEES = 20;

/** What asking for a room did: asked now, or the room the case already has (or is getting). */
export interface RoomRequest {
  case: Case;
  requested: boolean;
}

/**
 * The war room of a case: a Slack channel of its own, and the roles of the people who run the response. Asking for the
 * room records it on the case with the effect that opens it (`open_room`), so a Slack outage or a crash delays the room
 * and never loses it; what the effect has done is recorded on the case step by step, so that a retry goes on from there
 * instead of making a second channel.
 */
export class WarRooms {
  constructor(private readonly access: CaseAccess) {}

  async open(actor: Actor, ref: CaseRef, invitees: string[], responseUrl?: string): Promise<RoomRequest> {
    const people = parseInput(SlackUserId.array().max(MAX_INVITEES, `a room is opened with at most ${MAX_INVITEES} people named`), invitees);
    let requested = false;
    const result = await this.access.change(actor, ref, (current, at) => {
      requested = false;
      if (current.room) return null;
      if (current.status === 'closed') throw new InvalidInputError(`case #${current.number} is closed: reopen it to open a war room`);
      requested = true;
      const opening: EffectDraft = { id: randomUUID(), kind: 'open_room', payload: { actor, invitees: people, ...(responseUrl ? { responseUrl } : {}) } };
      return { next: { ...touch(current, actor, at), room: {} }, write: { effects: [opening, cardEdit(actor)] } };
    });
    return { case: result.case, requested };
  }

  /**
   * Gives a role of the response to someone (or to nobody: `null`). Recorded as a comment, so the case's history, the
   * thread, an export and the Kibana mirror all say who took which role and when; setting it as it is changes nothing.
   */
  async setRole(actor: Actor, ref: CaseRef, role: Role, userId: string | null): Promise<ChangeResult> {
    const holder = userId === null ? null : parseInput(SlackUserId, userId);
    return this.access.change(actor, ref, (current, at) => {
      if ((current.roles?.[role] ?? null) === holder) return null;
      const roles = { ...current.roles };
      if (holder) roles[role] = holder;
      else delete roles[role];
      const said = holder ? `Role: <@${holder}> is the ${ROLE_NAMES[role]}.` : `Role: nobody is the ${ROLE_NAMES[role]} any more.`;
      return commented({ ...touch(current, actor, at), roles }, actor, at, randomUUID(), said);
    });
  }

  /**
   * Whether every message of the room is attached to the case, or only those pinned with the capture reaction. Said on
   * the case as a comment, so the history shows from when the room was captured whole.
   */
  async setCapture(actor: Actor, ref: CaseRef, all: boolean): Promise<ChangeResult> {
    return this.access.change(actor, ref, (current, at) => {
      const room = current.room;
      if (!room?.channelId) throw new InvalidInputError(`case #${current.number} has no war room yet: \`/case room ${current.number}\` opens it`);
      if (Boolean(room.captureAll) === all) return null;
      const said = all ? 'War room: every message posted in the room is attached from now on.' : 'War room: only messages pinned with the reaction are attached from now on.';
      return commented({ ...touch(current, actor, at), room: { ...room, captureAll: all } }, actor, at, randomUUID(), said);
    });
  }

  /**
   * Asks for the case's post-incident report: an effect in the case's lane, so it is written after every change
   * made before it, and delivered whatever happens to this process.
   */
  async requestReport(actor: Actor, ref: CaseRef, responseUrl?: string): Promise<Case> {
    const report: EffectDraft = { id: randomUUID(), kind: 'deliver_report', payload: { actor, ...(responseUrl ? { responseUrl } : {}) } };
    return (await this.access.change(actor, ref, (current) => ({ next: current, write: { effects: [report] } }))).case;
  }

  /**
   * Archives the case's war room, once the case is closed (the button offered in the room then). Returns the case,
   * with the room marked archived; `archive` is the call to Slack, made only when there is a room to archive.
   */
  async archiveRoom(actor: Actor, ref: CaseRef, archive: (channelId: string) => Promise<void>): Promise<Case> {
    const theCase = await this.access.getCase(actor, ref);
    const channelId = theCase.room?.channelId;
    if (!channelId) throw new InvalidInputError(`case #${theCase.number} has no war room`);
    if (theCase.status !== 'closed') throw new InvalidInputError(`case #${theCase.number} is not closed: its war room stays open`);
    if (theCase.room?.archived) return theCase;
    await archive(channelId);
    return (await this.record(theCase, { archived: true }, actor)) ?? theCase;
  }

  /** The case whose war room is this channel; null for any other channel. Not a read for anyone: no visibility here. */
  async caseOfRoom(teamId: string, channelId: string): Promise<Case | null> {
    return (await this.access.store.findCases({ teamId, roomChannelId: channelId, limit: 1 })).cases[0] ?? null;
  }

  /** A step of the opening done in Slack; the card is edited when it has something new to show (the channel). Null: the case is gone. */
  async record(theCase: Case, step: Partial<WarRoom>, actor: Actor): Promise<Case | null> {
    return this.write(theCase, actor, (room) => (room ? { ...room, ...step } : undefined), Boolean(step.channelId || step.archived));
  }

  /** The opening was given up before a channel existed: the case can be given a room again. */
  async forget(theCase: Case, actor: Actor): Promise<void> {
    await this.write(theCase, actor, (room) => (room?.channelId ? room : undefined), true);
  }

  private write(theCase: Case, actor: Actor, change: (room: WarRoom | undefined) => WarRoom | undefined, showOnCard: boolean): Promise<Case | null> {
    return this.access.recordState(theCase.teamId, theCase.id, actor, (current) => {
      const room = change(current.room);
      if (isDeepStrictEqual(room, current.room)) return null;
      const next: Case = { ...current, room };
      if (!room) delete next.room;
      return { next, showOnCard };
    });
  }
}

/** How a role is said in words. */
export const ROLE_NAMES: Record<Role, string> = { lead: 'incident lead', scribe: 'scribe', comms: 'communications lead' };
