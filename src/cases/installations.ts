/**
 * Where the app is installed (OAuth distribution): one record per workspace, or per Enterprise Grid org for an
 * org-wide install, plus one per workspace of such an org that caseops has served. The Slack layer seals each
 * installation (its tokens encrypted and authenticated) before it reaches a store, so no store, backup or export
 * ever holds a token in clear.
 */
export interface InstallationRecord {
  /** `team:<id>` for a workspace install, `enterprise:<id>` for an org-wide one, `member:<team id>` for a workspace of one. */
  key: string;
  teamId: string | null;
  enterpriseId: string | null;
  /** The installation as the Slack layer sealed it, opaque here; null for a workspace of an org-wide install (its org's record holds it). */
  sealed: string | null;
  updatedAt: string;
}

export interface InstallationRecords {
  /** Writes the record, replacing any under the same key (a reinstall, a refreshed token). */
  save(record: InstallationRecord): Promise<void>;
  find(key: string): Promise<InstallationRecord | null>;
  /** Whether there was one to remove. */
  remove(key: string): Promise<boolean>;
  /** Every installation, by key: the workspaces the scheduled jobs serve. */
  list(): Promise<InstallationRecord[]>;
}
