import type { Attributes } from '../saved-objects';
import type { KeyOrder } from './key-order';

/**
 * Attributes built in sorted key order. Export lines are written with sorted keys, by the native
 * JSON.stringify as the conversion built them (key-order.ts): building in order is what spares the export
 * from checking and copying every object it writes.
 */

/**
 * `built` with the Kibana attributes kept from an import (extras.ts) laid over it: a kept attribute replaces
 * one of `defaults` (values the conversion writes only when Kibana had none) and is added when the conversion
 * does not build it; otherwise the built value wins. The values of `{...defaults, ...kept, ...built}`, put in
 * writing order by `keyOrder` when anything was kept (kept values come from a file, in any order).
 */
export function withKeptAttributes(built: Attributes, kept: Attributes | undefined, keyOrder: KeyOrder, defaults: readonly string[] = []): Attributes {
  if (kept === undefined) return built;
  for (const key of Object.keys(kept)) {
    if (defaults.includes(key) || !Object.hasOwn(built, key)) setMember(built, key, kept[key]);
  }
  return keyOrder.ordered(built);
}

/**
 * The members of `{...first, ...second}`, in sorted order when each of the two is. When one of the two has no
 * members, that is the other one itself, not a copy.
 */
export function mergeInKeyOrder(first: Attributes, second: Attributes): Attributes {
  const firstKeys = Object.keys(first);
  const secondKeys = Object.keys(second);
  if (firstKeys.length === 0) return second;
  if (secondKeys.length === 0) return first;
  const merged: Attributes = {};
  let inFirst = 0;
  let inSecond = 0;
  while (inFirst < firstKeys.length || inSecond < secondKeys.length) {
    const fromFirst = firstKeys[inFirst];
    const fromSecond = secondKeys[inSecond];
    if (fromSecond === undefined || (fromFirst !== undefined && fromFirst < fromSecond)) {
      if (!Object.hasOwn(second, fromFirst!)) setMember(merged, fromFirst!, first[fromFirst!]);
      inFirst += 1;
    } else {
      setMember(merged, fromSecond, second[fromSecond]);
      inSecond += 1;
      if (fromFirst === fromSecond) inFirst += 1;
    }
  }
  return merged;
}

/** As a spread would define it: assigning `__proto__` would set the prototype instead. */
function setMember(record: Attributes, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}
