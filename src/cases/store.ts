import type { Attachment, Case, CaseRef, Severity, Status, UserAction } from './model';
import type { DigestSchedules } from './digest';
import type { InstallationRecords } from './installations';
import type { EffectDraft, OutboxStore } from './outbox';
import type { RequestClaims } from './request-claims';

/**
 * The CaseStore port: the only way cases are persisted. Every store (SQLite, Elasticsearch) passes the same
 * contract suite in tests/contract/. Each write method is one use-case and is atomic: the case, its user
 * actions and its attachments land together or not at all.
 */

export interface CaseQuery {
  teamId: string;
  statuses?: Status[];
  severities?: Severity[];
  tag?: string;
  assignee?: string;
  /**
   * Free text from a picker: matches the case whose number it is, or cases where every word of it is a
   * case-insensitive prefix of a word of the title.
   */
  search?: string;
  /** The case whose war room is this channel (cases/war-room.ts). */
  roomChannelId?: string;
  /** Only cases from these channels, or from public channels. `undefined` means no visibility filter (admins). */
  visibleTo?: { publicChannels: true; privateChannelIds: string[] };
  /** Newest activity first (the default), or by case number (stable while an export pages through). */
  orderBy?: 'activity' | 'number';
  limit: number;
  offset?: number;
}

/** What an export selects: a query without order or paging (a scan goes by number, to the end). */
export type CaseScan = Omit<CaseQuery, 'orderBy' | 'limit' | 'offset'>;

export interface CasePage {
  cases: Case[];
  total: number;
}

/** What a use-case writes besides the case itself; all of it lands with the case or none of it does. */
export interface CaseWrite {
  actions?: UserAction[];
  /** New attachments. An id that already exists makes the whole write fail with DuplicateAttachmentError. */
  addAttachments?: Attachment[];
  /** Attachments of this case replaced whole (an edited message's snapshot, say). */
  replaceAttachments?: Attachment[];
  /** What the change owes the outside world (outbox.ts), recorded with it: delivered if and only if it commits. */
  effects?: EffectDraft[];
  /**
   * Called once, as soon as this write has committed (a createCase that finds the case already there did not), with
   * the case as committed; before the store's own follow-up work (on Elasticsearch: finalising the children and
   * moving the search markers), so what waits on the commit, such as delivering its effects, starts beside it. Must
   * not throw.
   */
  onCommit?: (committed: Case) => void;
}

/**
 * Something captured now and completed later, such as a Slack message snapshot taken when a message
 * shortcut opens a modal and used when the modal is submitted (possibly on another replica).
 */
export interface Draft {
  id: string;
  teamId: string;
  data: Record<string, unknown>;
  expiresAt: string;
}

/** An event attachment found by the Slack message it snapshots. */
export interface MessageAttachment {
  caseId: string;
  attachment: Attachment;
}

/** A case's attachments and user actions, newest first. */
export interface CaseChildren {
  attachments: Attachment[];
  userActions: UserAction[];
}

export type StoreHealth = { ok: true } | { ok: false; reason: string };

/** A case as the service builds it before the store assigns its number. */
export type UnnumberedCase = Omit<Case, 'number' | 'version'>;

export interface CaseStore {
  /** Effects recorded by case writes, for the dispatcher. */
  readonly outbox: OutboxStore;
  /** Claims on requests under way (exports), shared by every replica on the store. */
  readonly requestClaims: RequestClaims;
  /** The channels that asked for a daily digest. */
  readonly digestSchedules: DigestSchedules;
  /** Where the app is installed, in OAuth distribution. */
  readonly installations: InstallationRecords;
  /** Prepare storage (schema migrations, index templates). Safe to call on every start. */
  init(): Promise<void>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;

  /**
   * Assigns the next case number of the team and writes the case with its user actions and attachments.
   * Idempotent: if a case with `draft.id` exists, returns it with `created: false` and writes nothing.
   */
  createCase(draft: UnnumberedCase, write?: CaseWrite): Promise<{ case: Case; created: boolean }>;
  /**
   * Writes `next` if the stored version is still `expectedVersion` (then stores version + 1), with what
   * `write` adds. Throws VersionConflictError otherwise.
   */
  updateCase(next: Case, expectedVersion: number, write?: CaseWrite): Promise<Case>;

  /**
   * Replaces the case with this id and everything that belonged to it (an import that overwrites) with
   * `theCase` and what `write` adds, atomically; a replaced case keeps its number, a new one gets the next.
   */
  replaceCase(theCase: UnnumberedCase, write?: CaseWrite): Promise<Case>;

  getCase(teamId: string, ref: CaseRef): Promise<Case | null>;
  /** Private channels that cases of the team come from: the candidates a viewer's membership is checked against. */
  listPrivateChannelIds(teamId: string): Promise<string[]>;
  findCases(query: CaseQuery): Promise<CasePage>;
  /**
   * Every case the query selects, by number, a page at a time (an export). Unlike findCases with an offset, its
   * cost per page does not grow with the depth, so it reaches the last of any number of cases.
   */
  scanCases(query: CaseScan): AsyncIterable<Case[]>;
  /** Newest first. */
  listUserActions(caseId: string, options: { limit: number }): Promise<UserAction[]>;
  /** Newest first. */
  listAttachments(caseId: string, options: { limit: number; offset?: number; types?: Attachment['type'][] }): Promise<Attachment[]>;
  /**
   * All the attachments and user actions of each of these cases of the team, newest first as listAttachments and
   * listUserActions give them, read together (an export reads every case's children: on Elasticsearch, reading
   * them case by case took several requests per case). Cases that do not exist, or are not the team's, are left out.
   */
  listChildren(teamId: string, caseIds: readonly string[]): Promise<Map<string, CaseChildren>>;
  getAttachment(caseId: string, attachmentId: string): Promise<Attachment | null>;
  /** Event attachments of any case of the team that snapshot the message (channel, ts). */
  findMessageAttachments(teamId: string, channelId: string, ts: string): Promise<MessageAttachment[]>;

  /** Saves (or replaces) a draft. */
  saveDraft(draft: Draft): Promise<void>;
  /** The draft if it exists and has not expired. */
  getDraft(id: string): Promise<Draft | null>;
}
