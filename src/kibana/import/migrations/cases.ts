import { SEVERITY_CODES, STATUS_CODES } from '../../codes';
import { isRecord } from '../../records';
import type { SavedObjectReference } from '../../saved-objects';
import { type Migration, type MigratableObject, without } from './types';

/** Kibana's connector ids live in references from 7.15 on; `none` has none. */
const CONNECTOR_ID_REFERENCE = 'connectorId';
const PUSH_CONNECTOR_ID_REFERENCE = 'pushConnectorId';

/** The `cases` legacy migrations (reference §2.4); model versions (10.x) change mappings or backfill, not data caseops reads. */
export const CASE_MIGRATIONS: readonly Migration[] = [
  {
    // connector_id became a connector object; Kibana writes the none connector here.
    version: '7.10.0',
    apply: ({ attributes, references }) => ({
      attributes: { ...without(attributes, 'connector_id'), connector: { id: 'none', name: 'none', type: '.none', fields: null } },
      references,
    }),
  },
  {
    version: '7.11.0',
    apply: ({ attributes, references }) => ({ attributes: { ...attributes, settings: { syncAlerts: true, extractObservables: true } }, references }),
  },
  {
    version: '7.12.0',
    apply: ({ attributes, references }) => ({
      attributes: { ...attributes, type: 'individual', connector: withServiceNowCategories(attributes.connector) },
      references,
    }),
  },
  { version: '7.14.0', apply: ({ attributes, references }) => ({ attributes: { ...attributes, owner: 'securitySolution' }, references }) },
  { version: '7.15.0', apply: connectorIdsToReferences },
  { version: '8.1.0', apply: ({ attributes, references }) => ({ attributes: without(attributes, 'type'), references }) },
  {
    version: '8.3.0',
    apply: ({ attributes, references }) => ({
      attributes: { ...attributes, duration: durationSeconds(attributes.created_at, attributes.closed_at), severity: attributes.severity ?? 'low' },
      references,
    }),
  },
  { version: '8.5.0', apply: ({ attributes, references }) => ({ attributes: { ...attributes, assignees: attributes.assignees ?? [] }, references }) },
  {
    version: '8.7.0',
    apply: ({ attributes, references }, notes) => ({
      attributes: {
        ...attributes,
        status: toCode(STATUS_CODES, attributes.status, 'status', notes),
        severity: toCode(SEVERITY_CODES, attributes.severity, 'severity', notes),
        // -1 is Kibana's "unknown": counting every case's attachments in a migration was too costly.
        total_alerts: -1,
        total_comments: -1,
      },
      references,
    }),
  },
];

/** 7.12 gave ServiceNow ITSM cases empty category and subcategory fields. */
function withServiceNowCategories(connector: unknown): unknown {
  if (!isRecord(connector) || connector.type !== '.servicenow' || !Array.isArray(connector.fields)) return connector;
  const keys = new Set(connector.fields.map((field: unknown) => (isRecord(field) ? field.key : undefined)));
  const added = ['category', 'subcategory'].filter((key) => !keys.has(key)).map((key) => ({ key, value: null }));
  return { ...connector, fields: [...connector.fields, ...added] };
}

function connectorIdsToReferences({ attributes, references }: MigratableObject): MigratableObject {
  const moved: SavedObjectReference[] = [];
  let next = attributes;
  if (isRecord(attributes.connector) && 'id' in attributes.connector) {
    const { id, ...connector } = attributes.connector;
    if (typeof id === 'string' && id !== 'none') moved.push({ id, name: CONNECTOR_ID_REFERENCE, type: 'action' });
    next = { ...next, connector };
  }
  if (isRecord(attributes.external_service) && 'connector_id' in attributes.external_service) {
    const { connector_id: id, ...externalService } = attributes.external_service;
    if (typeof id === 'string' && id !== 'none') moved.push({ id, name: PUSH_CONNECTOR_ID_REFERENCE, type: 'action' });
    next = { ...next, external_service: externalService };
  }
  return { attributes: next, references: [...references, ...moved] };
}

/** Whole seconds from creation to closing, as Kibana's 8.3 migration computes them; null unless both are dates. */
function durationSeconds(createdAt: unknown, closedAt: unknown): number | null {
  const created = typeof createdAt === 'string' ? Date.parse(createdAt) : NaN;
  const closed = typeof closedAt === 'string' ? Date.parse(closedAt) : NaN;
  return Number.isNaN(created) || Number.isNaN(closed) ? null : Math.floor((closed - created) / 1000);
}

/** Kibana's 8.7 conversion: known strings to their codes, anything else to the first code (open / low). */
function toCode(codes: Readonly<Record<string, number>>, value: unknown, field: string, notes: string[]): number {
  const code = typeof value === 'string' ? codes[value] : undefined;
  if (code !== undefined) return code;
  const fallback = Object.keys(codes)[0] ?? '';
  notes.push(`its ${field} ${JSON.stringify(value)} is not a Kibana ${field}; it was set to ${fallback}, as Kibana's own migration does`);
  return codes[fallback] ?? 0;
}
