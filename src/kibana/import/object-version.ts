import { type CasesSavedObjectType } from '../saved-objects';
import { compareVersions, isVersion } from '../semver';
import type { Envelope, IdentifiedObject } from './envelope';
import { type ImportProblem, objectError } from './problems';

/**
 * The newest version caseops knows per type: the cases model versions up to 12, comments up to 2, user
 * actions up to 3 (reference §1, §2.4). Newer objects are refused as Kibana refuses them, because their
 * shape is unknown. Every export since 8.8 declares core migration version 8.8.0, the newest there is.
 */
export const NEWEST_KNOWN_VERSIONS: Readonly<Record<CasesSavedObjectType, string>> = {
  cases: '10.12.0',
  'cases-comments': '10.2.0',
  'cases-user-actions': '10.3.0',
};
export const NEWEST_KNOWN_CORE_VERSION = '8.8.0';

/**
 * The version an object declares: `typeMigrationVersion` (8.8+), else its type's entry in the older
 * `migrationVersion` map; undefined (an empty string counts as none) means "run every migration", as in
 * Kibana.
 */
export function declaredVersion(object: IdentifiedObject & { type: CasesSavedObjectType }, envelope: Envelope): { version: string | undefined } | { problem: ImportProblem } {
  const declared = envelope.typeMigrationVersion ?? envelope.migrationVersion?.[object.type];
  if (declared !== undefined && declared !== '' && !isVersion(declared)) {
    return { problem: objectError(object, 'invalid_object', `Its migration version "${declared}" is not a version number like 8.7.0.`) };
  }
  const core = envelope.coreMigrationVersion;
  if (core !== undefined && core !== '' && !isVersion(core)) {
    return { problem: objectError(object, 'invalid_object', `Its coreMigrationVersion "${core}" is not a version number like 8.8.0.`) };
  }
  const newest = NEWEST_KNOWN_VERSIONS[object.type];
  if (declared && compareVersions(declared, newest) > 0) {
    return { problem: newer(object, `${object.type} ${declared}; caseops knows up to ${newest}`) };
  }
  if (core && compareVersions(core, NEWEST_KNOWN_CORE_VERSION) > 0) {
    return { problem: newer(object, `core migration ${core}; caseops knows up to ${NEWEST_KNOWN_CORE_VERSION}`) };
  }
  return { version: declared || undefined };
}

function newer(object: IdentifiedObject, detail: string): ImportProblem {
  return objectError(object, 'newer_version', `This object belongs to a more recent version of Kibana (${detail}), so its shape is unknown and it cannot be imported.`);
}
