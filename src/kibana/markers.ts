import { parseJsonSafely } from './safe-json';
import { stableStringify } from './stable-json';

/**
 * caseops' own data inside Kibana markdown (a case description, a comment), as a one-line HTML comment at
 * the very end: `<!-- caseops {"data":…,"kind":"event","v":1} -->`, after a blank line.
 *
 * Why there: markdown fields are the only free-form places of a case and its comments, Kibana's import
 * stores them as they are, and its markdown renderer does not display raw HTML, so the marker is invisible
 * in Kibana yet survives Kibana's export. `<` and `>` inside the JSON are written as \u003c / \u003e, so
 * the marker can never contain `-->` (which would end the comment early) nor open a new one, and its JSON
 * never spans lines. Readers must treat a marker as a claim to verify, never as trusted: the file is user
 * input.
 */
const OPEN = '<!-- caseops ';
const CLOSE = ' -->';
const SEPARATOR = '\n\n';
const FORMAT_VERSION = 1;

export const MARKER_KINDS = ['case', 'event', 'timeline', 'visualization', 'unknown'] as const;
export type MarkerKind = (typeof MARKER_KINDS)[number];

export interface Marker {
  kind: MarkerKind;
  data: unknown;
  /** For an event snapshot written next to Kibana's own event attachment: that attachment's id. */
  of?: string;
}

export function appendMarker(markdown: string, marker: Marker): string {
  // Members in sorted order, the order stable-json writes them in: nothing to reorder.
  const { kind, data, of } = marker;
  return withMarkerJson(markdown, stableStringify({ data, kind, ...(of === undefined ? {} : { of }), v: FORMAT_VERSION }));
}

/**
 * appendMarker for data its writer has already serialized with sorted keys (`dataJson`): data the generic
 * serializer could only take as an object built for the purpose (case-marker.ts).
 */
export function appendMarkerJson(markdown: string, kind: MarkerKind, dataJson: string): string {
  // A kind is a plain word (MARKER_KINDS): quoted as it is, without a call to JSON.stringify (about 0.2 µs each).
  return withMarkerJson(markdown, `{"data":${dataJson},"kind":"${kind}","v":${FORMAT_VERSION}}`);
}

function withMarkerJson(markdown: string, json: string): string {
  // A marker seldom holds either bracket, and looking for them is far cheaper than replacing nothing.
  const escaped = json.includes('<') || json.includes('>') ? json.replace(/</g, '\\u003c').replace(/>/g, '\\u003e') : json;
  return `${markdown}${markdown ? SEPARATOR : ''}${OPEN}${escaped}${CLOSE}`;
}

/** The markdown without its marker, and the marker; undefined when the text does not end with a well-formed one. */
export function readMarker(markdown: string): { body: string; marker: Marker } | undefined {
  if (!markdown.endsWith(CLOSE)) return undefined;
  const start = markdown.lastIndexOf(OPEN);
  if (start < 0 || (start > 0 && markdown.slice(start - SEPARATOR.length, start) !== SEPARATOR)) return undefined;
  const json = markdown.slice(start + OPEN.length, markdown.length - CLOSE.length);
  if (json.includes('\n')) return undefined;
  const parsed = parseJsonSafely(json);
  if (!parsed.ok || !isMarker(parsed.value)) return undefined;
  const { kind, data, of } = parsed.value;
  return { body: start === 0 ? '' : markdown.slice(0, start - SEPARATOR.length), marker: { kind, data, ...(of === undefined ? {} : { of }) } };
}

function isMarker(value: unknown): value is Marker & { v: number } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const candidate = value as Record<string, unknown>;
  return (
    candidate.v === FORMAT_VERSION &&
    (MARKER_KINDS as readonly unknown[]).includes(candidate.kind) &&
    'data' in candidate &&
    (candidate.of === undefined || typeof candidate.of === 'string')
  );
}
