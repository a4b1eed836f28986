import type { Client, estypes } from '@elastic/elasticsearch';
import { StoreUnavailableError } from '../../cases/errors';
import type { ChildBody, ChildKind, ChildSource, StoredChild } from './child-documents';
import { isUnavailableStatus } from '../../elasticsearch/errors';
import { bulkItemError } from './errors';

/**
 * Realtime reads (multi-get sees every acknowledged write, refreshed or not) and bulk writes, shared by the store,
 * the reader of children and the repair pass.
 */

/** A document as read in real time, with what a conditional write on it must quote. */
export interface Versioned<T> {
  id: string;
  source: T;
  seqNo: number;
  primaryTerm: number;
}

export async function readDocuments<T>(client: Client, index: string, ids: readonly string[]): Promise<Map<string, Versioned<T> | null>> {
  const unique = [...new Set(ids)];
  const documents = new Map<string, Versioned<T> | null>();
  if (unique.length === 0) return documents;
  const response = await client.mget<T>({ index, ids: unique });
  response.docs.forEach((doc, position) => documents.set(unique[position]!, foundDocument(doc)));
  return documents;
}

export async function readDocument<T>(client: Client, index: string, id: string): Promise<Versioned<T> | null> {
  return (await readDocuments<T>(client, index, [id])).get(id) ?? null;
}

export interface ChildRef {
  kind: ChildKind;
  id: string;
}

/** The children asked for, in the same order; null where there is none. */
export async function readChildren(client: Client, refs: readonly ChildRef[]): Promise<(StoredChild | null)[]> {
  if (refs.length === 0) return [];
  const response = await client.mget<ChildSource>({ docs: refs.map((ref) => ({ _index: ref.kind.index, _id: ref.id })) });
  return response.docs.map((doc, position) => {
    const found = foundDocument(doc);
    return found ? { kind: refs[position]!.kind, ...found } : null;
  });
}

/** A child as a write (bulk item, search hit) left it. */
export function storedChild<T extends ChildBody>(kind: ChildKind, source: ChildSource<T>, written: WrittenDocument): StoredChild<T> {
  return { kind, source, ...sequenceOf(written) };
}

/** What a write or a search hit reports of a document's sequence number and primary term. */
export interface WrittenDocument {
  _id?: string | null;
  _seq_no?: number;
  _primary_term?: number;
}

/** The sequence number and primary term a later conditional write on the document must quote. */
export function sequenceOf(written: WrittenDocument): { seqNo: number; primaryTerm: number } {
  if (written._seq_no === undefined || written._primary_term === undefined) throw new Error(`Elasticsearch returned no sequence number for ${written._id ?? 'a document'}`);
  return { seqNo: written._seq_no, primaryTerm: written._primary_term };
}

/**
 * One bulk request under construction. `run` returns one result per operation, in order. Failed items are
 * returned, not thrown: callers decide which statuses (409, 404) are part of their protocol, and
 * `throwUnlessExpected` classifies the rest.
 */
export class BulkBatch {
  private readonly entries: { operation: estypes.BulkOperationContainer; document?: unknown }[] = [];

  add(operation: estypes.BulkOperationContainer, document?: unknown): void {
    this.entries.push({ operation, ...(document !== undefined ? { document } : {}) });
  }

  /** Operations added so far. */
  get size(): number {
    return this.entries.length;
  }

  /** The document the operation at `position` (in the order added) writes, if any. */
  documentAt(position: number): unknown {
    return this.entries[position]?.document;
  }

  async run(client: Client): Promise<estypes.BulkResponseItem[]> {
    if (this.entries.length === 0) return [];
    const body = this.entries.flatMap((entry) => ('document' in entry ? [entry.operation, entry.document] : [entry.operation]));
    // The client types `operations` as operation containers only; documents alternate with them as the API wants.
    const response = await client.bulk({ operations: body as estypes.BulkOperationContainer[] });
    return response.items.map((item) => {
      const result = Object.values(item)[0];
      if (!result) throw new Error('Elasticsearch returned an empty bulk item');
      return result;
    });
  }
}

function succeeded(item: estypes.BulkResponseItem): boolean {
  return item.status >= 200 && item.status < 300;
}

/** Throws for a failed item unless its status is one the caller expects (a lost race: 409; already gone: 404). */
export function throwUnlessExpected(item: estypes.BulkResponseItem, expected: readonly number[]): void {
  if (!succeeded(item) && !expected.includes(item.status)) throw bulkItemError(item);
}

function foundDocument<T>(doc: estypes.MgetResponseItem<T>): Versioned<T> | null {
  if ('error' in doc) {
    const type = doc.error.type;
    if (isUnavailableStatus(undefined, type)) throw new StoreUnavailableError(`Elasticsearch could not read ${doc._index}/${doc._id}: ${type}: ${doc.error.reason ?? ''}`);
    throw new Error(`Elasticsearch could not read ${doc._index}/${doc._id}: ${type}: ${doc.error.reason ?? ''}`);
  }
  if (!doc.found || doc._source === undefined || doc._seq_no === undefined || doc._primary_term === undefined) return null;
  return { id: doc._id, source: doc._source, seqNo: doc._seq_no, primaryTerm: doc._primary_term };
}

export interface ScanOptions {
  /** Default: index order (`_shard_doc`, the cheapest). A point in time breaks ties by `_shard_doc` itself. */
  sort?: estypes.Sort;
  /** Hits per page; default 500. */
  size?: number;
  /** Which shard copy the point in time is opened on (change-markers.ts). */
  preference?: string;
}

const SCAN_PAGE_SIZE = 500;

/** Every hit of a query, a page at a time, over a point in time so writes during the scan cannot shift pages. */
export async function* scan<T>(client: Client, index: string, query: estypes.QueryDslQueryContainer, options: ScanOptions = {}): AsyncGenerator<estypes.SearchHit<T>[]> {
  const size = options.size ?? SCAN_PAGE_SIZE;
  const pit = await client.openPointInTime({ index, keep_alive: '1m', ...(options.preference ? { preference: options.preference } : {}) });
  try {
    let after: estypes.SortResults | undefined;
    for (;;) {
      const response = await client.search<T>({
        pit: { id: pit.id, keep_alive: '1m' },
        query,
        sort: options.sort ?? ['_shard_doc'],
        size,
        seq_no_primary_term: true,
        ...(after ? { search_after: after } : {}),
      });
      const hits = response.hits.hits;
      if (hits.length === 0) return;
      yield hits;
      after = hits[hits.length - 1]!.sort;
      if (hits.length < size) return;
    }
  } finally {
    await client.closePointInTime({ id: pit.id }).catch(() => undefined);
  }
}
