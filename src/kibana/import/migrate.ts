import { CASE_TYPE, type CasesSavedObjectType, COMMENT_TYPE, USER_ACTION_TYPE } from '../saved-objects';
import { compareVersions, maxVersion } from '../semver';
import { CASE_MIGRATIONS } from './migrations/cases';
import { COMMENT_MIGRATIONS } from './migrations/comments';
import type { MigratableObject, Migration } from './migrations/types';
import { USER_ACTION_MIGRATIONS } from './migrations/user-actions';

const MIGRATIONS: Readonly<Record<CasesSavedObjectType, readonly Migration[]>> = {
  [CASE_TYPE]: CASE_MIGRATIONS,
  [COMMENT_TYPE]: COMMENT_MIGRATIONS,
  [USER_ACTION_TYPE]: USER_ACTION_MIGRATIONS,
};

export interface Migrated extends MigratableObject {
  /** The version whose stored shape the object is now in. */
  version: string;
}

/**
 * Brings an object from the version it declares to the newest legacy shape caseops reads, running every
 * migration newer than that version in order, as Kibana's document migrator does. No version at all runs
 * them all (Kibana's "typeMigrationVersion: ''").
 */
export function migrateObject(type: CasesSavedObjectType, object: MigratableObject, from: string | undefined, notes: string[]): Migrated {
  let current = object;
  let version = from ?? '0.0.0';
  for (const migration of MIGRATIONS[type]) {
    if (from !== undefined && compareVersions(migration.version, from) <= 0) continue;
    current = migration.apply(current, notes);
    version = maxVersion(version, migration.version);
  }
  return { ...current, version };
}
