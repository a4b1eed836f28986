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

/** An export line's object with the version fields and envelope the target Kibana expects (versions.ts). */
export function envelope(fields: EnvelopeFields, profile: TargetProfile): SavedObject {
  const { type, id, attributes, references, declaredVersion, createdAt, updatedAt } = fields;
  return {
    attributes,
    coreMigrationVersion: profile.coreMigrationVersion,
    ...(profile.writesCreatedAt ? { created_at: createdAt } : {}),
    id,
    ...(profile.writesManaged ? { managed: false } : {}),
    references,
    type,
    ...(profile.versionField === 'typeMigrationVersion'
      ? { typeMigrationVersion: declaredVersion }
      : { migrationVersion: { [type]: declaredVersion } }),
    updated_at: updatedAt,
  };
}
