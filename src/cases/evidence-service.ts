import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type AlertData, AlertData as AlertDataSchema, DEFAULT_ALERT_INDEX, EventData, type IndicatorData, INDICATOR_TYPES, MessageSnapshot, type TimelineData, type VisualizationData } from './attachments';
import { type Announcement, CaseAccess, type ChangeResult, parseInput, touch } from './case-access';
import { DuplicateAttachmentError, InvalidInputError } from './errors';
import { alertEvidence, type Evidence, eventEvidence, eventIndexing, indicatorEvidence, messageAttachmentId, timelineEvidence, visualizationEvidence, withEvidence } from './evidence';
import type { Actor, Attachment, Case, CaseRef } from './model';
import type { EvidenceLookups } from './evidence-lookups';
import type { EffectDraft, OutboxSignal } from './outbox';
import type { VisibilityPolicy } from './policy';
import type { CaseStore } from './store';
import { commentAction } from './user-actions';

/**
 * A Slack message captured when a message shortcut opened a modal, kept until the modal is submitted
 * (possibly to another replica), with where to answer the person who used the shortcut.
 */
export const MessageCapture = z.object({ message: MessageSnapshot, responseUrl: z.string().optional() });
export type MessageCapture = z.infer<typeof MessageCapture>;

/** Long enough for an analyst to fill a modal on a phone, short enough that stale captures go. */
const CAPTURE_TTL_MS = 60 * 60 * 1000;

/** An indicator to add: a threat-intel match may supply its feed and document. */
export type IndicatorToAdd = Pick<IndicatorData, 'value' | 'type' | 'source'> & Partial<Pick<IndicatorData, 'feedName' | 'documentId'>>;

/** An attachment that was already on the case: the repeat of something done before. */
export interface AttachResult extends ChangeResult {
  alreadyAttached: boolean;
}

/** An event attachment with its data read as a message snapshot. */
export interface EventEntry {
  attachment: Attachment;
  data: EventData;
}

export interface EventPage {
  case: Case;
  events: EventEntry[];
  offset: number;
  total: number;
}

const AlertInput = z.object({
  alertId: z.string().trim().min(1, 'an alert needs its id').max(512, 'that alert id is too long'),
  index: z.string().trim().min(1).max(255).default(DEFAULT_ALERT_INDEX),
});

const TimelineInput = z.object({
  timelineId: z.string().trim().min(1, 'a Timeline needs its id').max(256),
  title: z.string().trim().max(160),
  url: z.string().url('a Timeline link must be a URL'),
});

const IndicatorInput = z.object({ value: z.string().trim().min(1).max(2048), type: z.enum(INDICATOR_TYPES) });

/**
 * Use-cases that add evidence to a case — Slack messages, indicators, alerts, Timeline links — and keep
 * message snapshots current as Slack reports edits and deletions.
 */
export interface EvidenceServiceOptions {
  now?: () => Date;
  /** The cluster's part, when Elasticsearch is configured. */
  lookups?: EvidenceLookups;
  /** Told when a lookup fails; the evidence is attached without what the lookup would have added. */
  onLookupFailure?: (what: string, error: unknown) => void;
  /** Woken when a use-case recorded effects, so they are delivered at once. */
  outbox?: OutboxSignal;
  /** Live sync with Kibana is on: evidence attached is pushed to the case's mirror in Kibana Cases too. */
  kibanaSync?: boolean;
}

export class EvidenceService {
  private readonly access: CaseAccess;

  constructor(
    store: CaseStore,
    policy: VisibilityPolicy,
    private readonly options: EvidenceServiceOptions = {},
  ) {
    this.access = new CaseAccess(store, policy, options.now ?? (() => new Date()), options.outbox, options.kibanaSync);
  }

  /** Runs a cluster lookup if there is a cluster; a failed one is reported and counts as no answer. */
  private async lookup<T>(what: string, ask: (lookups: EvidenceLookups) => Promise<T>): Promise<T | undefined> {
    if (!this.options.lookups) return undefined;
    try {
      return await ask(this.options.lookups);
    } catch (error) {
      this.options.onLookupFailure?.(what, error);
      return undefined;
    }
  }

  /**
   * Of these alerts, the ones the cluster has no document for; undefined without a cluster (or when it
   * cannot answer). Imported cases reference alerts by id only, and Kibana asks users to check them by hand.
   */
  async missingAlerts(alerts: AlertData[]): Promise<AlertData[] | undefined> {
    if (alerts.length === 0) return [];
    return this.lookup('alert check', async (lookups) => {
      const found = await Promise.all(alerts.map((alert) => lookups.lookupAlert(alert.alertId, alert.index)));
      return alerts.filter((_, index) => found[index] === null);
    });
  }

  /**
   * Brings the ECS document of an attached message to the attachment's current snapshot (the `index_event`
   * effect): written the first time, rewritten after an edit or deletion, and where it is recorded on the
   * attachment. Idempotent, so a retry after a crash or a lost answer writes nothing twice. Throws when the cluster
   * cannot take it: the outbox tries again.
   */
  async indexEventDocument(teamId: string, caseId: string, attachmentId: string): Promise<void> {
    const { lookups } = this.options;
    const stored = lookups && (await this.access.store.getAttachment(caseId, attachmentId));
    const event = stored && stored.type === 'event' ? EventData.safeParse(stored.data) : undefined;
    if (!lookups || !event?.success) return; // no cluster, or the attachment is gone
    const { message, document: indexed } = event.data;
    const document = indexed ? await lookups.updateMessage(indexed, message) : await lookups.indexMessage(message, caseId);
    if (indexed?.index === document.index && indexed.id === document.id) return;
    // Where the document is, for links to it: not a change anyone made to the case, so nothing is announced.
    await this.access.changeAsSlack(teamId, caseId, async (current) => {
      const latest = await this.access.store.getAttachment(current.id, attachmentId);
      if (!latest) return null;
      return { next: current, write: { replaceAttachments: [{ ...latest, data: { ...latest.data, document } }] } };
    });
  }

  async saveCapture(teamId: string, id: string, capture: MessageCapture): Promise<void> {
    const expiresAt = new Date(this.access.now().getTime() + CAPTURE_TTL_MS).toISOString();
    await this.access.store.saveDraft({ id, teamId, data: capture, expiresAt });
  }

  async getCapture(id: string): Promise<MessageCapture | null> {
    const draft = await this.access.store.getDraft(id);
    const parsed = draft && MessageCapture.safeParse(draft.data);
    return parsed?.success ? parsed.data : null;
  }

  /** Attaches a message. The same message attached again changes nothing and says so. */
  async attachMessage(actor: Actor, ref: CaseRef, message: MessageSnapshot, extra: { note?: string; captureId?: string } = {}): Promise<AttachResult> {
    const snapshot = parseInput(MessageSnapshot, message);
    const result = await this.addOnce(actor, ref, (current, at) => [eventEvidence(current, actor, at, snapshot, extra)], {
      effects: (evidence) => (this.options.lookups ? evidence.map((item) => eventIndexing(actor, item.attachment.id)) : []),
    });
    if (!result.alreadyAttached) return result;
    // A second delivery of the same modal submission is not a re-attach: it should stay silent.
    const existing = await this.access.store.getAttachment(result.case.id, messageAttachmentId(result.case.id, snapshot));
    const sameCapture = extra.captureId !== undefined && (existing?.data as { captureId?: string } | undefined)?.captureId === extra.captureId;
    return { ...result, alreadyAttached: !sameCapture };
  }

  /** Whether the case has the message (channel, ts) attached as an event. */
  async isAttached(caseId: string, teamId: string, channelId: string, ts: string): Promise<boolean> {
    return (await this.access.store.findMessageAttachments(teamId, channelId, ts)).some((found) => found.caseId === caseId);
  }

  /** Adds indicators; those already on the case are skipped, so confirming twice adds each once. */
  async addIndicators(actor: Actor, ref: CaseRef, indicators: IndicatorToAdd[]): Promise<ChangeResult> {
    const wanted: IndicatorData[] = await Promise.all(
      indicators.map(async (indicator) => {
        const input = parseInput(IndicatorInput, indicator);
        // A threat-intel match supplies the document and feed Kibana's indicator attachment points at.
        const match = indicator.documentId ? undefined : await this.lookup('threat intel lookup', (lookups) => lookups.lookupIndicator(input));
        return {
          ...input,
          source: indicator.source,
          feedName: indicator.feedName ?? match?.feedName ?? null,
          documentId: indicator.documentId ?? match?.documentId ?? null,
        };
      }),
    );
    for (let attempt = 1; ; attempt += 1) {
      const result = await this.addOnce(actor, ref, async (current, at) => {
        const evidence = wanted.map((indicator) => indicatorEvidence(current, actor, at, indicator));
        const present = await Promise.all(evidence.map((item) => this.access.store.getAttachment(current.id, item.attachment.id)));
        return evidence.filter((item, index) => !present[index] && evidence.findIndex((other) => other.attachment.id === item.attachment.id) === index);
      });
      // Another analyst added one of them at the same moment: re-plan without it.
      if (!result.alreadyAttached || attempt >= 3) return result;
    }
  }

  /**
   * Attaches an alert. With a cluster, its document is looked up for the rule; `found: false` means the
   * cluster answered and has no such alert (it is attached anyway: the index may be elsewhere).
   */
  async addAlert(actor: Actor, ref: CaseRef, alert: { alertId: string; index?: string }): Promise<AttachResult & { found?: boolean }> {
    const input = parseInput(AlertInput, alert);
    const answer = await this.lookup('alert lookup', async (lookups) => ({ alert: await lookups.lookupAlert(input.alertId, input.index) }));
    const data: AlertData = { alertId: input.alertId, index: input.index, rule: answer?.alert?.rule ?? { id: null, name: null } };
    const result = await this.addOnce(actor, ref, (current, at) => [alertEvidence(current, actor, at, data)]);
    return answer ? { ...result, found: answer.alert !== null } : result;
  }

  async addTimeline(actor: Actor, ref: CaseRef, timeline: TimelineData): Promise<AttachResult> {
    const input = parseInput(TimelineInput, timeline);
    return this.addOnce(actor, ref, (current, at) => [timelineEvidence(current, actor, at, input)]);
  }

  /**
   * Records a chart on the case before its image is uploaded: the id (derived from the request) claims the
   * chart, so a repeated request finds it already there and uploads nothing twice.
   */
  async recordVisualization(actor: Actor, ref: CaseRef, id: string, visualization: VisualizationData): Promise<AttachResult> {
    // The chart itself goes into the case thread (an outbox effect, like the card edit), with no line saying so.
    const upload = (): EffectDraft[] => [{ id: randomUUID(), kind: 'upload_chart', payload: { actor, attachmentId: id } }];
    return this.addOnce(actor, ref, (current, at) => [visualizationEvidence(current, actor, at, id, visualization)], { announce: 'card', effects: upload });
  }

  /** Adds the uploaded image's Slack file to a recorded chart. */
  async setVisualizationFile(actor: Actor, ref: CaseRef, id: string, slackFile: NonNullable<VisualizationData['slackFile']>): Promise<ChangeResult> {
    return this.access.change(actor, ref, async (current, at) => {
      const stored = await this.access.store.getAttachment(current.id, id);
      if (!stored || stored.type !== 'visualization') return null;
      const replaced: Attachment = { ...stored, data: { ...stored.data, slackFile }, updatedAt: at, updatedBy: actor };
      return { next: touch(current, actor, at), write: { replaceAttachments: [replaced] } };
    });
  }

  /** The alerts attached to a case the viewer may see. */
  async caseAlerts(viewer: Actor, ref: CaseRef): Promise<AlertData[]> {
    const theCase = await this.access.getCase(viewer, ref);
    const attachments = await this.access.store.listAttachments(theCase.id, { types: ['alert'], limit: 1000 });
    return attachments.flatMap((attachment) => {
      const data = AlertDataSchema.safeParse(attachment.data);
      return data.success ? [data.data] : [];
    });
  }

  /** Attached messages, most recently attached first. */
  async listEvents(viewer: Actor, ref: CaseRef, page: { offset: number; limit: number }): Promise<EventPage> {
    const theCase = await this.access.getCase(viewer, ref);
    const attachments = await this.access.store.listAttachments(theCase.id, { types: ['event'], limit: page.limit, offset: page.offset });
    const events = attachments.flatMap((attachment) => {
      const data = EventData.safeParse(attachment.data);
      return data.success ? [{ attachment, data: data.data }] : [];
    });
    return { case: theCase, events, offset: page.offset, total: theCase.totals.event };
  }

  async getEvent(viewer: Actor, ref: CaseRef, attachmentId: string): Promise<{ case: Case; event: Attachment }> {
    const theCase = await this.access.getCase(viewer, ref);
    const event = await this.access.store.getAttachment(theCase.id, attachmentId);
    if (!event || event.type !== 'event') throw new InvalidInputError('that message is no longer attached to this case');
    return { case: theCase, event };
  }

  /**
   * Slack reported an edit: every case holding the message gets the new text, the text at attach time kept
   * as `originalText`. Delivered again, it finds nothing to change.
   */
  async recordMessageEdit(teamId: string, channelId: string, ts: string, edit: { text: string; editor: Actor }): Promise<ChangeResult[]> {
    return this.updateSnapshots(teamId, channelId, ts, edit.editor, (message) =>
      message.text === edit.text ? null : { ...message, text: edit.text, edited: true, originalText: message.originalText ?? message.text },
    );
  }

  /** Slack reported a deletion: the snapshot is kept (it is evidence) and flagged deleted. */
  async recordMessageDeletion(teamId: string, channelId: string, ts: string, actor: Actor): Promise<ChangeResult[]> {
    return this.updateSnapshots(teamId, channelId, ts, actor, (message) => (message.deleted ? null : { ...message, deleted: true }));
  }

  private async updateSnapshots(
    teamId: string,
    channelId: string,
    ts: string,
    actor: Actor,
    update: (message: MessageSnapshot) => MessageSnapshot | null,
  ): Promise<ChangeResult[]> {
    const found = await this.access.store.findMessageAttachments(teamId, channelId, ts);
    const results: ChangeResult[] = [];
    for (const { caseId, attachment } of found) {
      results.push(
        await this.access.changeAsSlack(teamId, caseId, async (current, at) => {
          const stored = await this.access.store.getAttachment(current.id, attachment.id);
          const message = (stored?.data as { message?: MessageSnapshot } | undefined)?.message;
          const next = message && update(message);
          if (!stored || !next) return null;
          const replaced: Attachment = { ...stored, data: { ...stored.data, message: next }, updatedAt: at, updatedBy: actor };
          const action = { ...commentAction(current, actor, at, stored.id, { type: 'event', data: replaced.data }), action: 'update' as const };
          // Its ECS document follows the snapshot (the outbox rewrites it from the latest one).
          const effects = this.options.lookups ? [eventIndexing(actor, stored.id)] : [];
          return { next: touch(current, actor, at), write: { actions: [action], replaceAttachments: [replaced], effects } };
        }),
      );
    }
    return results;
  }

  /**
   * Adds evidence in one change, counting it on the case. An id already on the case fails the store write
   * as a duplicate, which is reported as `alreadyAttached` with nothing written.
   */
  private async addOnce(
    actor: Actor,
    ref: CaseRef,
    build: (current: Case, at: string) => Evidence[] | Promise<Evidence[]>,
    options: { announce?: Announcement; effects?: (evidence: Evidence[]) => EffectDraft[] } = {},
  ): Promise<AttachResult> {
    try {
      const result = await this.access.change(actor, ref, async (current, at) => {
        const evidence = await build(current, at);
        if (evidence.length === 0) return null;
        return {
          next: withEvidence(touch(current, actor, at), evidence),
          write: { actions: evidence.map((e) => e.action), addAttachments: evidence.map((e) => e.attachment), effects: options.effects?.(evidence) },
          announce: options.announce,
        };
      });
      return { ...result, alreadyAttached: false };
    } catch (error) {
      if (!(error instanceof DuplicateAttachmentError)) throw error;
      return { case: await this.access.getCase(actor, ref), actions: [], alreadyAttached: true };
    }
  }
}
