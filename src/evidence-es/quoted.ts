/**
 * A value as a double-quoted string in the query languages caseops writes: Lucene (an exact phrase; on a keyword
 * field, the exact value), KQL and ES|QL all quote the same way, escaping `"` and `\` with a backslash.
 */
export function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, (character) => `\\${character}`)}"`;
}
