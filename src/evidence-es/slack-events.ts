/**
 * Writes attached Slack messages to the data stream `logs-caseops.slack-<namespace>` as ECS documents, and keeps
 * them current when a message is edited or deleted in Slack.
 *
 * Idempotent by construction: a message's document id comes from (team, channel, ts), so attaching it again —
 * to the same case or another — finds the one document instead of writing a second. A data stream only accepts
 * `create` for new documents, and answers 409 only when the id is in its current write index, so an id written
 * before a rollover is looked up first; the 409 then covers two replicas attaching the same message at once.
 * Changes to an existing document go to its backing index with `if_seq_no`/`if_primary_term`, the one kind of
 * overwrite a data stream allows, and are re-applied when someone else changed the document in between.
 */
import { type Client, errors, type estypes } from '@elastic/elasticsearch';

import type { MessageSnapshot } from '../cases/attachments';
import type { Indicator } from '../cases/indicators';

import { errorType, isUnreachable } from '../elasticsearch/errors';
import { EvidenceError, EvidenceUnavailableError } from './errors';
import { type SlackEventDocument, slackEventDocument, slackEventId } from './slack-event-document';
import { DEFAULT_SLACK_EVENTS_NAMESPACE, slackEventsDataStream } from './slack-events-template';

/** Where a message's document is: its backing index (`.ds-logs-caseops.slack-…`) and id. */
export interface SlackEventRef {
  readonly index: string;
  readonly id: string;
}

export interface IndexSlackMessageOptions {
  /** The data stream namespace; default `default`. */
  readonly namespace?: string;
  /** Cases the message is evidence in; added to those already on its document. */
  readonly caseIds?: readonly string[];
  /** The message's indicators as confirmed by the analyst; by default those found in its text. */
  readonly indicators?: readonly Indicator[];
  /** Elasticsearch's `refresh` for the write; default false (searchable within the refresh interval, ~1 s). */
  readonly refresh?: estypes.Refresh;
}

export type UpdateSlackMessageOptions = Omit<IndexSlackMessageOptions, 'namespace'>;

/** Concurrent changes to one message's document are rare (two edits racing); a few retries settle them. */
const MAX_WRITE_ATTEMPTS = 5;
const FEATURE = 'indexing Slack messages in Elasticsearch';

interface StoredEvent {
  readonly ref: SlackEventRef;
  readonly source: SlackEventDocument;
  readonly seqNo: number;
  readonly primaryTerm: number;
}

/** Indexes a message, or finds its document when it was indexed before (adding `caseIds` to it). */
export async function indexSlackMessage(client: Client, snapshot: MessageSnapshot, options: IndexSlackMessageOptions = {}): Promise<SlackEventRef> {
  const namespace = options.namespace ?? DEFAULT_SLACK_EVENTS_NAMESPACE;
  const dataStream = slackEventsDataStream(namespace);
  const id = slackEventId(snapshot);
  const caseIds = options.caseIds ?? [];
  return withAvailability(async () => {
    const existing = await searchStored(client, dataStream, id);
    if (existing) return addCases(client, existing, caseIds, options.refresh);
    const document = slackEventDocument({ snapshot, namespace, caseIds, created: new Date().toISOString(), indicators: options.indicators });
    try {
      // require_data_stream: without the index template, the write would silently create a plain index instead.
      const created = await client.create({ index: dataStream, id, document, refresh: options.refresh, require_data_stream: true });
      return { index: created._index, id };
    } catch (error) {
      if (errorType(error) === 'index_not_found_exception') {
        throw new EvidenceError(`The data stream ${dataStream} has no index template: installSlackEventsTemplate must run at start-up.`, { cause: error });
      }
      const index = conflictingIndex(error);
      if (index === undefined) throw error;
      // Created by someone else a moment ago and not searchable yet: read it, in real time, where the 409 says.
      const stored = await getStored(client, { index, id });
      if (!stored) throw error;
      return addCases(client, stored, caseIds, options.refresh);
    }
  });
}

/**
 * Rewrites a message's document from its latest snapshot (an edit, a deletion), keeping the cases and the time
 * it was first indexed. A document that is gone (its backing index deleted by retention, say) is indexed again;
 * the ref returned is where the message's document now is.
 */
export async function updateSlackMessage(
  client: Client,
  ref: SlackEventRef,
  snapshot: MessageSnapshot,
  options: UpdateSlackMessageOptions = {},
): Promise<SlackEventRef> {
  if (slackEventId(snapshot) !== ref.id) {
    throw new EvidenceError(`The message ${slackEventId(snapshot)} is not the one indexed as ${ref.id}.`);
  }
  return withAvailability(async () => {
    const rewritten = await rewrite(client, ref, options.refresh, (stored) =>
      slackEventDocument({
        snapshot,
        namespace: stored.data_stream.namespace,
        caseIds: [...stored.caseops.case_ids, ...(options.caseIds ?? [])],
        created: stored.event.created,
        indicators: options.indicators,
      }),
    );
    return rewritten ?? indexSlackMessage(client, snapshot, { ...options, namespace: namespaceOf(ref.index) });
  });
}

async function addCases(client: Client, stored: StoredEvent, caseIds: readonly string[], refresh: estypes.Refresh | undefined): Promise<SlackEventRef> {
  if (caseIds.every((caseId) => stored.source.caseops.case_ids.includes(caseId))) return stored.ref;
  const withCases = (current: SlackEventDocument): SlackEventDocument => ({
    ...current,
    caseops: { case_ids: [...new Set([...current.caseops.case_ids, ...caseIds])] },
  });
  const rewritten = await rewrite(client, stored.ref, refresh, withCases, stored);
  if (!rewritten) throw new EvidenceError(`The Slack message document ${stored.ref.id} disappeared while cases were added to it.`);
  return rewritten;
}

/**
 * Read, change, write if unchanged since the read; again from a fresh read when someone else wrote in between.
 * Undefined when there is no such document.
 */
async function rewrite(
  client: Client,
  ref: SlackEventRef,
  refresh: estypes.Refresh | undefined,
  change: (current: SlackEventDocument) => SlackEventDocument,
  alreadyRead?: StoredEvent,
): Promise<SlackEventRef | undefined> {
  let stored = alreadyRead ?? (await getStored(client, ref));
  for (let attempt = 1; stored; attempt += 1) {
    try {
      await client.index({
        index: stored.ref.index,
        id: stored.ref.id,
        document: change(stored.source),
        op_type: 'index',
        if_seq_no: stored.seqNo,
        if_primary_term: stored.primaryTerm,
        refresh,
      });
      return stored.ref;
    } catch (error) {
      if (conflictingIndex(error) === undefined || attempt >= MAX_WRITE_ATTEMPTS) throw error;
      stored = await getStored(client, ref);
    }
  }
  return undefined;
}

/** Near real time: finds documents written before the last refresh, in any backing index (after rollovers too). */
async function searchStored(client: Client, dataStream: string, id: string): Promise<StoredEvent | undefined> {
  const response = await client.search<SlackEventDocument>({
    index: dataStream,
    query: { ids: { values: [id] } },
    size: 1,
    seq_no_primary_term: true,
    ignore_unavailable: true,
    allow_no_indices: true,
  });
  const hit = response.hits.hits[0];
  if (!hit?._source || hit._seq_no === undefined || hit._primary_term === undefined) return undefined;
  return { ref: { index: hit._index, id }, source: hit._source, seqNo: hit._seq_no, primaryTerm: hit._primary_term };
}

/** Real time, from one backing index. */
async function getStored(client: Client, ref: SlackEventRef): Promise<StoredEvent | undefined> {
  const response = await client.get<SlackEventDocument>({ index: ref.index, id: ref.id }, { ignore: [404] });
  if (!response.found || !response._source || response._seq_no === undefined || response._primary_term === undefined) return undefined;
  return { ref: { index: response._index, id: ref.id }, source: response._source, seqNo: response._seq_no, primaryTerm: response._primary_term };
}

/** The backing index of a 409 (the document exists there, or changed there since it was read). */
function conflictingIndex(error: unknown): string | undefined {
  if (!(error instanceof errors.ResponseError) || error.statusCode !== 409 || errorType(error) !== 'version_conflict_engine_exception') return undefined;
  const index = (error.meta.body as { error?: { index?: unknown } } | undefined)?.error?.index;
  return typeof index === 'string' ? index : undefined;
}

const BACKING_OR_STREAM = /^(?:\.ds-)?logs-caseops\.slack-([a-z0-9_]+)(?:-\d{4}\.\d{2}\.\d{2}-\d{6})?$/;

function namespaceOf(index: string): string {
  const namespace = BACKING_OR_STREAM.exec(index)?.[1];
  if (namespace === undefined) throw new EvidenceError(`\`${index}\` is not a Slack events index.`);
  return namespace;
}

async function withAvailability<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUnreachable(error)) throw new EvidenceUnavailableError(FEATURE, error);
    throw error;
  }
}
