import type Database from 'better-sqlite3';
import { messageKeyOf } from '../../cases/message-key';
import { searchWords } from '../../cases/search-words';

/**
 * Versioned schema migrations, applied in order inside one transaction each; the applied version is kept in
 * SQLite's `user_version`. Append new migrations; never edit one that has shipped.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'cases, user actions, attachments',
    up: (db) =>
      db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE case_numbers (team_id TEXT PRIMARY KEY, last_number INTEGER NOT NULL);
      -- The whole case is kept as JSON in doc; the other columns exist for the queries the UI makes.
      CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        team_id TEXT NOT NULL,
        number INTEGER NOT NULL,
        status TEXT NOT NULL,
        severity TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        is_private INTEGER NOT NULL,
        activity_at TEXT NOT NULL,
        version INTEGER NOT NULL,
        doc TEXT NOT NULL,
        UNIQUE (team_id, number)
      );
      CREATE INDEX cases_by_status ON cases (team_id, status, activity_at DESC);
      CREATE INDEX cases_by_activity ON cases (team_id, activity_at DESC);
      CREATE INDEX cases_by_channel ON cases (team_id, is_private, channel_id);
      CREATE TABLE case_tags (case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE, tag TEXT NOT NULL, PRIMARY KEY (case_id, tag));
      CREATE INDEX case_tags_by_tag ON case_tags (tag);
      CREATE TABLE case_assignees (case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE, user_id TEXT NOT NULL, PRIMARY KEY (case_id, user_id));
      CREATE INDEX case_assignees_by_user ON case_assignees (user_id);
      CREATE TABLE user_actions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        doc TEXT NOT NULL
      );
      CREATE INDEX user_actions_by_case ON user_actions (case_id, seq DESC);
      CREATE TABLE attachments (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE INDEX attachments_by_case ON attachments (case_id, type, seq DESC);
    `),
  },
  {
    version: 2,
    name: 'title words for the case picker',
    up(db) {
      // ' word word …': a query word w matches a title word by prefix as LIKE '% w%'.
      db.exec(`ALTER TABLE cases ADD COLUMN title_words TEXT NOT NULL DEFAULT ''`);
      const update = db.prepare('UPDATE cases SET title_words = ? WHERE id = ?');
      for (const row of db.prepare('SELECT id, doc FROM cases').all() as { id: string; doc: string }[]) {
        update.run(titleWords((JSON.parse(row.doc) as { title: string }).title), row.id);
      }
    },
  },
  {
    version: 3,
    name: 'message keys on event attachments; drafts',
    up(db) {
      db.exec(`
        ALTER TABLE attachments ADD COLUMN message_key TEXT;
        CREATE INDEX attachments_by_message ON attachments (message_key) WHERE message_key IS NOT NULL;
        CREATE TABLE drafts (id TEXT PRIMARY KEY, team_id TEXT NOT NULL, data TEXT NOT NULL, expires_at TEXT NOT NULL);
        CREATE INDEX drafts_by_expiry ON drafts (expires_at);
      `);
      const update = db.prepare('UPDATE attachments SET message_key = ? WHERE id = ?');
      for (const row of db.prepare(`SELECT id, doc FROM attachments WHERE type = 'event'`).all() as { id: string; doc: string }[]) {
        update.run(messageKeyOf(JSON.parse(row.doc) as { data: unknown }), row.id);
      }
    },
  },
  {
    version: 4,
    name: 'covering indexes for the counts of case lists and searches',
    // Every list reply counts its matches. Without these, the count read each matching row from the table
    // to check its visibility or title words (40 ms at 100,000 cases); with them it reads the index alone.
    up: (db) =>
      db.exec(`
        CREATE INDEX cases_by_status_visibility ON cases (team_id, status, is_private, channel_id);
        CREATE INDEX cases_by_title_words ON cases (team_id, title_words, is_private, channel_id);
      `),
  },
  {
    version: 5,
    name: 'the outbox: effects owed by case writes, and the leases of their delivery',
    up: (db) =>
      db.exec(`
        CREATE TABLE outbox (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL UNIQUE,
          stream TEXT NOT NULL,
          team_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          state TEXT NOT NULL,
          not_before TEXT NOT NULL,
          settled_at TEXT,
          doc TEXT NOT NULL
        );
        CREATE INDEX outbox_due ON outbox (not_before, stream) WHERE state = 'due';
        CREATE INDEX outbox_by_stream ON outbox (stream, seq) WHERE state = 'due';
        CREATE INDEX outbox_settled ON outbox (settled_at) WHERE settled_at IS NOT NULL;
        CREATE TABLE outbox_leases (stream TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at TEXT NOT NULL, token INTEGER NOT NULL);
      `),
  },
  {
    version: 6,
    name: 'claims on requests under way (exports), shared by every process on the file',
    up: (db) =>
      db.exec(`
        CREATE TABLE request_claims (key TEXT PRIMARY KEY, finished_at TEXT, doc TEXT NOT NULL);
        CREATE INDEX request_claims_finished ON request_claims (finished_at) WHERE finished_at IS NOT NULL;
      `),
  },
  {
    version: 7,
    name: "a case's effects given up on, read for every card edit",
    up: (db) => db.exec(`CREATE INDEX outbox_failed ON outbox (stream, seq) WHERE state = 'failed';`),
  },
  {
    version: 8,
    name: 'the channels that asked for a daily digest',
    up: (db) => db.exec(`CREATE TABLE digest_schedules (team_id TEXT NOT NULL, channel_id TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (team_id, channel_id));`),
  },
  {
    version: 9,
    name: "a case's war room channel, to find the case from what happens in the room",
    up: (db) =>
      db.exec(`
        ALTER TABLE cases ADD COLUMN room_channel_id TEXT;
        UPDATE cases SET room_channel_id = json_extract(doc, '$.room.channelId');
        CREATE INDEX cases_by_room ON cases (team_id, room_channel_id) WHERE room_channel_id IS NOT NULL;
      `),
  },
  {
    version: 10,
    name: 'where the app is installed (OAuth distribution), each installation sealed by the Slack layer',
    up: (db) => db.exec(`CREATE TABLE installations (key TEXT PRIMARY KEY, team_id TEXT, enterprise_id TEXT, sealed TEXT, updated_at TEXT NOT NULL);`),
  },
];

export function titleWords(title: string): string {
  return ` ${searchWords(title).join(' ')}`;
}

export function migrate(db: Database.Database, migrations: Migration[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const migration of migrations.filter((m) => m.version > current)) {
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
