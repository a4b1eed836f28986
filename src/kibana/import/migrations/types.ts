import type { Attributes, SavedObjectReference } from '../../saved-objects';

/** The part of a saved object Kibana's migrations change. */
export interface MigratableObject {
  attributes: Attributes;
  references: SavedObjectReference[];
}

/**
 * One of Kibana's legacy migrations, re-implemented from what it does to the stored shape (reference
 * §2.4, §3, §4). Like Kibana's, it runs only on objects declaring an older version. Migrations must accept
 * any attribute values: they run before the shape is validated. `notes` collects what an analyst should
 * know (a value replaced by a default, say).
 */
export interface Migration {
  version: string;
  apply(object: MigratableObject, notes: string[]): MigratableObject;
}

/** A copy of the attributes without the given keys. */
export function without(attributes: Attributes, ...keys: string[]): Attributes {
  const copy = { ...attributes };
  for (const key of keys) delete copy[key];
  return copy;
}
