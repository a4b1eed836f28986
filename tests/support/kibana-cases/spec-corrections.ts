/**
 * Where the bundled Cases OpenAPI document disagrees with what Kibana answers, the stand-in corrects the
 * document before validating against it, here and only here, so every deviation is listed in one place.
 * Each correction names the Kibana behaviour it follows (server sources under
 * x-pack/platform/plugins/shared/cases/server/).
 */
type Schema = Record<string, unknown>;

function child(schema: Schema, ...keys: string[]): Schema {
  let node = schema;
  for (const key of keys) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) throw new Error(`Cases OpenAPI document: no ${keys.join('.')}`);
    node = next as Schema;
  }
  return node;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The key each user action payload carries (services/user_actions/builders/*: `payload: {[field]: value}`). */
const PAYLOAD_KEYS: Record<string, string[]> = {
  payload_alert_comment: ['comment'],
  payload_assignees: ['assignees'],
  payload_connector: ['connector'],
  payload_create_case: ['title', 'description', 'tags', 'connector', 'settings', 'owner', 'status'],
  payload_description: ['description'],
  payload_pushed: ['externalService'],
  payload_settings: ['settings'],
  payload_severity: ['severity'],
  payload_status: ['status'],
  payload_tags: ['tags'],
  payload_title: ['title'],
  payload_user_comment: ['comment'],
};

/**
 * User action payloads. The document makes `payload` a `oneOf` of thirteen schemas that require nothing,
 * so every payload object matches several of them and no user action can ever be valid. Kibana writes
 * exactly one key per payload (its field's name; `create_case` carries the whole new case), so each schema
 * now requires its key(s) and the union is an `anyOf`. `payload_delete` becomes the empty object it is.
 * Kibana also records `category` and `customFields` changes (builders/category.ts, custom_fields.ts),
 * which the document's `type` enum and payload list lack.
 */
function correctUserActions(schemas: Schema): void {
  for (const [name, keys] of Object.entries(PAYLOAD_KEYS)) child(schemas, name).required = keys;
  child(schemas, 'payload_delete').maxProperties = 0;
  schemas.payload_category = {
    type: 'object',
    required: ['category'],
    properties: { category: { type: 'string', nullable: true } },
  };
  schemas.payload_custom_fields = {
    type: 'object',
    required: ['customFields'],
    properties: { customFields: { type: 'array', items: { type: 'object', required: ['key', 'type', 'value'] } } },
  };
  const userAction = child(schemas, 'user_actions_find_response_properties', 'properties');
  const payloads = child(userAction, 'payload').oneOf as unknown[];
  userAction.payload = { anyOf: [...payloads, ref('payload_category'), ref('payload_custom_fields')] };
  const types = child(userAction, 'type').enum as string[];
  child(userAction, 'type').enum = [...types, 'category', 'customFields'];
}

/**
 * Alert attachments. Requests may give `alertId` and `index` as a string or an array, and Kibana stores
 * and returns them as given (common/utils.ts `flattenCommentSavedObject`); the response schema says array.
 */
function correctAlertComments(schemas: Schema): void {
  const stringOrArray = { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
  const alert = child(schemas, 'alert_comment_response_properties', 'properties');
  alert.alertId = stringOrArray;
  alert.index = stringOrArray;
}

/**
 * `GET /api/cases/{caseId}/comments/_find` answers `{comments, page, per_page, total}`
 * (client/attachments/get.ts `find`, common/utils.ts `transformComments`); the document says it returns a case.
 */
function correctFindComments(doc: Schema): void {
  const ok = child(doc, 'paths', '/api/cases/{caseId}/comments/_find', 'get', 'responses', '200', 'content', 'application/json');
  ok.schema = {
    type: 'object',
    required: ['comments', 'page', 'per_page', 'total'],
    properties: {
      comments: { type: 'array', items: { oneOf: [ref('alert_comment_response_properties'), ref('user_comment_response_properties')] } },
      page: { type: 'integer' },
      per_page: { type: 'integer' },
      total: { type: 'integer' },
    },
  };
}

/** `DELETE /api/cases?ids=…`: the document puts `minItems`/`maxItems` on each id instead of on the list (Kibana: 1 to 100 ids). */
function correctDeleteIds(doc: Schema): void {
  child(doc, 'components', 'parameters', 'ids').schema = { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string' } };
}

/** Applies every correction to the parsed document, in place. */
export function correctCasesSpec(doc: Schema): void {
  const schemas = child(doc, 'components', 'schemas');
  correctUserActions(schemas);
  correctAlertComments(schemas);
  correctFindComments(doc);
  correctDeleteIds(doc);
}
