import type { AlertData, EventData, IndicatorData, MessageSnapshot, TimelineData } from './attachments';
import { deterministicId } from './ids';
import type { Actor, Attachment, AttachmentType, Case, UserAction } from './model';
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

export function eventEvidence(theCase: CaseLike, actor: Actor, at: string, message: MessageSnapshot, extra: { note?: string; captureId?: string } = {}): Evidence {
  const data: EventData = {
    message,
    ...(extra.note ? { note: extra.note } : {}),
    ...(extra.captureId ? { captureId: extra.captureId } : {}),
    ...(isFromPrivateChannel(theCase, message) ? { fromPrivateChannel: true } : {}),
  };
  const id = messageAttachmentId(theCase.id, message);
  const reference = { teamId: message.teamId, channelId: message.channel.id, ts: message.ts, permalink: message.permalink ?? null };
  return { attachment: attachment(theCase, id, 'event', data, actor, at), action: commentAction(theCase, actor, at, id, { type: 'event', message: reference }) };
}

export function indicatorEvidence(theCase: CaseLike, actor: Actor, at: string, indicator: IndicatorData): Evidence {
  const id = deterministicId('indicator', theCase.id, indicator.type, indicator.value);
  return {
    attachment: attachment(theCase, id, 'indicator', indicator, actor, at),
    action: commentAction(theCase, actor, at, id, {
      type: 'externalReference',
      externalReferenceAttachmentTypeId: 'indicator',
      externalReferenceId: indicator.documentId ?? indicator.value,
      externalReferenceStorage: { type: 'elasticSearchDoc' },
      externalReferenceMetadata: { indicatorName: indicator.value, indicatorType: indicator.type, indicatorFeedName: indicator.feedName },
    }),
  };
}

export function alertEvidence(theCase: CaseLike, actor: Actor, at: string, alert: AlertData): Evidence {
  const id = deterministicId('alert', theCase.id, alert.index, alert.alertId);
  return { attachment: attachment(theCase, id, 'alert', alert, actor, at), action: commentAction(theCase, actor, at, id, { type: 'alert', ...alert }) };
}

/** Kibana's markdown Timeline link (reference/kibana-cases.md §3). */
export function timelineMarkdown(timeline: TimelineData): string {
  return `[${timeline.title.replace(/[[\]]/g, '')}](${timeline.url})`;
}

export function timelineEvidence(theCase: CaseLike, actor: Actor, at: string, timeline: TimelineData): Evidence {
  const id = deterministicId('timeline', theCase.id, timeline.timelineId);
  return {
    attachment: attachment(theCase, id, 'timeline', timeline, actor, at),
    action: commentAction(theCase, actor, at, id, { type: 'user', comment: timelineMarkdown(timeline) }),
  };
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
