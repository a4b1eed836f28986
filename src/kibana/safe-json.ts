/**
 * JSON from untrusted files. JSON.parse itself never touches a prototype (a `"__proto__"` member becomes an
 * own property), but such members are how pollution happens later, when data is merged or spread into
 * other objects. So any object key that names a prototype hook is refused outright, as is nesting deeper
 * than any Kibana object needs (the check walks iteratively, so depth cannot exhaust the stack).
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
export const MAX_JSON_DEPTH = 100;

export type SafeJsonResult =
  | { ok: true; value: unknown }
  | { ok: false; reason: 'syntax' | 'forbidden_key' | 'too_deep'; message: string };

interface Node {
  value: unknown;
  depth: number;
  key: string;
  parent: Node | undefined;
}

export function parseJsonSafely(text: string, maxDepth = MAX_JSON_DEPTH): SafeJsonResult {
  // Counted before parsing: JSON.parse builds every level of a line like `[[[[…` first (seconds for a
  // million), while this scan is one pass over the characters.
  const tooDeepAt = openedBeyond(text, maxDepth);
  if (tooDeepAt !== undefined) return { ok: false, reason: 'too_deep', message: `nested more than ${maxDepth} levels deep (at character ${tooDeepAt + 1})` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: 'syntax', message: error instanceof Error ? error.message : String(error) };
  }
  const problem = findUnsafe(value, maxDepth);
  return problem ?? { ok: true, value };
}

/** Where `text` first opens a level of nesting deeper than `maxDepth` (brackets inside strings do not count). */
function openedBeyond(text: string, maxDepth: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let at = 0; at < text.length; at += 1) {
    const character = text.charCodeAt(at);
    if (inString) {
      if (character === 0x5c /* backslash */) at += 1;
      else if (character === 0x22 /* " */) inString = false;
    } else if (character === 0x22) {
      inString = true;
    } else if (character === 0x5b /* [ */ || character === 0x7b /* { */) {
      depth += 1;
      if (depth > maxDepth) return at;
    } else if (character === 0x5d /* ] */ || character === 0x7d /* } */) {
      depth -= 1;
    }
  }
  return undefined;
}

function findUnsafe(root: unknown, maxDepth: number): SafeJsonResult | undefined {
  const stack: Node[] = [{ value: root, depth: 0, key: '', parent: undefined }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (typeof node.value !== 'object' || node.value === null) continue;
    if (node.depth >= maxDepth) {
      return { ok: false, reason: 'too_deep', message: `nested more than ${maxDepth} levels deep (at ${pathOf(node)})` };
    }
    const entries: [string, unknown][] = Array.isArray(node.value)
      ? node.value.map((item, index): [string, unknown] => [`[${index}]`, item])
      : Object.entries(node.value);
    for (const [key, value] of entries) {
      const child: Node = { value, depth: node.depth + 1, key, parent: node };
      if (!Array.isArray(node.value) && FORBIDDEN_KEYS.has(key)) {
        return { ok: false, reason: 'forbidden_key', message: `has a forbidden key "${key}" (at ${pathOf(child)})` };
      }
      stack.push(child);
    }
  }
  return undefined;
}

function pathOf(node: Node): string {
  const parts: string[] = [];
  for (let current: Node | undefined = node; current?.parent; current = current.parent) {
    parts.unshift(current.key.startsWith('[') ? current.key : `.${current.key}`);
  }
  const path = parts.join('').replace(/^\./, '');
  return path || 'the top level';
}
