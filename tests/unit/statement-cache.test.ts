import Database from 'better-sqlite3';
import { StatementCache } from '../../src/storage/sqlite/statement-cache';

describe('StatementCache', () => {
  let db: Database.Database;

  beforeEach(() => {
    db = new Database(':memory:');
  });

  afterEach(() => {
    db.close();
  });

  test('prepares a statement once and hands the same one back', () => {
    const cache = new StatementCache(db);
    const first = cache.get('SELECT 1 AS one');
    expect(cache.get('SELECT 1 AS one')).toBe(first);
    expect(first.get()).toEqual({ one: 1 });
  });

  test('keeps at most its capacity, dropping the least recently used', () => {
    const cache = new StatementCache(db, 2);
    const a = cache.get('SELECT 1');
    cache.get('SELECT 2');
    expect(cache.get('SELECT 1')).toBe(a);
    const b = cache.get('SELECT 2');
    cache.get('SELECT 3');
    expect(cache.size).toBe(2);
    expect(cache.get('SELECT 2')).toBe(b);
    expect(cache.get('SELECT 1')).not.toBe(a);
  });
});
