import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, migrate } from '../../src/storage/sqlite/migrations';
import { DATABASE_FILE, SqliteCaseStore } from '../../src/storage/sqlite/sqlite-store';

/** The count queries `findCases` makes for list replies and searches, as it writes them. */
const COUNTS = {
  openCasesVisibleToMember: "SELECT COUNT(*) AS n FROM cases c WHERE c.team_id = 'T1' AND c.status IN ('open', 'in-progress') AND (c.is_private = 0 OR c.channel_id IN ('G1'))",
  allCasesVisibleToMember: "SELECT COUNT(*) AS n FROM cases c WHERE c.team_id = 'T1' AND (c.is_private = 0 OR c.channel_id IN ('G1'))",
  titleSearch: "SELECT COUNT(*) AS n FROM cases c WHERE c.team_id = 'T1' AND (c.title_words LIKE '% beacon%') AND (c.is_private = 0 OR c.channel_id IN ('G1'))",
};

describe('SQLite indexes', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-indexes-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test.each(Object.entries(COUNTS))('the %s count reads an index alone, not the table', async (_name, sql) => {
    const store = new SqliteCaseStore(dir);
    await store.init();
    await store.close();
    const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join('; ');
    db.close();
    expect(plan).toMatch(/USING COVERING INDEX/);
  });

  test('a database of the previous schema gains the indexes on start, its cases untouched', async () => {
    const db = new Database(path.join(dir, DATABASE_FILE));
    migrate(db, MIGRATIONS.filter((migration) => migration.version <= 3));
    db.prepare(`INSERT INTO cases (id, team_id, number, status, severity, channel_id, is_private, activity_at, version, doc, title_words) VALUES ('c1', 'T1', 1, 'open', 'low', 'C1', 0, '2026-01-01', 1, '{}', ' beacon')`).run();
    db.close();
    const store = new SqliteCaseStore(dir);
    await store.init();
    await store.close();
    const upgraded = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);
    expect(upgraded.prepare(COUNTS.titleSearch).get()).toEqual({ n: 1 });
    upgraded.close();
  });
});
