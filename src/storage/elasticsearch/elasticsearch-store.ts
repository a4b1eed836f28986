/**
 * The scale-out CaseStore on Elasticsearch. Several caseops replicas may share one cluster.
 *
 * ## Documents
 * `<prefix>-cases` holds one document per case: the case whole (unindexed), the fields the UI queries, and
 * `commit`: the id of the operation that wrote it and the ids of the children it staged. `<prefix>-attachments`
 * and `<prefix>-user-actions` hold the children, `<prefix>-counters` one case-number counter per team,
 * `<prefix>-drafts` the drafts. Templates: manifests/elasticsearch/, installed by init() (index-templates.ts).
 *
 * ## Write protocol: one use-case = one operation, committed by one conditional write
 * Elasticsearch has no multi-document transactions; the case document is the commit point.
 *  1. Read the case document in real time (`version`, `_seq_no`, `_primary_term`). Update: refuse with
 *     VersionConflictError unless `version` is the expected one; a head this replica read or committed a moment
 *     ago (the use-case's own read of the case) stands in for the read, since step 4 is conditional on it anyway
 *     and a head that moved meanwhile only means reading it then. Create: nothing to read; most ids are free, and
 *     step 4 creates the case document (op_type=create), which fails if anything holds the id. Only then is what
 *     holds it read: the case (returned as it is), a twin request under way (a double submit waits for that case
 *     instead of creating it twice), or an abandoned claim or a fence, which the creation takes over with a claim
 *     document of its own (a conditional write) and then commits over.
 *  2. Roll the last commit forward: finalise any child it staged that is still pending (step 5 of a writer
 *     that died after committing). So when an operation commits, the one before it is finalised. Skipped for an
 *     operation this replica finalised itself.
 *  3. Stage: write the new children with a `pending` mark {op, base_version, at} (staging.ts). New ones use
 *     op_type=create (an id already taken → DuplicateAttachmentError, after rolling back what was staged);
 *     replacements are conditional writes that keep the committed body beside the pending one. The effects the
 *     operation owes are staged at the same time (outbox.ts), and a creation takes the team's next number
 *     (case-numbers.ts), handed back if the operation does not commit; a crash leaves it unused (a gap, never a
 *     duplicate).
 *  4. Commit: write the case document (version + 1, `commit.op` = this operation) with if_seq_no/if_primary_term
 *     from step 1, or create it. Of several operations from the same version exactly one gets through; the others get 409,
 *     roll back what they staged and throw VersionConflictError.
 *  5. Finalise: move each pending body into `committed`, conditionally on the sequence number staging returned;
 *     in the same bulk request, record a new case's number and move the change markers (below).
 *
 * Readers see a child's pending body when its op is the case's `commit.op`, otherwise its committed body if that
 * belongs to the case's current generation (child-documents.ts `visibleBody`). So children become visible exactly
 * when the case commits, and a writer that dies anywhere leaves either nothing visible (before step 4) or the
 * whole use-case (after it). replaceCase (an import that overwrites) starts a new generation in its commit
 * (`commit.since_version`): everything the case had disappears in that same write, and is deleted afterwards
 * (generations.ts). Within one process, writes to the same case queue behind each other (keyed-queue.ts): they
 * would conflict anyway, and a queued loser then costs one read instead of a staging and a rollback.
 *
 * ## Repair (repair.ts, pending-records.ts)
 * A pending mark is judged against its case: op = the case's commit.op → committed (finalise); case gone (an
 * update's), or moved past base_version, or claimed or fenced by another op → dead (roll back: drop the pending
 * body, delete a child that never committed). Still at base_version, or a creation's with no case document yet →
 * maybe in flight: left alone until older than the lease (`pendingLeaseMs`), then the case is *fenced* (its
 * document rewritten unchanged, which bumps `_seq_no`; a stale claim deleted; a missing case document created as
 * a fence, CaseFenceSource) so the slow writer's step 4 must fail, and only then rolled back. Clocks therefore only
 * decide when to give up on a writer, never whether data is kept. init() runs the pass for records older than
 * the lease; a writer that meets a record in its way judges and settles it on the spot.
 *
 * ## Repeated requests
 * The client retries a request whose connection failed, so any write may arrive twice. Every step tolerates it:
 * a 409 on a claim, counter, child or commit is re-read and recognised as this operation's own write by its op id.
 * A commit whose answer was lost is settled by reading the case back: committed if `commit.op` is ours.
 *
 * ## Refresh: the user sees their own change on the next screen, and no write waits for it
 * Gets are real-time, searches see what the last refresh (scheduled every second) made searchable. No write
 * asks for a refresh: a use-case returns as soon as its writes are acknowledged. Reads are made current instead:
 *  - By id: a real-time get (the case document, a child, a draft).
 *  - By number: the number's record, written with the case's number (case-numbers.ts), gives the id, then a
 *    real-time get. Cases numbered before records existed are searched for, as below.
 *  - Searches of a team (case lists, the picker, App Home, private channels, a case's children, events by
 *    message, the export's point in time): once a commit is acknowledged, the store moves the team's change
 *    marker in each index the commit wrote, and a search first checks the marker and refreshes the index only
 *    when it is behind (change-markers.ts). So a search on any replica sees every commit acknowledged before it
 *    began, for the price of one real-time get and one tiny search beside it, plus a refresh in the second after
 *    a change. A commit whose marker write fails is still searchable within the refresh interval.
 * Readers also read the children of the case's last commit in real time (their ids are on the case document),
 * and re-read a hit whose pending mark is stale (child-reader.ts), so a finalising write needs no refresh either.
 */
import { randomUUID } from 'node:crypto';
import type { Client, estypes } from '@elastic/elasticsearch';
import { StoreUnavailableError, VersionConflictError } from '../../cases/errors';
import type { Attachment, Case, CaseRef, UserAction } from '../../cases/model';
import type { CaseChildren, CasePage, CaseQuery, CaseScan, CaseStore, CaseWrite, Draft, MessageAttachment, StoreHealth, UnnumberedCase } from '../../cases/store';
import { messageKey, messageKeyOf } from '../../cases/message-key';
import { backoffDelay, sleep } from './backoff';
import { CaseNumbers, caseIdOfNumber, numberRecordWrite } from './case-numbers';
import { type CaseHead, type CaseSource, caseFromSource, claimSource, committedCase, committedCaseSource, type CommittedCaseSource, generationOf } from './case-documents';
import { casesQuery, findCasesRequest, teamCases } from './case-query';
import { addChangeMarkers, freshSearch } from './change-markers';
import type { ChildBody, ChildKind, StoredChild } from './child-documents';
import { attachmentKind, userActionKind } from './child-kinds';
import { findVisibleChildren, getVisibleChild, listVisibleChildren, listVisibleChildrenOfCases } from './child-reader';
import { getDraft, saveDraft } from './drafts';
import { BulkBatch, readChildren, readDocument, readDocuments, scan, sequenceOf } from './document-io';
import { isConflict, isFirstAttemptConflict, toStoreError } from './errors';
import { ElasticsearchDigestSchedules } from './digest-schedules';
import { installIndices } from './index-templates';
import { KeyedQueue } from './keyed-queue';
import { RecentMemory } from './recent-memory';
import { allIndices, type IndexNames, indexNames } from './index-names';
import { addSettlements, fence, rollBackQuietly, settleChildren } from './pending-records';
import { type RepairReport, repairPending } from './repair';
import { dropPreviousGenerations } from './generations';
import { ElasticsearchOutbox } from './outbox';
import { ElasticsearchRequestClaims } from './request-claims';
import { ElasticsearchInstallations } from './installations';
import { type Operation, RestartOperation, stageChildren, type StagingContext } from './staging';

export interface ElasticsearchCaseStoreOptions {
  /** The store owns the client from here on: close() closes it. */
  client: Client;
  indexPrefix: string;
  /** Cases per page of scanCases (an export). Default 1000. */
  scanPageSize?: number;
  /**
   * Replicas per index. Default: auto_expand_replicas 0-1, i.e. none on a single node (green, not a yellow that
   * never heals) and one as soon as a second node joins.
   */
  replicas?: number;
  /** How long a pending record may stay before its writer is presumed dead. Default 60 s (several request timeouts). */
  pendingLeaseMs?: number;
}

const DEFAULT_LEASE_MS = 60_000;
/** Restarts of one use-case after it fenced its own case to clear an abandoned record; one is normally enough. */
const MAX_RESTARTS = 3;
/** How long a creation waits for a twin request (a double submit) creating the same case: ~5 s of backoff. */
const MAX_CREATE_ATTEMPTS = 40;
const HEALTH_TIMEOUT_MS = 3_000;
const DEFAULT_SCAN_PAGE_SIZE = 1000;
/** Long enough for a use-case's read and its write; short, so a head other replicas moved is seldom tried. */
const RECENT_HEAD_MS = 5_000;
const RECENT_HEADS = 1_000;
const FINALISED_OPS = 10_000;

/** The case an operation commits, and how to hand back what making it took (a creation's number) if it does not. */
interface CaseMaker {
  make(): Promise<Case>;
  abandon?(): Promise<void>;
}

export class ElasticsearchCaseStore implements CaseStore {
  private readonly client: Client;
  private readonly prefix: string;
  private readonly names: IndexNames;
  private readonly attachments: ChildKind;
  private readonly userActions: ChildKind;
  private readonly scanPageSize: number;
  private readonly replicas: number | undefined;
  private readonly leaseMs: number;
  private installed: Promise<void> | null = null;
  private readonly writes = new KeyedQueue();
  private readonly numbers: CaseNumbers;
  /** Case heads read or committed a moment ago: where the update that usually follows starts from. */
  private readonly recentHeads = new RecentMemory<CaseHead>({ maxEntries: RECENT_HEADS, maxAgeMs: RECENT_HEAD_MS });
  /** Operations whose children this replica finalised itself: rolling them forward again would read them for nothing. */
  private readonly finalisedOps = new RecentMemory<true>({ maxEntries: FINALISED_OPS });
  readonly outbox: ElasticsearchOutbox;
  readonly requestClaims: ElasticsearchRequestClaims;
  readonly digestSchedules: ElasticsearchDigestSchedules;
  readonly installations: ElasticsearchInstallations;

  constructor(options: ElasticsearchCaseStoreOptions) {
    this.client = options.client;
    this.prefix = options.indexPrefix;
    this.names = indexNames(options.indexPrefix);
    this.attachments = attachmentKind(this.names.attachments);
    this.userActions = userActionKind(this.names.userActions);
    this.scanPageSize = options.scanPageSize ?? DEFAULT_SCAN_PAGE_SIZE;
    this.replicas = options.replicas;
    this.leaseMs = options.pendingLeaseMs ?? DEFAULT_LEASE_MS;
    this.numbers = new CaseNumbers(this.client, this.names.counters);
    this.outbox = new ElasticsearchOutbox(this.client, this.names, this.leaseMs);
    this.requestClaims = new ElasticsearchRequestClaims(this.client, this.names.requestClaims);
    this.digestSchedules = new ElasticsearchDigestSchedules(this.client, this.names.digestSchedules);
    this.installations = new ElasticsearchInstallations(this.client, this.names.installations);
  }

  get indices(): IndexNames {
    return this.names;
  }

  /** Installs templates and indices, then repairs what crashed writers left. Runs once; a failure lets the next call retry. */
  async init(): Promise<void> {
    this.installed ??= this.guard(async () => {
      await installIndices(this.client, { prefix: this.prefix, names: this.names, replicas: this.replicas });
      await this.repair();
    }).catch((error: unknown) => {
      this.installed = null;
      throw error;
    });
    return this.installed;
  }

  /** Reachable, installed and no red index; answers within a few seconds and never throws (it feeds /healthz). */
  async health(): Promise<StoreHealth> {
    try {
      const quick = { requestTimeout: HEALTH_TIMEOUT_MS, maxRetries: 0 };
      const indices = allIndices(this.names);
      // Cluster first, without retries: an unreachable cluster should not cost init()'s retries and backoff.
      await this.client.cluster.health({}, quick);
      await this.init();
      if (!(await this.client.indices.exists({ index: indices }, quick))) return { ok: false, reason: `caseops indices missing (${indices.join(', ')})` };
      const health = await this.client.cluster.health({ index: indices }, quick);
      if (health.status === 'red') return { ok: false, reason: 'caseops indices are red: a primary shard is unassigned' };
      return { ok: true };
    } catch (error) {
      const mapped = toStoreError(error);
      return { ok: false, reason: mapped instanceof StoreUnavailableError ? mapped.reason : String(mapped) };
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Settles pending records older than `olderThanMs` (default: the lease). See "Repair" at the top of this file. */
  async repair(options: { olderThanMs?: number } = {}): Promise<RepairReport> {
    return this.guard(() => repairPending(this.client, this.names, [this.userActions, this.attachments], options.olderThanMs ?? this.leaseMs));
  }

  async createCase(draft: UnnumberedCase, write: CaseWrite = {}): Promise<{ case: Case; created: boolean }> {
    return this.guard(() => this.create(draft, write));
  }

  async updateCase(next: Case, expectedVersion: number, write: CaseWrite = {}): Promise<Case> {
    return this.writes.run(next.id, () =>
      this.guard(async () => {
        for (let restart = 0; restart < MAX_RESTARTS; restart += 1) {
          // The head this replica read or wrote a moment ago (a use-case reads the case, then changes it) saves
          // reading it again; if the case moved since, the commit is refused and the case is read as it is now.
          const recent = restart === 0 ? this.recentHeads.take(next.id) : undefined;
          const head = recent && committedCase(recent)?.version === expectedVersion ? recent : await this.readHead(next.id);
          const current = committedCase(head);
          if (!head || !current || current.version !== expectedVersion) throw new VersionConflictError(next.id);
          await this.rollForward(current);
          const operation = this.operation(next, expectedVersion, current.commit.since_version);
          const updated: Case = { ...next, version: expectedVersion + 1 };
          const result = await this.runOperation(operation, head, { make: async () => updated }, write);
          if (result === 'conflict' && head !== recent) throw new VersionConflictError(next.id);
          if (result !== 'restart' && result !== 'conflict') return result;
        }
        throw new VersionConflictError(next.id);
      }),
    );
  }

  /**
   * An import that overwrites: the case becomes a new generation (commit.since_version = its new version), so
   * everything it had stops being visible in the same commit that makes the new children visible. The old
   * generation's documents are deleted afterwards; any left (a crash, a search that missed a just-written one)
   * stay invisible and give their ids up to the new generation (staging.ts).
   */
  async replaceCase(theCase: UnnumberedCase, write: CaseWrite = {}): Promise<Case> {
    return this.writes.run(theCase.id, () =>
      this.guard(async () => {
        for (let attempt = 0; attempt < MAX_RESTARTS; attempt += 1) {
          const head = await this.readHead(theCase.id);
          const current = committedCase(head);
          if (!head || !current) {
            const created = await this.create(theCase, write);
            if (created.created) return created.case;
            continue; // created meanwhile by someone else: replace that
          }
          if (current.team_id !== theCase.teamId) throw new Error(`case ${theCase.id} belongs to another team`);
          await this.rollForward(current);
          const operation = this.operation(theCase, current.version, current.version + 1);
          const replaced: Case = { ...theCase, number: current.number, version: current.version + 1 };
          // 'conflict': written in between; an overwrite is unconditional, so overwrite that too.
          const result = await this.runOperation(operation, head, { make: async () => replaced }, write);
          if (result === 'conflict' || result === 'restart') continue;
          await dropPreviousGenerations(this.client, [this.attachments, this.userActions], theCase.teamId, theCase.id, operation).catch(() => undefined);
          return result;
        }
        throw new VersionConflictError(theCase.id);
      }),
    );
  }

  async getCase(teamId: string, ref: CaseRef): Promise<Case | null> {
    return this.guard(async () => {
      if ('id' in ref) {
        const current = committedCase(await this.readHead(ref.id));
        return current && current.team_id === teamId ? caseFromSource(current) : null;
      }
      const id = await caseIdOfNumber(this.client, this.names.counters, teamId, ref.number);
      if (id !== null) {
        const current = committedCase(await this.readHead(id));
        return current && current.team_id === teamId && current.number === ref.number ? caseFromSource(current) : null;
      }
      // No record of the number: none was given, or the case was numbered before records were kept.
      const response = await this.client.search<CommittedCaseSource>({
        index: this.names.cases,
        query: { bool: { filter: [...teamCases(teamId), { term: { number: ref.number } }] } },
        size: 1,
        ...(await freshSearch(this.client, this.names.cases, teamId)),
      });
      const source = response.hits.hits[0]?._source;
      return source ? caseFromSource(source) : null;
    });
  }

  async listPrivateChannelIds(teamId: string): Promise<string[]> {
    return this.guard(async () => {
      const channels: string[] = [];
      const routing = await freshSearch(this.client, this.names.cases, teamId);
      let after: Record<string, estypes.FieldValue> | undefined;
      // A composite aggregation pages through every channel, however many there are.
      for (;;) {
        const response = await this.client.search<unknown, { channels: estypes.AggregationsCompositeAggregate }>({
          index: this.names.cases,
          size: 0,
          query: { bool: { filter: [...teamCases(teamId), { term: { is_private: true } }] } },
          aggs: { channels: { composite: { size: 1000, sources: [{ channel: { terms: { field: 'channel_id' } } }], ...(after ? { after } : {}) } } },
          ...routing,
        });
        const aggregate = response.aggregations?.channels;
        const buckets = (aggregate?.buckets ?? []) as estypes.AggregationsCompositeBucket[];
        channels.push(...buckets.map((bucket) => String(bucket.key.channel)));
        if (!aggregate?.after_key || buckets.length === 0) return channels;
        after = aggregate.after_key;
      }
    });
  }

  async findCases(query: CaseQuery): Promise<CasePage> {
    return this.guard(async () => {
      const routing = await freshSearch(this.client, this.names.cases, query.teamId);
      const response = await this.client.search<CommittedCaseSource>({ ...findCasesRequest(this.names.cases, query), ...routing });
      const total = response.hits.total;
      return {
        cases: response.hits.hits.map((hit) => caseFromSource(hit._source!)),
        total: typeof total === 'number' ? total : (total?.value ?? 0),
      };
    });
  }

  /**
   * Every case the query matches, by number, a page at a time, over one point in time: an export reads the
   * team as it was when it began, at any depth (search_after, where offset paging stops at max_result_window).
   */
  async *scanCases(query: CaseScan): AsyncGenerator<Case[]> {
    try {
      const routing = await freshSearch(this.client, this.names.cases, query.teamId);
      const pages = scan<CommittedCaseSource>(this.client, this.names.cases, casesQuery(query), { sort: [{ number: 'asc' }], size: this.scanPageSize, ...routing });
      for await (const hits of pages) yield hits.map((hit) => caseFromSource(hit._source!));
    } catch (error) {
      throw toStoreError(error);
    }
  }

  async listUserActions(caseId: string, options: { limit: number }): Promise<UserAction[]> {
    return this.guard(async () => {
      const head = await this.readHead(caseId);
      const current = committedCase(head);
      if (!current) return [];
      const routing = await freshSearch(this.client, this.userActions.index, current.team_id);
      return listVisibleChildren<UserAction>(this.client, this.userActions, caseId, generationOf(head), current.commit.user_action_ids, options, routing);
    });
  }

  async listAttachments(caseId: string, options: { limit: number; offset?: number; types?: Attachment['type'][] }): Promise<Attachment[]> {
    return this.guard(async () => {
      const head = await this.readHead(caseId);
      const current = committedCase(head);
      if (!current) return [];
      const routing = await freshSearch(this.client, this.attachments.index, current.team_id);
      return listVisibleChildren<Attachment>(this.client, this.attachments, caseId, generationOf(head), current.commit.attachment_ids, options, routing);
    });
  }

  async listChildren(teamId: string, caseIds: readonly string[]): Promise<Map<string, CaseChildren>> {
    return this.guard(async () => {
      // Not remembered as recent heads: an export's reads would crowd out the heads its writers use.
      const heads = await readDocuments<CaseSource>(this.client, this.names.cases, caseIds);
      const cases = [...heads].flatMap(([caseId, head]) => {
        const current = committedCase(head);
        return current?.team_id === teamId ? [{ caseId, generation: generationOf(head), commit: current.commit }] : [];
      });
      if (cases.length === 0) return new Map();
      const read = async <T extends ChildBody>(kind: ChildKind, latestIds: (commit: CommittedCaseSource['commit']) => readonly string[]) => {
        const routing = await freshSearch(this.client, kind.index, teamId);
        const refs = cases.map(({ caseId, generation, commit }) => ({ caseId, generation, latestIds: latestIds(commit) }));
        return listVisibleChildrenOfCases<T>(this.client, kind, refs, routing);
      };
      const [attachments, userActions] = await Promise.all([
        read<Attachment>(this.attachments, (commit) => commit.attachment_ids),
        read<UserAction>(this.userActions, (commit) => commit.user_action_ids),
      ]);
      return new Map(cases.map(({ caseId }) => [caseId, { attachments: attachments.get(caseId) ?? [], userActions: userActions.get(caseId) ?? [] }]));
    });
  }

  async getAttachment(caseId: string, attachmentId: string): Promise<Attachment | null> {
    return this.guard(async () => {
      const generation = generationOf(await this.readHead(caseId));
      return getVisibleChild<Attachment>(this.client, this.attachments, caseId, attachmentId, generation);
    });
  }

  async findMessageAttachments(teamId: string, channelId: string, ts: string): Promise<MessageAttachment[]> {
    return this.guard(async () => {
      const key = messageKey(teamId, channelId, ts);
      const routing = await freshSearch(this.client, this.attachments.index, teamId);
      const found = await findVisibleChildren<Attachment>(
        this.client,
        this.attachments,
        this.names.cases,
        { term: { message_key: key } },
        // The key indexes pending bodies too; the visible body must be the one that snapshots the message.
        (attachment) => messageKeyOf(attachment) === key,
        routing,
      );
      return found.map((attachment) => ({ caseId: attachment.caseId, attachment }));
    });
  }

  async saveDraft(draft: Draft): Promise<void> {
    return this.guard(() => saveDraft(this.client, this.names.drafts, draft));
  }

  async getDraft(id: string): Promise<Draft | null> {
    return this.guard(() => getDraft(this.client, this.names.drafts, id));
  }

  /**
   * createCase without the error mapping: also the creating half of replaceCase. Most ids are free, so the first
   * attempt neither reads nor claims the id: it stages, and the create of the case document commits (and fails if
   * anything holds the id). What holds it decides the next attempt: a case is returned as it is; a twin request
   * (a double submit, a retried event) under way is waited for; an abandoned claim or a fence is taken over with a
   * claim of this creation, over which it then commits.
   */
  private async create(draft: UnnumberedCase, write: CaseWrite): Promise<{ case: Case; created: boolean }> {
    let holder: CaseHead | null = null;
    for (let attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt += 1) {
      const existing = committedCase(holder);
      if (existing) return { case: caseFromSource(existing), created: false };
      if (holder && !this.abandoned(holder)) {
        await sleep(backoffDelay(attempt, 10));
        holder = await this.readHead(draft.id);
        continue;
      }
      const operation = this.operation(draft, 0, 1);
      // The number is taken beside staging (one round trip fewer); a creation that does not commit hands it back.
      const numbered: CaseMaker = {
        make: async () => ({ ...draft, number: await this.numbers.allocate(draft.teamId, operation.op), version: 1 }),
        abandon: () => this.numbers.release(draft.teamId, operation.op),
      };
      if (!holder) {
        // VersionConflictError: a twin's children, staged and not committed yet, hold ids this creation stages.
        const created = await this.runOperation(operation, null, numbered, write).catch((error: unknown) => {
          if (error instanceof VersionConflictError) return sleep(backoffDelay(attempt, 10)).then(() => 'conflict' as const);
          throw error;
        });
        if (created !== 'conflict' && created !== 'restart') return { case: created, created: true };
      } else {
        const claim = await this.claim(operation, holder);
        if ('heldBy' in claim) {
          holder = claim.heldBy;
          continue;
        }
        try {
          const created = await this.runOperation(operation, claim, numbered, write);
          // 'conflict': our claim was taken over as abandoned; whoever took it decides what the case becomes.
          if (created !== 'conflict' && created !== 'restart') return { case: created, created: true };
        } catch (error) {
          // Free the id at once rather than make a retry wait for the lease (conditional: a no-op if we committed).
          await fence(this.client, this.names.cases, claim).catch(() => undefined);
          throw error;
        }
      }
      holder = await this.readHead(draft.id);
    }
    throw new VersionConflictError(draft.id);
  }

  /**
   * Steps 3–5 of the protocol: stage, commit over `head` the case `maker` makes (no head: create the case
   * document), finalise. 'conflict': the case document changed since `head` was read (or something holds the id
   * being created); 'restart': staging fenced the case to clear an abandoned record. In
   * both, nothing of this operation stays.
   */
  private async runOperation(operation: Operation, head: CaseHead | null, maker: CaseMaker, write: CaseWrite): Promise<Case | 'conflict' | 'restart'> {
    const effects = write.effects ?? [];
    const tails = committedCase(head)?.commit ?? {};
    // The children, the effects and the case (a creation's number) do not depend on each other: one round trip.
    const [children, chained, made] = await Promise.allSettled([stageChildren(this.stagingContext(), operation, write), this.outbox.stage(operation, tails, effects), maker.make()]);
    const undo = () =>
      Promise.all([
        children.status === 'fulfilled' ? rollBackQuietly(this.client, children.value) : undefined,
        chained.status === 'fulfilled' ? this.outbox.unstage(effects) : undefined,
        made.status === 'fulfilled' ? maker.abandon?.() : undefined,
      ]);
    if (children.status === 'rejected' || chained.status === 'rejected' || made.status === 'rejected') {
      // Staging children rolls back its own on failure; what else was done goes with it.
      await undo();
      if (children.status === 'rejected' && children.reason instanceof RestartOperation) return 'restart';
      throw ([children, chained, made].find((result) => result.status === 'rejected') as PromiseRejectedResult).reason;
    }
    const staged = children.value;
    const next = made.value;
    const commit = {
      op: operation.op,
      since_version: operation.since,
      attachment_ids: staged.filter((child) => child.kind === this.attachments).map((child) => child.source.id),
      user_action_ids: staged.filter((child) => child.kind === this.userActions).map((child) => child.source.id),
      ...chained.value,
    };
    const document = committedCaseSource(next, commit);
    try {
      const written = head
        ? await this.client.index({ index: this.names.cases, id: next.id, document, if_seq_no: head.seqNo, if_primary_term: head.primaryTerm })
        : await this.client.create({ index: this.names.cases, id: next.id, document });
      this.recentHeads.remember(next.id, { id: next.id, source: document, ...sequenceOf(written) });
    } catch (error) {
      // After a lost response or a retried request, the case document itself says whether this operation committed.
      const landed = isFirstAttemptConflict(error) ? false : await this.readHead(next.id).then((after) => generationOf(after).op === operation.op, () => null);
      if (landed === null) throw error; // cannot tell: the repair pass settles the children once the cluster is back
      if (!landed) {
        await undo();
        if (isConflict(error)) return 'conflict';
        throw error;
      }
    }
    this.outbox.committed(next.id, tails, chained.value);
    write.onCommit?.(next);
    await this.afterCommit(operation, next, staged);
    return next;
  }

  /**
   * Step 5, in one bulk request: finalise the children, record a new case's number, and move the team's change
   * markers in every index the commit wrote. The use-case has happened by now: if finalising fails, the next writer
   * or the repair pass redoes it (readers see the children meanwhile); if marking fails, searches see the change at
   * the next scheduled refresh; a case left without its number record is found by number with a search. None of
   * them may turn a success into an error.
   */
  private async afterCommit(operation: Operation, committed: Case, staged: readonly StoredChild[]): Promise<void> {
    const batch = new BulkBatch();
    addSettlements(batch, staged, []);
    const written = [this.names.cases, ...staged.map((child) => child.kind.index)];
    if (operation.baseVersion === 0) {
      const record = numberRecordWrite(this.names.counters, committed.teamId, committed.number, committed.id);
      batch.add(record.operation, record.document);
    }
    addChangeMarkers(batch, written, committed.teamId);
    const items = await batch.run(this.client).catch(() => null);
    if (items?.every((item) => item.status < 300)) this.finalisedOps.remember(operation.op, true);
  }

  /** Step 2: finalise what the case's last commit staged, if its writer did not get to it. */
  private async rollForward(current: CommittedCaseSource): Promise<void> {
    if (this.finalisedOps.has(current.commit.op)) return; // this replica finalised it right after committing it
    const refs = [
      ...current.commit.attachment_ids.map((id) => ({ kind: this.attachments, id })),
      ...current.commit.user_action_ids.map((id) => ({ kind: this.userActions, id })),
    ];
    const children = (await readChildren(this.client, refs)).filter(
      (child): child is StoredChild => child?.source.pending?.op === current.commit.op,
    );
    await settleChildren(this.client, children, []);
  }

  /**
   * Takes the case id over for this creation from an abandoned claim or a fence. `heldBy`: lost the race to whatever
   * holds the id now (null: nothing any more).
   */
  private async claim(operation: Operation, abandoned: CaseHead): Promise<CaseHead | { heldBy: CaseHead | null }> {
    const id = operation.caseId;
    const document = claimSource(operation.op, operation.at);
    try {
      const response = await this.client.index({ index: this.names.cases, id, document, if_seq_no: abandoned.seqNo, if_primary_term: abandoned.primaryTerm });
      return { id, source: document, ...sequenceOf(response) };
    } catch (error) {
      if (!isConflict(error)) throw error;
      const current = await this.readHead(id);
      // Our own claim, written by a request the client repeated.
      if (current?.source.state === 'pending' && current.source.pending.op === operation.op) return current;
      return { heldBy: current };
    }
  }

  /** Whether a creation may take the id over from what holds it: a fence, or a claim older than the lease. */
  private abandoned(head: CaseHead): boolean {
    if (head.source.state === 'fenced') return true;
    return head.source.state === 'pending' && Date.now() - Date.parse(head.source.pending.at) > this.leaseMs;
  }

  private operation(theCase: Pick<Case, 'id' | 'teamId'>, baseVersion: number, since: number): Operation {
    return { op: randomUUID(), caseId: theCase.id, teamId: theCase.teamId, baseVersion, since, at: new Date() };
  }

  private stagingContext(): StagingContext {
    return {
      client: this.client,
      casesIndex: this.names.cases,
      attachments: this.attachments,
      userActions: this.userActions,
      leaseMs: this.leaseMs,
    };
  }

  private async readHead(caseId: string): Promise<CaseHead | null> {
    const head = await readDocument<CaseSource>(this.client, this.names.cases, caseId);
    if (head) this.recentHeads.remember(caseId, head);
    return head;
  }

  /** Every public method: availability problems become StoreUnavailableError, everything else stays as it is. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toStoreError(error);
    }
  }
}

