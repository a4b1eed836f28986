import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DuplicateAttachmentError, StoreUnavailableError, VersionConflictError } from '../../cases/errors';
import type { Attachment, Case, CaseRef, UserAction } from '../../cases/model';
import { searchNumber, searchWords } from '../../cases/search-words';
import type { CaseChildren, CasePage, CaseQuery, CaseScan, CaseStore, CaseWrite, Draft, MessageAttachment, StoreHealth, UnnumberedCase } from '../../cases/store';
import { messageKey, messageKeyOf } from '../../cases/message-key';
import { migrate, titleWords } from './migrations';
import { type SqliteAccess, SqliteOutbox } from './sqlite-outbox';
import { SqliteDigestSchedules } from './sqlite-digest-schedules';
import { SqliteInstallations } from './sqlite-installations';
import { SqliteRequestClaims } from './sqlite-request-claims';
import { StatementCache } from './statement-cache';

export const DATABASE_FILE = 'caseops.sqlite';

/** SQLite codes that mean the database cannot be used as it is (as opposed to a bug in a statement). */
const UNAVAILABLE_CODES = /^SQLITE_(READONLY|CANTOPEN|FULL|IOERR|CORRUPT|NOTADB|PERM|BUSY|LOCKED|AUTH)/;
/** Cases per page of scanCases. */
const SCAN_PAGE_SIZE = 500;

/**
 * The embedded store: one SQLite file in WAL mode. better-sqlite3 is synchronous, so each use-case runs as
 * one IMMEDIATE transaction that no other write in this process can interleave with, and other processes
 * wait on SQLite's lock (busy_timeout).
 */
export class SqliteCaseStore implements CaseStore {
  private db: Database.Database | null = null;
  private statements: StatementCache | null = null;
  private failure: string | null = null;
  readonly outbox: SqliteOutbox;
  readonly requestClaims: SqliteRequestClaims;
  readonly digestSchedules: SqliteDigestSchedules;
  readonly installations: SqliteInstallations;

  constructor(private readonly dataDir: string) {
    const access: SqliteAccess = { prepared: (sql) => this.prepared(sql), write: (work) => this.write(work), read: (work) => this.read(work) };
    this.outbox = new SqliteOutbox(access);
    this.requestClaims = new SqliteRequestClaims(access);
    this.digestSchedules = new SqliteDigestSchedules(access);
    this.installations = new SqliteInstallations(access);
  }

  get file(): string {
    return path.join(this.dataDir, DATABASE_FILE);
  }

  async init(): Promise<void> {
    if (this.db) return;
    try {
      fs.mkdirSync(this.dataDir, { recursive: true });
      const db = new Database(this.file);
      try {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.pragma('foreign_keys = ON');
        db.pragma('busy_timeout = 5000');
        migrate(db);
        this.probeWrite(db);
      } catch (error) {
        db.close();
        throw error;
      }
      this.db = db;
      this.statements = new StatementCache(db);
      this.failure = null;
    } catch (error) {
      this.failure = `cannot open a writable SQLite database at ${this.file}: ${describe(error)}`;
      throw new StoreUnavailableError(this.failure);
    }
  }

  /** Healthy means writable right now: a case store that only reads would lose every change. */
  async health(): Promise<StoreHealth> {
    try {
      if (!this.db) await this.init();
      this.probeWrite(this.connection());
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: error instanceof StoreUnavailableError ? error.reason : describe(error) };
    }
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = null;
    this.statements = null;
  }

  async createCase(draft: UnnumberedCase, write: CaseWrite = {}): Promise<{ case: Case; created: boolean }> {
    return this.write(() => {
      const existing = this.prepared('SELECT doc, version FROM cases WHERE id = ?').get(draft.id) as CaseDocRow | undefined;
      if (existing) return { case: fromRow(existing), created: false };
      const created: Case = { ...draft, number: this.nextNumber(draft.teamId), version: 1 };
      this.insertCase(created);
      this.applyWrite(created, write);
      return { case: created, created: true };
    }).then(committed(write, (opened) => (opened.created ? opened.case : null)));
  }

  async updateCase(next: Case, expectedVersion: number, write: CaseWrite = {}): Promise<Case> {
    return this.write(() => {
      const updated: Case = { ...next, version: expectedVersion + 1 };
      const result = this.prepared(
          `UPDATE cases SET status = @status, severity = @severity, channel_id = @channelId, is_private = @isPrivate, room_channel_id = @roomChannelId,
             activity_at = @activityAt, version = @version, title_words = @titleWords, doc = @doc
           WHERE id = @id AND version = @expectedVersion`,
        )
        .run({ ...caseRow(updated), expectedVersion });
      if (result.changes !== 1) throw new VersionConflictError(next.id);
      this.replaceIndexes(updated);
      this.applyWrite(updated, write);
      return updated;
    }).then(committed(write, (updated) => updated));
  }

  async replaceCase(theCase: UnnumberedCase, write: CaseWrite = {}): Promise<Case> {
    return this.write(() => {
      const existing = this.prepared('SELECT number, version FROM cases WHERE id = ? AND team_id = ?').get(theCase.id, theCase.teamId) as
        | { number: number; version: number }
        | undefined;
      if (!existing) {
        this.insertCase({ ...theCase, number: this.nextNumber(theCase.teamId), version: 1 });
      } else {
        for (const table of ['attachments', 'user_actions']) this.prepared(`DELETE FROM ${table} WHERE case_id = ?`).run(theCase.id);
        const replaced: Case = { ...theCase, number: existing.number, version: existing.version + 1 };
        this.prepared(
          `UPDATE cases SET status = @status, severity = @severity, channel_id = @channelId, is_private = @isPrivate, room_channel_id = @roomChannelId,
             activity_at = @activityAt, version = @version, title_words = @titleWords, doc = @doc WHERE id = @id`,
        ).run(caseRow(replaced));
        this.replaceIndexes(replaced);
      }
      this.applyWrite(theCase, write);
      return fromRow(this.prepared('SELECT doc, version FROM cases WHERE id = ?').get(theCase.id) as CaseDocRow);
    }).then(committed(write, (replaced) => replaced));
  }

  async getCase(teamId: string, ref: CaseRef): Promise<Case | null> {
    return this.read(() => {
      const statement =
        'number' in ref
          ? this.prepared('SELECT doc, version FROM cases WHERE team_id = ? AND number = ?')
          : this.prepared('SELECT doc, version FROM cases WHERE team_id = ? AND id = ?');
      const row = statement.get(teamId, 'number' in ref ? ref.number : ref.id) as CaseDocRow | undefined;
      return row ? fromRow(row) : null;
    });
  }

  async listPrivateChannelIds(teamId: string): Promise<string[]> {
    return this.read(() =>
      (
        this.prepared('SELECT DISTINCT channel_id FROM cases WHERE team_id = ? AND is_private = 1')
          .all(teamId) as { channel_id: string }[]
      ).map((row) => row.channel_id),
    );
  }

  async findCases(query: CaseQuery): Promise<CasePage> {
    return this.read(() => {
      const params: Record<string, unknown> = { limit: query.limit, offset: query.offset ?? 0 };
      const clause = casesWhere(query, params);
      const total = (this.prepared(`SELECT COUNT(*) AS n FROM cases c WHERE ${clause}`).get(params) as { n: number }).n;
      const rows = this.prepared(`SELECT c.doc, c.version FROM cases c WHERE ${clause} ORDER BY ${query.orderBy === 'number' ? 'c.number ASC' : 'c.activity_at DESC, c.number DESC'} LIMIT @limit OFFSET @offset`)
        .all(params) as CaseDocRow[];
      return { cases: rows.map(fromRow), total };
    });
  }

  /** Keyset pages (number > the last one read), so each page costs the same at any depth. */
  async *scanCases(query: CaseScan): AsyncGenerator<Case[]> {
    for (let after = 0; ; ) {
      const page = await this.read(() => {
        const params: Record<string, unknown> = { after, limit: SCAN_PAGE_SIZE };
        const clause = casesWhere(query, params);
        return (this.prepared(`SELECT c.doc, c.version FROM cases c WHERE ${clause} AND c.number > @after ORDER BY c.number ASC LIMIT @limit`).all(params) as CaseDocRow[]).map(fromRow);
      });
      if (page.length > 0) yield page;
      if (page.length < SCAN_PAGE_SIZE) return;
      after = page[page.length - 1]!.number;
    }
  }

  async listUserActions(caseId: string, options: { limit: number }): Promise<UserAction[]> {
    return this.read(() =>
      (
        this.prepared('SELECT doc FROM user_actions WHERE case_id = ? ORDER BY seq DESC LIMIT ?')
          .all(caseId, options.limit) as { doc: string }[]
      ).map((row) => JSON.parse(row.doc) as UserAction),
    );
  }

  async listAttachments(caseId: string, options: { limit: number; offset?: number; types?: Attachment['type'][] }): Promise<Attachment[]> {
    return this.read(() => {
      const where = ['case_id = @caseId'];
      const params: Record<string, unknown> = { caseId, limit: options.limit, offset: options.offset ?? 0 };
      addInFilter(where, params, 'type', 'type', options.types);
      return (
        this.prepared(`SELECT doc FROM attachments WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT @limit OFFSET @offset`)
          .all(params) as { doc: string }[]
      ).map((row) => JSON.parse(row.doc) as Attachment);
    });
  }

  async listChildren(teamId: string, caseIds: readonly string[]): Promise<Map<string, CaseChildren>> {
    return this.read(() => {
      const children = new Map<string, CaseChildren>();
      const ofTeam = this.prepared('SELECT 1 FROM cases WHERE id = ? AND team_id = ?');
      const attachments = this.prepared('SELECT doc FROM attachments WHERE case_id = ? ORDER BY seq DESC');
      const userActions = this.prepared('SELECT doc FROM user_actions WHERE case_id = ? ORDER BY seq DESC');
      const docs = <T>(rows: unknown[]) => (rows as { doc: string }[]).map((row) => JSON.parse(row.doc) as T);
      for (const caseId of caseIds) {
        if (children.has(caseId) || !ofTeam.get(caseId, teamId)) continue;
        children.set(caseId, { attachments: docs<Attachment>(attachments.all(caseId)), userActions: docs<UserAction>(userActions.all(caseId)) });
      }
      return children;
    });
  }

  async getAttachment(caseId: string, attachmentId: string): Promise<Attachment | null> {
    return this.read(() => {
      const row = this.prepared('SELECT doc FROM attachments WHERE id = ? AND case_id = ?').get(attachmentId, caseId) as
        | { doc: string }
        | undefined;
      return row ? (JSON.parse(row.doc) as Attachment) : null;
    });
  }

  async findMessageAttachments(teamId: string, channelId: string, ts: string): Promise<MessageAttachment[]> {
    return this.read(() =>
      (
        this.prepared('SELECT case_id, doc FROM attachments WHERE message_key = ? ORDER BY seq')
          .all(messageKey(teamId, channelId, ts)) as { case_id: string; doc: string }[]
      ).map((row) => ({ caseId: row.case_id, attachment: JSON.parse(row.doc) as Attachment })),
    );
  }

  async saveDraft(draft: Draft): Promise<void> {
    await this.write(() => {
      // Expired drafts are swept as new ones arrive, so the table stays small without a timer.
      this.prepared('DELETE FROM drafts WHERE expires_at < ?').run(new Date().toISOString());
      this.prepared(
        `INSERT INTO drafts (id, team_id, data, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET team_id = excluded.team_id, data = excluded.data, expires_at = excluded.expires_at`,
      ).run(draft.id, draft.teamId, JSON.stringify(draft.data), draft.expiresAt);
    });
  }

  async getDraft(id: string): Promise<Draft | null> {
    return this.read(() => {
      const row = this.prepared('SELECT id, team_id, data, expires_at FROM drafts WHERE id = ? AND expires_at >= ?').get(id, new Date().toISOString()) as
        | { id: string; team_id: string; data: string; expires_at: string }
        | undefined;
      return row ? { id: row.id, teamId: row.team_id, data: JSON.parse(row.data) as Record<string, unknown>, expiresAt: row.expires_at } : null;
    });
  }

  private connection(): Database.Database {
    if (!this.db) throw this.notOpen();
    return this.db;
  }

  /** The statement for `sql` on the open connection, prepared once. */
  private prepared(sql: string): Database.Statement {
    if (!this.statements) throw this.notOpen();
    return this.statements.get(sql);
  }

  private notOpen(): StoreUnavailableError {
    return new StoreUnavailableError(this.failure ?? 'the SQLite store is not open');
  }

  private nextNumber(teamId: string): number {
    const row = this.prepared(
        `INSERT INTO case_numbers (team_id, last_number) VALUES (?, 1)
         ON CONFLICT (team_id) DO UPDATE SET last_number = last_number + 1
         RETURNING last_number`,
      )
      .get(teamId) as { last_number: number };
    return row.last_number;
  }

  private insertCase(theCase: Case): void {
    this.prepared(
        `INSERT INTO cases (id, team_id, number, status, severity, channel_id, is_private, room_channel_id, activity_at, version, title_words, doc)
         VALUES (@id, @teamId, @number, @status, @severity, @channelId, @isPrivate, @roomChannelId, @activityAt, @version, @titleWords, @doc)`,
      )
      .run(caseRow(theCase));
    this.replaceIndexes(theCase);
  }

  private probeWrite(db: Database.Database): void {
    db.prepare(`INSERT INTO meta (key, value) VALUES ('health_probe', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(
      new Date().toISOString(),
    );
  }

  private replaceIndexes(theCase: Case): void {
    this.prepared('DELETE FROM case_tags WHERE case_id = ?').run(theCase.id);
    this.prepared('DELETE FROM case_assignees WHERE case_id = ?').run(theCase.id);
    const insertTag = this.prepared('INSERT INTO case_tags (case_id, tag) VALUES (?, ?)');
    for (const tag of new Set(theCase.tags)) insertTag.run(theCase.id, tag);
    const insertAssignee = this.prepared('INSERT INTO case_assignees (case_id, user_id) VALUES (?, ?)');
    for (const userId of new Set(theCase.assignees)) insertAssignee.run(theCase.id, userId);
  }

  private applyWrite(theCase: Pick<Case, 'id' | 'teamId'>, write: CaseWrite): void {
    const insertAction = this.prepared('INSERT INTO user_actions (id, case_id, doc) VALUES (?, ?, ?)');
    for (const action of write.actions ?? []) insertAction.run(action.id, action.caseId, JSON.stringify(action));
    const exists = this.prepared('SELECT 1 FROM attachments WHERE id = ?');
    const insertAttachment = this.prepared('INSERT INTO attachments (id, case_id, type, message_key, doc) VALUES (?, ?, ?, ?, ?)');
    for (const attachment of write.addAttachments ?? []) {
      // Throwing inside the transaction rolls back everything this use-case wrote.
      if (exists.get(attachment.id)) throw new DuplicateAttachmentError(attachment.id);
      insertAttachment.run(attachment.id, attachment.caseId, attachment.type, messageKeyOf(attachment), JSON.stringify(attachment));
    }
    const replaceAttachment = this.prepared('UPDATE attachments SET type = ?, message_key = ?, doc = ? WHERE id = ? AND case_id = ?');
    for (const attachment of write.replaceAttachments ?? []) {
      const result = replaceAttachment.run(attachment.type, messageKeyOf(attachment), JSON.stringify(attachment), attachment.id, attachment.caseId);
      if (result.changes !== 1) throw new Error(`attachment ${attachment.id} is not on case ${attachment.caseId}`);
    }
    // Last: a duplicate attachment above is the use-case's "already done", and must be found before the effects'
    // ids (derived from it, for a chart's upload) are.
    this.outbox.recordEffects(write.effects ?? [], theCase.id, theCase.teamId);
  }

  /** One IMMEDIATE transaction per use-case; storage failures become StoreUnavailableError. */
  private write<T>(work: () => T): Promise<T> {
    return this.guard(() => this.connection().transaction(work).immediate());
  }

  private read<T>(work: () => T): Promise<T> {
    return this.guard(work);
  }

  private async guard<T>(work: () => T): Promise<T> {
    try {
      return work();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) throw new StoreUnavailableError(describe(error));
      throw error;
    }
  }
}

interface CaseDocRow {
  doc: string;
  version: number;
}

function fromRow(row: CaseDocRow): Case {
  return { ...(JSON.parse(row.doc) as Case), version: row.version };
}

function caseRow(theCase: Case) {
  return {
    id: theCase.id,
    teamId: theCase.teamId,
    number: theCase.number,
    status: theCase.status,
    severity: theCase.severity,
    channelId: theCase.origin.channelId,
    isPrivate: theCase.origin.isPrivate ? 1 : 0,
    roomChannelId: theCase.room?.channelId ?? null,
    activityAt: theCase.updatedAt ?? theCase.createdAt,
    version: theCase.version,
    titleWords: titleWords(theCase.title),
    doc: JSON.stringify(theCase),
  };
}

/** The WHERE clause of a case query (alias `c`), its values added to `params`. */
function casesWhere(query: CaseScan, params: Record<string, unknown>): string {
  const where = ['c.team_id = @teamId'];
  params.teamId = query.teamId;
  addInFilter(where, params, 'c.status', 'status', query.statuses);
  addInFilter(where, params, 'c.severity', 'severity', query.severities);
  if (query.tag !== undefined) {
    where.push('EXISTS (SELECT 1 FROM case_tags t WHERE t.case_id = c.id AND t.tag = @tag)');
    params.tag = query.tag;
  }
  if (query.assignee !== undefined) {
    where.push('EXISTS (SELECT 1 FROM case_assignees a WHERE a.case_id = c.id AND a.user_id = @assignee)');
    params.assignee = query.assignee;
  }
  if (query.search !== undefined) {
    where.push(searchClause(params, query.search));
  }
  if (query.roomChannelId !== undefined) {
    where.push('c.room_channel_id = @roomChannelId');
    params.roomChannelId = query.roomChannelId;
  }
  if (query.visibleTo) {
    const channels: string[] = [];
    addInFilter(channels, params, 'c.channel_id', 'channel', query.visibleTo.privateChannelIds);
    where.push(`(c.is_private = 0${channels.length ? ` OR ${channels[0]}` : ''})`);
  }
  return where.join(' AND ');
}

/** The case with that number, or cases whose title words start with every word searched. */
function searchClause(params: Record<string, unknown>, search: string): string {
  const words = searchWords(search);
  const number = searchNumber(search);
  const clauses: string[] = [];
  if (number !== undefined) {
    params.searchNumber = number;
    clauses.push('c.number = @searchNumber');
  }
  if (words.length > 0) {
    // Words hold only letters and digits, so they need no LIKE escaping.
    words.forEach((word, index) => {
      params[`searchWord${index}`] = `% ${word}%`;
    });
    clauses.push(`(${words.map((_, index) => `c.title_words LIKE @searchWord${index}`).join(' AND ')})`);
  }
  return clauses.length ? `(${clauses.join(' OR ')})` : '1';
}

/** Adds `column IN (@name0, @name1, …)` with bound parameters; nothing when `values` is undefined. */
function addInFilter(where: string[], params: Record<string, unknown>, column: string, name: string, values?: readonly string[]): void {
  if (values === undefined) return;
  if (values.length === 0) {
    where.push('0');
    return;
  }
  const names = values.map((value, index) => {
    params[`${name}${index}`] = value;
    return `@${name}${index}`;
  });
  where.push(`${column} IN (${names.join(', ')})`);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/** Tells the write's onCommit what its transaction committed (`caseOf`: null when it committed nothing), then passes the result on. */
function committed<T>(write: CaseWrite, caseOf: (result: T) => Case | null): (result: T) => T {
  return (result) => {
    const theCase = caseOf(result);
    if (theCase) write.onCommit?.(theCase);
    return result;
  };
}
