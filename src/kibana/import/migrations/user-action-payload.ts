import { isRecord } from '../../records';
import { parseJsonSafely } from '../../safe-json';
import type { Attributes } from '../../saved-objects';
import type { MigratableObject } from './types';

/**
 * Kibana's 8.1.0 user-action migration: the 7.x format `{action, action_at, action_by, action_field[],
 * new_value (JSON text or a bare string), old_value}` becomes `{action, created_at, created_by, type,
 * payload}` (reference §4). Re-implemented from its observable behaviour:
 * - the type is `create_case` / `delete_case` for a create / delete touching several fields, `pushed` for
 *   a push, otherwise the single field's name; `push-to-service` is spelt `push_to_service`;
 * - the payload is built from new_value (else old_value), field by field, each field taking the decoded
 *   value's member of its name when there is one, the whole value otherwise;
 * - a create_case gets the none connector, status open, the action's owner and syncAlerts settings when it
 *   lacks them (old versions did not record those); the superseded "old" connector references are dropped.
 */
const OLD_REFERENCES: ReadonlySet<string> = new Set(['oldConnectorId', 'oldPushConnectorId']);
const NONE_CONNECTOR_PAYLOAD = { name: 'none', type: '.none', fields: null };

export function toTypePayloadFormat({ attributes, references }: MigratableObject): MigratableObject {
  const { new_value: newValue, old_value: oldValue, action_field: actionField, action_at: actionAt, action_by: actionBy, action, ...rest } = attributes;
  const fields = Array.isArray(actionField) ? actionField.filter((field): field is string => typeof field === 'string') : [];
  const type = userActionType(fields, action);
  const owner = typeof rest.owner === 'string' ? rest.owner : 'securitySolution';
  return {
    attributes: {
      ...rest,
      action: action === 'push-to-service' ? 'push_to_service' : action,
      created_at: actionAt,
      created_by: actionBy,
      payload: payloadOf(type, fields, newValue ?? oldValue ?? null, owner),
      type,
    },
    references: references.filter((reference) => !OLD_REFERENCES.has(reference.name)),
  };
}

function userActionType(fields: string[], action: unknown): string {
  if (fields.length > 1 && action === 'create') return 'create_case';
  if (fields.length > 1 && action === 'delete') return 'delete_case';
  if (fields[0] === 'pushed' && action === 'push-to-service') return 'pushed';
  return fields[0] ?? '';
}

function payloadOf(type: string, fields: string[], value: unknown, owner: string): Attributes {
  const decoded = decode(value);
  const payload: Attributes = {};
  if (value !== null) {
    for (const field of fields) {
      const member = isRecord(decoded) && Object.hasOwn(decoded, field) ? decoded[field] : undefined;
      Object.assign(payload, fieldPayload(field, member ?? decoded, owner));
    }
  }
  const createCase = type === 'create_case';
  return {
    ...payload,
    ...((createCase || type === 'connector') && payload.connector == null ? { connector: NONE_CONNECTOR_PAYLOAD } : {}),
    ...(createCase && isEmpty(payload.status) ? { status: 'open' } : {}),
    ...(createCase && isEmpty(payload.owner) ? { owner } : {}),
    ...(createCase && isEmpty(payload.settings) ? { settings: { syncAlerts: true } } : {}),
  };
}

function fieldPayload(field: string, value: unknown, owner: string): Attributes {
  switch (field) {
    case 'title':
    case 'status':
    case 'description':
      return { [field]: typeof value === 'string' ? value : '' };
    case 'owner':
      return { owner: typeof value === 'string' ? value : owner };
    case 'settings':
    case 'connector':
      return { [field]: isRecord(value) ? value : {} };
    case 'pushed':
      return { externalService: isRecord(value) ? value : {} };
    case 'tags':
      return { tags: typeof value === 'string' ? value.split(',').map((tag) => tag.trim()) : Array.isArray(value) ? value : [] };
    case 'comment':
      // Until 7.10 new_value was the bare comment text; later a JSON object whose `comment` member is the text.
      return { comment: isRecord(value) ? value : { comment: typeof value === 'string' ? value : '', type: 'user', owner } };
    default:
      return {};
  }
}

/** JSON text decoded (safely: it is file content too), a bare string kept as it is. */
export function decode(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? {};
  const parsed = parseJsonSafely(value);
  return parsed.ok ? parsed.value : value;
}

/** lodash's isEmpty for the values met here: nullish, '', [] and {} are empty. */
function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string' || Array.isArray(value)) return value.length === 0;
  return isRecord(value) && Object.keys(value).length === 0;
}
