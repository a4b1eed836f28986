/**
 * Rison, the URL-friendly JSON Kibana keeps its URL state in (`_g=(time:(from:'…',to:'…'))`). Encoding only:
 * caseops builds Kibana links, it never reads them. Rules (rison's own): objects `(k:v,…)` with keys sorted as
 * rison.js sorts them, arrays `!(…)`, `!t` `!f` `!n`, numbers as they are, and strings bare when they are a valid
 * identifier, otherwise in single quotes with `'` and `!` escaped by `!`.
 */
export type RisonValue = string | number | boolean | null | readonly RisonValue[] | { readonly [key: string]: RisonValue | undefined };

/** Characters that may not appear in a bare identifier, and digits or `-`, which may not start one. */
const NOT_IDENTIFIER = /[ '!:(),*@$]/;
const NOT_IDENTIFIER_START = /^[-0-9]/;

export function rison(value: RisonValue): string {
  if (value === null) return '!n';
  if (typeof value === 'boolean') return value ? '!t' : '!f';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`rison cannot encode ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return risonString(value);
  if (isList(value)) return `!(${value.map(rison).join(',')})`;
  const entries = Object.entries(value).filter((entry): entry is [string, RisonValue] => entry[1] !== undefined);
  return `(${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, inner]) => `${risonString(key)}:${rison(inner)}`).join(',')})`;
}

function risonString(text: string): string {
  if (text !== '' && !NOT_IDENTIFIER.test(text) && !NOT_IDENTIFIER_START.test(text)) return text;
  return `'${text.replace(/[!']/g, (character) => `!${character}`)}'`;
}

function isList(value: RisonValue): value is readonly RisonValue[] {
  return Array.isArray(value);
}
