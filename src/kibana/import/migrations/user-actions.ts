import { isRecord } from '../../records';
import type { SavedObjectReference } from '../../saved-objects';
import { ALERT_TYPES } from './comments';
import { type Migration, type MigratableObject } from './types';
import { decode, toTypePayloadFormat } from './user-action-payload';

/** The `cases-user-actions` legacy migrations (reference §4). */
export const USER_ACTION_MIGRATIONS: readonly Migration[] = [
  { version: '7.10.0', apply: connectorIdFieldToConnector },
  { version: '7.14.0', apply: ({ attributes, references }) => ({ attributes: { ...attributes, owner: 'securitySolution' }, references }) },
  { version: '7.16.0', apply: connectorIdsToReferences },
  { version: '8.0.0', apply: withoutAlertRules },
  { version: '8.1.0', apply: toTypePayloadFormat },
  { version: '8.3.0', apply: (object) => withCreateCaseDefault(object, 'severity', 'low') },
  { version: '8.5.0', apply: (object) => withCreateCaseDefault(object, 'assignees', []) },
];

function actionFields(attributes: Record<string, unknown>): string[] {
  return Array.isArray(attributes.action_field) ? attributes.action_field.filter((field): field is string => typeof field === 'string') : [];
}

/** Before 7.10 a case's connector was only an id, recorded under the field `connector_id`. */
function connectorIdFieldToConnector({ attributes, references }: MigratableObject): MigratableObject {
  if (!actionFields(attributes).includes('connector_id')) return { attributes, references };
  const asConnector = (value: unknown) =>
    typeof value === 'string' ? JSON.stringify({ id: value, name: 'none', type: '.none', fields: null }) : value;
  return {
    attributes: {
      ...attributes,
      action_field: actionFields(attributes).map((field) => (field === 'connector_id' ? 'connector' : field)),
      new_value: asConnector(attributes.new_value),
      old_value: asConnector(attributes.old_value),
    },
    references,
  };
}

/** 7.16 moved connector ids out of the recorded values into references (`none` gets none). */
function connectorIdsToReferences({ attributes, references }: MigratableObject): MigratableObject {
  const fields = actionFields(attributes);
  const { action } = attributes;
  const moved: SavedObjectReference[] = [];
  const extract = (value: unknown, member: string | undefined, idKey: string, name: string): unknown => {
    const decoded = decode(value);
    if (typeof value !== 'string' || !isRecord(decoded)) return value;
    const holder = member ? decoded[member] : decoded;
    if (!isRecord(holder) || !(idKey in holder)) return value;
    const { [idKey]: id, ...rest } = holder;
    if (typeof id === 'string' && id !== 'none') moved.push({ id, name, type: 'action' });
    return JSON.stringify(member ? { ...decoded, [member]: rest } : rest);
  };
  let next = attributes;
  if (fields.includes('connector') && (action === 'create' || action === 'update')) {
    const member = fields.length > 1 ? 'connector' : undefined;
    next = {
      ...next,
      new_value: extract(attributes.new_value, member, 'id', 'connectorId'),
      old_value: extract(attributes.old_value, member, 'id', 'oldConnectorId'),
    };
  }
  if (fields.includes('pushed') && action === 'push-to-service') {
    next = {
      ...next,
      new_value: extract(attributes.new_value, undefined, 'connector_id', 'pushConnectorId'),
      old_value: extract(attributes.old_value, undefined, 'connector_id', 'oldPushConnectorId'),
    };
  }
  return { attributes: next, references: [...references, ...moved] };
}

/** 8.0 nulled the rule of alert comments recorded in comment actions. */
function withoutAlertRules({ attributes, references }: MigratableObject): MigratableObject {
  if (!actionFields(attributes).includes('comment')) return { attributes, references };
  const clean = (value: unknown): unknown => {
    const decoded = decode(value);
    if (typeof value !== 'string' || !isRecord(decoded) || !ALERT_TYPES.has(decoded.type)) return value;
    return JSON.stringify({ ...decoded, rule: { id: null, name: null } });
  };
  return { attributes: { ...attributes, new_value: clean(attributes.new_value), old_value: clean(attributes.old_value) }, references };
}

function withCreateCaseDefault({ attributes, references }: MigratableObject, key: string, value: unknown): MigratableObject {
  if (attributes.type !== 'create_case' || !isRecord(attributes.payload)) return { attributes, references };
  return { attributes: { ...attributes, payload: { ...attributes.payload, [key]: attributes.payload[key] ?? value } }, references };
}
