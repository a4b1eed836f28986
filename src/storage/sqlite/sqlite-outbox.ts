import type Database from 'better-sqlite3';
import { type Effect, type EffectDraft, type Lease, LeaseLostError, newEffect, type OutboxStore, type Settlement, attemptedEffect, settledEffect, streamOfEffect, streamOfOne } from '../../cases/outbox';

/** What the outbox needs of the store it lives in: its statements and its transactions. */
export interface SqliteAccess {
  prepared(sql: string): Database.Statement;
  write<T>(work: () => T): Promise<T>;
  read<T>(work: () => T): Promise<T>;
}

/**
 * The outbox in the case database (migration 5). Effects are inserted by the case write's own transaction
 * (`recordEffects`), so they exist exactly when the change does; `seq` orders a stream's effects. Leases live in
 * the same file, so replicas sharing it (or a second process started by mistake) never deliver a stream twice.
 */
export class SqliteOutbox implements OutboxStore {
  constructor(private readonly db: SqliteAccess) {}

  /** Inside a case write's transaction: each effect in its lane of the case (`streamOfEffect`). */
  recordEffects(drafts: readonly EffectDraft[], caseId: string, teamId: string): Effect[] {
    const at = new Date().toISOString();
    return drafts.map((draft) => this.insert(newEffect(draft, streamOfEffect(caseId, draft.kind), teamId, at)));
  }

  async recordAlone(teamId: string, draft: EffectDraft): Promise<Effect | null> {
    try {
      return await this.db.write(() => this.insert(newEffect(draft, streamOfOne(draft.id), teamId, new Date().toISOString())));
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') return null; // recorded before
      throw error;
    }
  }

  dueStreams(now: Date, limit: number): Promise<string[]> {
    return this.db.read(() =>
      (
        this.db
          .prepared(
            `SELECT o.stream FROM outbox o LEFT JOIN outbox_leases l ON l.stream = o.stream
             WHERE o.state = 'due' AND o.not_before <= @now AND (l.stream IS NULL OR l.expires_at <= @now)
             GROUP BY o.stream ORDER BY MIN(o.seq) LIMIT @limit`,
          )
          .all({ now: now.toISOString(), limit }) as { stream: string }[]
      ).map((row) => row.stream),
    );
  }

  acquireLease(stream: string, owner: string, now: Date, ttlMs: number): Promise<Lease | null> {
    return this.db.write(() => {
      const current = this.db.prepared('SELECT owner, expires_at, token FROM outbox_leases WHERE stream = ?').get(stream) as LeaseRow | undefined;
      if (current && current.owner !== owner && current.expires_at > now.toISOString()) return null;
      const token = String((current?.token ?? 0) + 1);
      const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
      this.db
        .prepared(
          `INSERT INTO outbox_leases (stream, owner, expires_at, token) VALUES (?, ?, ?, ?)
           ON CONFLICT (stream) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at, token = excluded.token`,
        )
        .run(stream, owner, expiresAt, Number(token));
      return { stream, owner, expiresAt, ttlMs, token };
    });
  }

  renewLease(lease: Lease, now: Date, ttlMs: number): Promise<Lease> {
    return this.db.write(() => {
      this.assertHeld(lease);
      const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
      this.db.prepared('UPDATE outbox_leases SET expires_at = ? WHERE stream = ?').run(expiresAt, lease.stream);
      return { ...lease, expiresAt };
    });
  }

  /**
   * Expires the lease rather than deleting it: the row keeps its token, so the next holder gets a higher one. A
   * deleted row would restart tokens at 1, and a replica still holding an old lease with token 1 (paused past its
   * expiry) would pass `assertHeld` again and deliver alongside the new holder.
   */
  async releaseLease(lease: Lease): Promise<void> {
    await this.db.write(() =>
      this.db.prepared('UPDATE outbox_leases SET expires_at = ? WHERE stream = ? AND token = ?').run(RELEASED, lease.stream, Number(lease.token)),
    );
  }

  pendingEffects(lease: Lease, limit: number): Promise<Effect[]> {
    return this.db.read(() =>
      (this.db.prepared(`SELECT doc FROM outbox WHERE stream = ? AND state = 'due' ORDER BY seq LIMIT ?`).all(lease.stream, limit) as { doc: string }[]).map(
        (row) => JSON.parse(row.doc) as Effect,
      ),
    );
  }

  startAttempt(lease: Lease, effect: Effect, now: Date): Promise<Effect> {
    return this.db.write(() => {
      this.assertHeld(lease);
      const attempted = attemptedEffect(effect, now);
      this.store(attempted);
      return attempted;
    });
  }

  async settle(lease: Lease, effect: Effect, settlement: Settlement, now: Date): Promise<void> {
    await this.db.write(() => {
      this.assertHeld(lease);
      this.store(settledEffect(effect, settlement, now));
    });
  }

  failedEffects(stream: string, limit: number): Promise<Effect[]> {
    return this.db.read(() =>
      (this.db.prepared(`SELECT doc FROM outbox WHERE stream = ? AND state = 'failed' ORDER BY seq DESC LIMIT ?`).all(stream, limit) as { doc: string }[]).map(
        (row) => JSON.parse(row.doc) as Effect,
      ),
    );
  }

  listEffects(stream: string): Promise<Effect[]> {
    return this.db.read(() =>
      (this.db.prepared('SELECT doc FROM outbox WHERE stream = ? ORDER BY seq').all(stream) as { doc: string }[]).map((row) => JSON.parse(row.doc) as Effect),
    );
  }

  pruneSettled(before: Date): Promise<number> {
    return this.db.write(() => this.db.prepared('DELETE FROM outbox WHERE settled_at < ?').run(before.toISOString()).changes);
  }

  private insert(effect: Effect): Effect {
    this.db
      .prepared('INSERT INTO outbox (id, stream, team_id, kind, state, not_before, doc) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(effect.id, effect.stream, effect.teamId, effect.kind, effect.state, effect.notBefore, JSON.stringify(effect));
    return effect;
  }

  private store(effect: Effect): void {
    this.db
      .prepared('UPDATE outbox SET state = ?, not_before = ?, settled_at = ?, doc = ? WHERE id = ?')
      .run(effect.state, effect.notBefore, effect.settledAt, JSON.stringify(effect), effect.id);
  }

  /** Inside a transaction: the lease is still this one (not expired and taken over by another replica). */
  private assertHeld(lease: Lease): void {
    const row = this.db.prepared('SELECT token FROM outbox_leases WHERE stream = ?').get(lease.stream) as { token: number } | undefined;
    if (!row || String(row.token) !== lease.token) throw new LeaseLostError(lease.stream);
  }
}

/** The expiry of a released lease: before any time, so the stream is free at once. */
const RELEASED = new Date(0).toISOString();

interface LeaseRow {
  owner: string;
  expires_at: string;
  token: number;
}
