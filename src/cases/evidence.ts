import type { AlertData, EventData, IndicatorData, MessageSnapshot, TimelineData, VisualizationData } from './attachments';
import { randomUUID } from 'node:crypto';
import { deterministicId } from './ids';
import type { Actor, Attachment, AttachmentType, Case, UserAction } from './model';
import type { EffectDraft } from './outbox';
import { commentAction } from './user-actions';

/**
 * Builders for evidence attachments (messages, indicators, alerts, Timeline links) and the comment user
 * actions that record them. Ids are derived from what identifies the evidence, so attaching the same thing
 * twice is refused by the store as a duplicate.
 */

type CaseLike = Pick<Case, 'id' | 'owner' | 'origin'>;

export const messageAttachmentId = (caseId: string, message: MessageSnapshot): string =>
  deterministicId('event', caseId, message.teamId, message.channel.id, message.ts);

/** A message from a private channel, attached to a case that people outside that channel can see. */
export function isFromPrivateChannel(theCase: CaseLike, message: MessageSnapshot): boolean {
  return message.channel.isPrivate && (!theCase.origin.isPrivate || theCase.origin.channelId !== message.channel.id);
}

function attachment(theCase: CaseLike, id: string, type: AttachmentType, data: object, actor: Actor, at: string): Attachment {
  return { id, caseId: theCase.id, type, data: { ...data }, createdAt: at, createdBy: actor, updatedAt: null, updatedBy: null, owner: theCase.owner };
}

export interface Evidence {
  attachment: Attachment;
  action: UserAction;
}

/**
 * Evidence is recorded in the user action in caseops' form, `{type, data}`: Kibana's comment requests never
 * have a `data` member, so the export can tell them apart and write the Kibana comment the attachment becomes.
 */
function evidence(theCase: CaseLike, actor: Actor, at: string, id: string, type: AttachmentType, data: object): Evidence {
  const stored = attachment(theCase, id, type, data, actor, at);
  return { attachment: stored, action: commentAction(theCase, actor, at, id, { type, data: stored.data }) };
}

export function eventEvidence(
  theCase: CaseLike,
  actor: Actor,
  at: string,
  message: MessageSnapshot,
  extra: { note?: string; captureId?: string } = {},
): Evidence {
  const data: EventData = {
    message,
    ...(extra.note ? { note: extra.note } : {}),
    ...(extra.captureId ? { captureId: extra.captureId } : {}),
    ...(isFromPrivateChannel(theCase, message) ? { fromPrivateChannel: true } : {}),
  };
  return evidence(theCase, actor, at, messageAttachmentId(theCase.id, message), 'event', data);
}

/**
 * What an attached message owes the cluster when one is configured: its ECS document in the evidence data stream,
 * written by the outbox after the attachment commits, so a cluster that is down delays the document and loses nothing.
 */
export function eventIndexing(actor: Actor, attachmentId: string): EffectDraft {
  return { id: randomUUID(), kind: 'index_event', payload: { actor, attachmentId } };
}

export function indicatorEvidence(theCase: CaseLike, actor: Actor, at: string, indicator: IndicatorData): Evidence {
  return evidence(theCase, actor, at, deterministicId('indicator', theCase.id, indicator.type, indicator.value), 'indicator', indicator);
}

export function alertEvidence(theCase: CaseLike, actor: Actor, at: string, alert: AlertData): Evidence {
  return evidence(theCase, actor, at, deterministicId('alert', theCase.id, alert.index, alert.alertId), 'alert', alert);
}

export function timelineEvidence(theCase: CaseLike, actor: Actor, at: string, timeline: TimelineData): Evidence {
  return evidence(theCase, actor, at, deterministicId('timeline', theCase.id, timeline.timelineId), 'timeline', timeline);
}

export function visualizationEvidence(theCase: CaseLike, actor: Actor, at: string, id: string, visualization: VisualizationData): Evidence {
  return evidence(theCase, actor, at, id, 'visualization', visualization);
}

/** The case with its running counts raised for the evidence added. */
export function withEvidence<C extends Pick<Case, 'id' | 'owner' | 'origin' | 'totals' | 'eventsFromPrivateChannels'>>(theCase: C, evidence: Evidence[]): C {
  const totals = { ...theCase.totals };
  let fromPrivate = theCase.eventsFromPrivateChannels ?? 0;
  for (const { attachment } of evidence) {
    totals[attachment.type as AttachmentType] += 1;
    const message = (attachment.data as { message?: MessageSnapshot }).message;
    if (attachment.type === 'event' && message && isFromPrivateChannel(theCase, message)) fromPrivate += 1;
  }
  return { ...theCase, totals, ...(fromPrivate ? { eventsFromPrivateChannels: fromPrivate } : {}) };
}
