import type { DigestSchedule, DigestSchedules } from '../../cases/digest';
import type { SqliteAccess } from './sqlite-outbox';

/** Digest schedules in the case database (migration 8), one row per channel. */
export class SqliteDigestSchedules implements DigestSchedules {
  constructor(private readonly db: SqliteAccess) {}

  async set(schedule: DigestSchedule): Promise<void> {
    await this.db.write(() =>
      this.db
        .prepared('INSERT INTO digest_schedules (team_id, channel_id, doc) VALUES (?, ?, ?) ON CONFLICT (team_id, channel_id) DO UPDATE SET doc = excluded.doc')
        .run(schedule.teamId, schedule.channelId, JSON.stringify(schedule)),
    );
  }

  remove(teamId: string, channelId: string): Promise<boolean> {
    return this.db.write(() => this.db.prepared('DELETE FROM digest_schedules WHERE team_id = ? AND channel_id = ?').run(teamId, channelId).changes > 0);
  }

  list(teamId: string): Promise<DigestSchedule[]> {
    return this.db.read(() =>
      (this.db.prepared('SELECT doc FROM digest_schedules WHERE team_id = ? ORDER BY channel_id').all(teamId) as { doc: string }[]).map((row) => JSON.parse(row.doc) as DigestSchedule),
    );
  }
}
