import type Database from 'better-sqlite3';

/**
 * Prepared statements by SQL text, so each is compiled once per connection instead of on every call
 * (preparing was a tenth of a millisecond per query). Bounded, least recently used out first: filters with
 * value lists (private channels, statuses) make SQL texts of their own.
 */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly capacity = 256,
  ) {}

  get(sql: string): Database.Statement {
    const cached = this.statements.get(sql);
    if (cached) {
      // Map keeps insertion order: re-inserting marks the statement as the most recently used.
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return cached;
    }
    const statement = this.db.prepare(sql);
    this.statements.set(sql, statement);
    if (this.statements.size > this.capacity) this.statements.delete(this.statements.keys().next().value as string);
    return statement;
  }

  get size(): number {
    return this.statements.size;
  }
}
