import type { InstallationRecord, InstallationRecords } from '../../cases/installations';
import type { SqliteAccess } from './sqlite-outbox';

interface InstallationRow {
  key: string;
  team_id: string | null;
  enterprise_id: string | null;
  sealed: string | null;
  updated_at: string;
}

/** Installations in the case database (migration 10), one row per workspace or org. */
export class SqliteInstallations implements InstallationRecords {
  constructor(private readonly db: SqliteAccess) {}

  async save(record: InstallationRecord): Promise<void> {
    await this.db.write(() =>
      this.db
        .prepared(
          'INSERT INTO installations (key, team_id, enterprise_id, sealed, updated_at) VALUES (?, ?, ?, ?, ?) ' +
            'ON CONFLICT (key) DO UPDATE SET team_id = excluded.team_id, enterprise_id = excluded.enterprise_id, sealed = excluded.sealed, updated_at = excluded.updated_at',
        )
        .run(record.key, record.teamId, record.enterpriseId, record.sealed, record.updatedAt),
    );
  }

  find(key: string): Promise<InstallationRecord | null> {
    return this.db.read(() => {
      const row = this.db.prepared('SELECT key, team_id, enterprise_id, sealed, updated_at FROM installations WHERE key = ?').get(key) as InstallationRow | undefined;
      return row ? recordOf(row) : null;
    });
  }

  list(): Promise<InstallationRecord[]> {
    return this.db.read(() => (this.db.prepared('SELECT key, team_id, enterprise_id, sealed, updated_at FROM installations ORDER BY key').all() as InstallationRow[]).map(recordOf));
  }

  remove(key: string): Promise<boolean> {
    return this.db.write(() => this.db.prepared('DELETE FROM installations WHERE key = ?').run(key).changes > 0);
  }
}

function recordOf(row: InstallationRow): InstallationRecord {
  return { key: row.key, teamId: row.team_id, enterpriseId: row.enterprise_id, sealed: row.sealed, updatedAt: row.updated_at };
}
