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
 */
export function envelope(fields: EnvelopeFields, profile: TargetProfile): SavedObject {
  const { type, id, attributes, references, declaredVersion, createdAt, updatedAt } = fields;
  const legacyVersion = profile.versionField === 'migrationVersion';
  return {
    attributes,
    coreMigrationVersion: profile.coreMigrationVersion,
    ...(profile.writesCreatedAt ? { created_at: createdAt } : {}),
    id,
    ...(profile.writesManaged ? { managed: false } : {}),
    ...(legacyVersion ? { migrationVersion: { [type]: declaredVersion } } : {}),
    references,
    type,
    ...(legacyVersion ? {} : { typeMigrationVersion: declaredVersion }),
    updated_at: updatedAt,
  };
}
