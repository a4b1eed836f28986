import type { Attributes } from '../saved-objects';

/**
 * Attributes built in sorted key order. Export lines are written with sorted keys (stable-json.ts), and an
 * object whose members are already in that order is handed to the native JSON.stringify as it is, while one
 * out of order is copied first: building in order is what keeps an export from copying every object it
 * writes. Members these helpers cannot place in order (kept attributes of an imported object, say) are still
 * written right; they only cost that copy.
 */

/**
 * `built` with the Kibana attributes kept from an import (extras.ts) laid over it: a kept attribute replaces
 * one of `defaults` (values the conversion writes only when Kibana had none) and is added when the conversion
 * does not build it; otherwise the built value wins. The values of `{...defaults, ...kept, ...built}`, with
 * `built`'s order kept and the added attributes after it.
 */
export function withKeptAttributes(built: Attributes, kept: Attributes | undefined, defaults: readonly string[] = []): Attributes {
  if (kept === undefined) return built;
  for (const key of Object.keys(kept)) {
    if (defaults.includes(key) || !Object.hasOwn(built, key)) setMember(built, key, kept[key]);
  }
  return built;
}

/** The members of `{...first, ...second}`, in sorted order when each of the two is. */
export function mergeInKeyOrder(first: Attributes, second: Attributes): Attributes {
  const firstKeys = Object.keys(first);
  const secondKeys = Object.keys(second);
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
