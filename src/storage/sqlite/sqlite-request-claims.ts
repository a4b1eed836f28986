import { type Claim, CLAIM_LINGER_MS, type ClaimOutcome, decideClaim, finishedClaim, releasableBy, type RequestClaims } from '../../cases/request-claims';
import type { SqliteAccess } from './sqlite-outbox';

/**
 * Request claims in the case database (migration 6): each `begin`, `finish` and `release` is one IMMEDIATE transaction, so
 * processes sharing the file see one another's claims and two concurrent requests cannot both start.
 */
export class SqliteRequestClaims implements RequestClaims {
  constructor(private readonly db: SqliteAccess) {}

  begin(key: string, triggerId: string, now: Date): Promise<ClaimOutcome> {
    return this.db.write(() => {
      // Claims past their linger answer nothing any more: dropping them here keeps the table to the few under way.
      this.db.prepared('DELETE FROM request_claims WHERE finished_at < ?').run(new Date(now.getTime() - CLAIM_LINGER_MS).toISOString());
      const decision = decideClaim(this.read(key), triggerId, now);
      if (decision.outcome !== 'redelivered') this.store(key, decision.claim);
      return decision.outcome;
    });
  }

  async finish(key: string, triggerId: string, now: Date): Promise<void> {
    await this.db.write(() => {
      const finished = finishedClaim(this.read(key), triggerId, now);
      if (finished) this.store(key, finished);
    });
  }

  async release(key: string, triggerId: string): Promise<void> {
    await this.db.write(() => {
      if (releasableBy(this.read(key), triggerId)) this.db.prepared('DELETE FROM request_claims WHERE key = ?').run(key);
    });
  }

  private read(key: string): Claim | null {
    const row = this.db.prepared('SELECT doc FROM request_claims WHERE key = ?').get(key) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Claim) : null;
  }

  private store(key: string, claim: Claim): void {
    this.db
      .prepared('INSERT INTO request_claims (key, finished_at, doc) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET finished_at = excluded.finished_at, doc = excluded.doc')
      .run(key, claim.finishedAt, JSON.stringify(claim));
  }
}
