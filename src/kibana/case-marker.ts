import { z } from 'zod';
import { IndicatorData } from '../cases/attachments';
import { SlackOrigin } from '../cases/model';
import { appendMarkerJson, readMarker } from './markers';
import { stableStringify } from './stable-json';

/**
 * caseops' own data about a case, kept in a marker at the end of the exported description (markers.ts):
 * the Slack origin (team, channel, its name and privacy, the case card's ts) and, for indicators whose
 * Kibana form cannot say it, where each came from and that it had no threat-intel document. The
 * description itself is the user's and may be edited in Kibana; only the marker has to stay intact.
 */
export const IndicatorNote = z.object({ source: IndicatorData.shape.source, documentId: z.string().nullable() });
export type IndicatorNote = z.infer<typeof IndicatorNote>;

export const CaseMarkerData = z.object({
  origin: SlackOrigin,
  indicators: z.record(z.string(), IndicatorNote).optional(),
  /** On a case's live mirror in Kibana (kibana-sync): the caseops case id, hyphens left out so it is one search word. */
  mirrorOf: z.string().optional(),
});
export type CaseMarkerData = z.infer<typeof CaseMarkerData>;

/** What export writes into a case's marker: its origin, and the indicator notes by attachment id. */
export interface CaseMarkerInput {
  origin: SlackOrigin;
  indicators: ReadonlyMap<string, IndicatorNote>;
  mirrorOf?: string;
}

/**
 * The description with its marker, the CaseMarkerData written with sorted keys. The notes are written from
 * their Map: an object with a property per attachment id would give V8 a new hidden class for every case
 * exported, which costs time to build and memory to keep.
 */
export function writeCaseDescription(description: string, data: CaseMarkerInput): string {
  const origin = `${data.mirrorOf === undefined ? '' : `"mirrorOf":${JSON.stringify(data.mirrorOf)},`}"origin":${stableStringify(data.origin)}`;
  if (data.indicators.size === 0) return appendMarkerJson(description, 'case', `{${origin}}`);
  const notes = [...data.indicators.keys()].sort().map((id) => `${JSON.stringify(id)}:${stableStringify(data.indicators.get(id))}`);
  return appendMarkerJson(description, 'case', `{"indicators":{${notes.join(',')}},${origin}}`);
}

export type ReadDescription =
  | { description: string; data: CaseMarkerData }
  /** No marker, or (`damaged`) one that is not valid caseops case data: the text is kept as it is. */
  | { description: string; data?: undefined; damaged: boolean };

export function readCaseDescription(markdown: string): ReadDescription {
  const found = readMarker(markdown);
  if (!found || found.marker.kind !== 'case') return { description: markdown, damaged: markdown.includes('<!-- caseops ') };
  const parsed = CaseMarkerData.safeParse(found.marker.data);
  return parsed.success ? { description: found.body, data: parsed.data } : { description: markdown, damaged: true };
}
