import type { SavedObject } from '../saved-objects';
import { stableStringify } from '../stable-json';

/**
 * The ndjson format of Kibana's `_export` (reference §5.1): one object per line serialized with sorted keys
 * (stable-json.ts; a case's objects are written as key-order.ts says), lines joined by `\n` with no trailing
 * newline, the summary line last.
 */

/** The summary line of an export with no exclusions and (references not followed) no missing references. */
export function exportSummaryLine(exportedCount: number): string {
  return stableStringify({
    excludedObjects: [],
    excludedObjectsCount: 0,
    exportedCount,
    missingRefCount: 0,
    missingReferences: [],
  });
}

/**
 * Kibana's export order: objects sorted by id, then topologically, so each object comes after the objects
 * it references that are in the export (a case before its comments, a comment before the user action that
 * added it). Depth first, following references in their listed order, as Kibana's sort does; references to
 * objects outside the set (connectors, index patterns) are ignored.
 */
export function orderLikeKibana(objects: readonly SavedObject[]): SavedObject[] {
  const placing = new KibanaOrder(objects);
  for (const object of [...objects].sort(byIdThenType)) placing.place(object);
  return placing.ordered;
}

/** Objects placed in Kibana's order, one after the objects it references. */
class KibanaOrder {
  readonly ordered: SavedObject[] = [];
  // By id, then type: no `type:id` key strings to build and hash for every reference of every object.
  private readonly byId = new Map<string, SavedObject[]>();
  // Marked when first reached, before its references: a cycle back to an object being placed stops there.
  private readonly reached = new Set<SavedObject>();

  constructor(objects: readonly SavedObject[]) {
    for (const object of objects) {
      const sameId = this.byId.get(object.id);
      if (sameId) sameId.push(object);
      else this.byId.set(object.id, [object]);
    }
  }

  /** Places the object after the objects it references, unless it is placed already. */
  place(object: SavedObject): void {
    if (this.reached.has(object)) return;
    this.reached.add(object);
    for (const reference of object.references) {
      const referenced = lastOfType(this.byId.get(reference.id), reference.type);
      if (referenced) this.place(referenced);
    }
    this.ordered.push(object);
  }
}

/** The last of these objects of this type (as a Map keyed by type and id would keep the last). */
function lastOfType(objects: readonly SavedObject[] | undefined, type: string): SavedObject | undefined {
  for (let index = (objects?.length ?? 0) - 1; index >= 0; index -= 1) if (objects![index]!.type === type) return objects![index];
  return undefined;
}

function byIdThenType(a: SavedObject, b: SavedObject): number {
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.type < b.type ? -1 : a.type > b.type ? 1 : 0;
}

/**
 * Lines as text chunks ready to write or upload: the `\n` between lines and none after the last, batched
 * so a consumer writes a few large chunks rather than a million small ones.
 */
export async function* ndjsonChunks(lines: AsyncIterable<string>, chunkSize = 64 * 1024): AsyncGenerator<string> {
  let buffer = '';
  let first = true;
  for await (const line of lines) {
    buffer += first ? line : `\n${line}`;
    first = false;
    if (buffer.length >= chunkSize) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}
