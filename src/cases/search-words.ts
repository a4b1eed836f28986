/**
 * The words of a title as search sees them: lowercased letters and digits of any script. Both stores match
 * a query word as a prefix of one of these, so a picker behaves the same on SQLite and Elasticsearch.
 */
export function searchWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The case number a search names (`42` or `#42`), if it is one. */
export function searchNumber(search: string): number | undefined {
  const digits = /^#?(\d{1,9})$/.exec(search.trim())?.[1];
  return digits === undefined ? undefined : Number(digits);
}
