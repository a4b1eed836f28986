/**
 * JSON with object keys sorted at every level, the way json-stable-stringify writes it: Kibana's exporter
 * serializes every saved object with that library, so sorted keys make our lines byte-comparable with its
 * lines. Semantics otherwise follow JSON.stringify (undefined members are skipped, undefined in arrays and
 * non-finite numbers become null, toJSON is honoured).
 *
 * It is the inner loop of a Kibana export (every line, every marker), so the compact form takes the fast way:
 * a copy of the value with every object's keys inserted in sorted order, handed to the native JSON.stringify,
 * which writes keys in insertion order. That holds except for keys JavaScript always enumerates first (array
 * indices: `"2"` before `"10"`, whatever the insertion order) and `__proto__` (which assigning does not
 * create), so a value with a key made of digits only, or `__proto__`, is written by `write` instead, as is
 * every indented form. Keys that merely start with a digit, such as the UUIDs that key a case marker's
 * indicator notes, keep their insertion order and take the fast way.
 */
export function stableStringify(value: unknown, indent = ''): string {
  if (indent === '') {
    const copy = sortedCopy(value);
    if (copy !== NEEDS_WRITER) return JSON.stringify(copy) ?? 'null';
  }
  return write(value, indent, '') ?? 'null';
}

const NEEDS_WRITER = Symbol('needs the writer');

/**
 * `value` as the native JSON.stringify must see it to write what stableStringify writes (copied only where its
 * keys are out of order), or undefined when no such value exists: a key made of digits only, or `__proto__`.
 * For code that builds values in sorted order and writes them with JSON.stringify, for the parts it takes
 * from elsewhere.
 */
export function inWritingOrder(value: unknown): { value: unknown } | undefined {
  const copy = sortedCopy(value);
  return copy === NEEDS_WRITER ? undefined : { value: copy };
}

/**
 * `value` as JSON.stringify should see it: every object's keys in sorted order, toJSON applied. A plain object
 * whose keys are in order already (most are: built in order) and whose members need no change is used as it
 * is, so only the objects out of order are copied. NEEDS_WRITER when that order cannot be built.
 */
function sortedCopy(value: unknown): unknown {
  if (typeof value === 'bigint') return undefined;
  if (typeof value !== 'object' || value === null) return value;
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return sortedCopy(withJson.toJSON());
  if (Array.isArray(value)) {
    let items: unknown[] | undefined;
    for (let index = 0; index < value.length; index += 1) {
      const item = sortedMember(value[index]);
      if (item === NEEDS_WRITER) return NEEDS_WRITER;
      if (items === undefined && item !== value[index]) items = value.slice(0, index);
      items?.push(item);
    }
    return items ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let inOrder = isPlain(record);
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index]!;
    if (isDigitsOnly(key) || key === '__proto__') return NEEDS_WRITER;
    if (index > 0 && keys[index - 1]! > key) inOrder = false;
  }
  if (!inOrder) sortKeys(keys);
  let copy: Record<string, unknown> | undefined;
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index]!;
    const member = record[key];
    const inner = sortedMember(member);
    if (inner === NEEDS_WRITER) return NEEDS_WRITER;
    if (copy === undefined && (!inOrder || inner !== member)) {
      copy = {};
      for (let before = 0; before < index; before += 1) copy[keys[before]!] = record[keys[before]!];
    }
    if (copy !== undefined) copy[key] = inner;
  }
  return copy ?? (inOrder ? record : {});
}

/**
 * sortedCopy of an array item or object member. Most are strings, numbers, booleans or null, which stay as they
 * are; checking that here, where it can be inlined, spares the recursive call for each of them.
 */
function sortedMember(member: unknown): unknown {
  return (typeof member === 'object' && member !== null) || typeof member === 'bigint' ? sortedCopy(member) : member;
}

/** Up to this many keys, an insertion sort of the strings is faster than Array#sort's generic comparison. */
const FEW_KEYS = 16;

/** Sorts keys in place as `keys.sort()` would (UTF-16 code units). */
function sortKeys(keys: string[]): void {
  if (keys.length > FEW_KEYS) {
    keys.sort();
    return;
  }
  for (let index = 1; index < keys.length; index += 1) {
    const key = keys[index]!;
    let at = index - 1;
    for (; at >= 0 && keys[at]! > key; at -= 1) keys[at + 1] = keys[at]!;
    keys[at + 1] = key;
  }
}

/** Every array index is digits only; checking that (not the index range) is enough to stay on the safe side. */
function isDigitsOnly(key: string): boolean {
  if (key.length === 0) return false;
  for (let index = 0; index < key.length; index += 1) {
    const code = key.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

/** Whether JSON.stringify writes the object as its own enumerable members (not a boxed primitive, say). */
function isPlain(record: object): boolean {
  const prototype = Object.getPrototypeOf(record) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** The object's keys in sorted order; sorted only when they are not in order already (most are built in order). */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  for (let index = 1; index < keys.length; index += 1) {
    if (keys[index - 1]! > keys[index]!) {
      sortKeys(keys);
      return keys;
    }
  }
  return keys;
}

/** The general writer: indented forms, and values whose key order the fast way cannot build. */
function write(value: unknown, indent: string, margin: string): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      return undefined;
  }
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return write(withJson.toJSON(), indent, margin);

  const inner = margin + indent;
  const open = indent ? `\n${inner}` : '';
  const close = indent ? `\n${margin}` : '';
  const separator = indent ? `,\n${inner}` : ',';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = Array.from(value, (item: unknown) => write(item, indent, inner) ?? 'null');
    return `[${open}${items.join(separator)}${close}]`;
  }
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of sortedKeys(record)) {
    const written = write(record[key], indent, inner);
    if (written !== undefined) members.push(`${JSON.stringify(key)}:${indent ? ' ' : ''}${written}`);
  }
  if (members.length === 0) return '{}';
  return `{${open}${members.join(separator)}${close}}`;
}
