import type { Case } from '../cases/model';
import type { CaseStore } from '../cases/store';
import { readCaseDescription } from '../kibana/case-marker';
import type { KibanaCase } from './kibana-shapes';

/** The caseops case id as one search word: the mirror's marker carries it, so Kibana's search finds the mirror by it. */
export function mirrorKey(caseId: string): string {
  return caseId.replace(/-/g, '');
}

/** The caseops case id a mirror key stands for: a UUID gets its hyphens back. */
export function caseIdOfKey(key: string): string {
  const uuid = /^([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/i.exec(key);
  return uuid ? uuid.slice(1).join('-') : key;
}

/**
 * The caseops case a Kibana case mirrors, from the marker in its description; undefined for any other case, or when
 * the marker names a case whose mirror is another Kibana case (a copy of the description, say).
 */
export async function mirroringCase(store: CaseStore, kibanaCase: KibanaCase): Promise<Case | undefined> {
  const marker = readCaseDescription(kibanaCase.description).data;
  if (!marker?.mirrorOf) return undefined;
  const theCase = await store.getCase(marker.origin.teamId, { id: caseIdOfKey(marker.mirrorOf) });
  return theCase?.kibanaMirror?.id === kibanaCase.id ? theCase : undefined;
}
