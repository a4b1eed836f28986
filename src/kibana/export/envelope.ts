import type { Attributes, SavedObject, SavedObjectReference } from '../saved-objects';
import type { TargetProfile } from './versions';

export interface EnvelopeFields {
  type: string;
  id: string;
  attributes: Attributes;
  references: SavedObjectReference[];
  /** The version whose stored shape `attributes` are in. */
  declaredVersion: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * An export line's object with the version fields and envelope the target Kibana expects (versions.ts). Its
 * members are in sorted order, the order the line is written in (stable-json.ts), so it is written as built.
 * Fields the target does not have are undefined, which a line leaves out: one object literal gives every
 * envelope the same shape, built at once, where spreading in the optional fields built each envelope member by member.
 */
export function envelope(fields: EnvelopeFields, profile: TargetProfile): SavedObject {
  const { type, id, attributes, references, declaredVersion, createdAt, updatedAt } = fields;
  const legacyVersion = profile.versionField === 'migrationVersion';
  return {
    attributes,
    coreMigrationVersion: profile.coreMigrationVersion,
    created_at: profile.writesCreatedAt ? createdAt : undefined,
    id,
    managed: profile.writesManaged ? false : undefined,
    migrationVersion: legacyVersion ? { [type]: declaredVersion } : undefined,
    references,
    type,
    typeMigrationVersion: legacyVersion ? undefined : declaredVersion,
    updated_at: updatedAt,
  };
}
