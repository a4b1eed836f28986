import type { SavedObject, SavedObjectReference } from '../saved-objects';
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
  // A stable sort: objects of the same type and id keep their order, and a reference finds the last of them.
  const placing = new KibanaOrder([...objects].sort(byIdThenType));
  for (let index = 0; index < objects.length; index += 1) placing.place(index);
  return placing.ordered;
}

/**
 * Objects sorted by id and type, placed in Kibana's order one after the objects they reference. References are
 * looked up by binary search in the sorted objects: for the few objects of a case, cheaper than indexing them.
 */
class KibanaOrder {
  readonly ordered: SavedObject[] = [];
  // Marked when first reached, before its references: a cycle back to an object being placed stops there.
  private readonly reached: boolean[];

  constructor(private readonly sorted: readonly SavedObject[]) {
    this.reached = sorted.map(() => false);
  }

  /** Places the object at `index` (in sorted order) after the objects it references, unless it is placed already. */
  place(index: number): void {
    if (this.reached[index]) return;
    this.reached[index] = true;
    const object = this.sorted[index]!;
    for (const reference of object.references) {
      const referenced = this.lastIndexOf(reference);
      if (referenced >= 0) this.place(referenced);
    }
    this.ordered.push(object);
  }

  /** The index of the last object of the reference's type and id (as a Map keyed by both would keep the last), or -1. */
  private lastIndexOf(reference: SavedObjectReference): number {
    let after = 0;
    let end = this.sorted.length;
    while (after < end) {
      const middle = (after + end) >>> 1;
      if (byIdThenType(this.sorted[middle]!, reference) <= 0) after = middle + 1;
      else end = middle;
    }
    const last = this.sorted[after - 1];
    return last !== undefined && last.id === reference.id && last.type === reference.type ? after - 1 : -1;
  }
}

function byIdThenType(a: Pick<SavedObject, 'id' | 'type'>, b: Pick<SavedObject, 'id' | 'type'>): number {
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.type < b.type ? -1 : a.type > b.type ? 1 : 0;
}

/**
 * Lines as text chunks ready to write or upload: the `\n` between lines and none after the last, batched
 * so a consumer writes a few large chunks rather than a million small ones. 256 KiB: a file stream wrote
 * 9 MB in 11–19 ms in such chunks, in 14–30 ms in 64 KiB ones (more writes, each handed to a thread), and
 * the 16 chunks a stream reads ahead (writeNdjsonFile, src/slack/files.ts) hold at most 4 MiB; exports in 1 MiB chunks were slower.
 */
export async function* ndjsonChunks(lines: AsyncIterable<string>, chunkSize = 256 * 1024): AsyncGenerator<string> {
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
