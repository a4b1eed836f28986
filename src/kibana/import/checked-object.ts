import type { Attributes, SavedObjectReference } from '../saved-objects';
import { stableStringify } from '../stable-json';
import type { ObjectPlace } from './problems';

/** A saved object that passed every check: migrated, its attributes validated as A. */
export interface CheckedObject<A> extends ObjectPlace {
  attributes: A;
  references: SavedObjectReference[];
  /** The version whose stored shape the attributes are in. */
  version: string;
}

/**
 * The attributes a domain mapping did not consume, to keep as extras: keys in `consumed` are dropped, and
 * so are values equal to what export writes anyway (`defaults`), so only real information is kept.
 */
export function unconsumedAttributes(attributes: Attributes, consumed: readonly string[], defaults: Attributes = {}): Attributes {
  const rest: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (consumed.includes(key)) continue;
    if (Object.hasOwn(defaults, key) && stableStringify(value) === stableStringify(defaults[key])) continue;
    rest[key] = value;
  }
  return rest;
}

/** The first reference with this name and type, and the others in their order. */
export function takeReference(references: readonly SavedObjectReference[], name: string, type: string): { taken?: SavedObjectReference; rest: SavedObjectReference[] } {
  const index = references.findIndex((reference) => reference.name === name && reference.type === type);
  if (index < 0) return { rest: [...references] };
  return { taken: references[index], rest: references.filter((_, position) => position !== index) };
}
