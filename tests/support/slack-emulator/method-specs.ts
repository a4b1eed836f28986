/**
 * Method descriptions and argument checking: argument rules and error codes come from the method descriptions
 * under ../shared/fixtures/slack/web-api/docs-slack-dev-methods/, plus the ones written for the emulator in
 * tests/support/slack-methods/ (same format) for methods the fixtures lack, loaded at start.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { type Obj, PlatformError, errorWithMessages, isObject } from './web-api';

export const SLACK_FIXTURES_DIR = path.resolve(__dirname, '../../../../shared/fixtures/slack');
const METHOD_DIRS = [path.join(SLACK_FIXTURES_DIR, 'web-api', 'docs-slack-dev-methods'), path.resolve(__dirname, '../slack-methods')];

/** Arguments Slack takes as JSON-encoded strings in a form body (the SDK stringifies every non-scalar). */
const JSON_STRING_ARGS = new Set(['blocks', 'attachments', 'metadata', 'unfurled_attachments', 'view', 'files']);

/**
 * Argument groups that the method descriptions state in prose ("one of …") rather than in `required`:
 * a message needs some content, a view call needs a trigger or a view reference.
 */
const ONE_OF_ARGS: Record<string, { args: string[]; error: string }> = {
  'chat.postMessage': { args: ['text', 'blocks', 'attachments', 'markdown_text'], error: 'no_text' },
  'chat.postEphemeral': { args: ['text', 'blocks', 'attachments', 'markdown_text'], error: 'no_text' },
  'chat.update': { args: ['text', 'blocks', 'attachments', 'markdown_text'], error: 'no_text' },
  'views.open': { args: ['trigger_id', 'interactivity_pointer'], error: 'invalid_arguments' },
  'views.push': { args: ['trigger_id', 'interactivity_pointer'], error: 'invalid_arguments' },
  'views.update': { args: ['view_id', 'external_id'], error: 'invalid_arguments' },
};

interface ArgSchema {
  type?: string;
  anyOf?: ArgSchema[];
  allOf?: ArgSchema[];
  items?: { required?: string[] };
  minimum?: number;
  maximum?: number;
}

export interface MethodSpec {
  jsonInput: boolean;
  required: string[];
  properties: Record<string, ArgSchema>;
  errors: Record<string, { desc?: string }>;
}

export function loadMethodSpecs(): Map<string, MethodSpec> {
  const specs = new Map<string, MethodSpec>();
  const files = METHOD_DIRS.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => ({ dir, file: f })));
  for (const { dir, file } of files) {
    const doc = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
      json_input_supported?: boolean;
      args?: { required?: string[]; properties?: Record<string, ArgSchema> };
      errors?: Record<string, { desc?: string }>;
    };
    specs.set(file.slice(0, -'.json'.length), {
      jsonInput: doc.json_input_supported === true,
      required: (doc.args?.required ?? []).filter((arg) => arg !== 'token'),
      properties: doc.args?.properties ?? {},
      errors: doc.errors ?? {},
    });
  }
  return specs;
}

function schemaTypes(schema: ArgSchema): string[] {
  const nested = [...(schema.anyOf ?? []), ...(schema.allOf ?? [])].flatMap(schemaTypes);
  return schema.type ? [schema.type, ...nested] : nested;
}

function isJsonArg(name: string, schema: ArgSchema | undefined): boolean {
  return JSON_STRING_ARGS.has(name) || (!!schema && schemaTypes(schema).some((t) => t === 'array' || t === 'object'));
}

/** Slack treats an empty value like an absent one, and a zero where the minimum is positive too. */
function isMissing(value: unknown, schema: ArgSchema | undefined): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value) && value.length === 0) return true;
  return schema?.minimum !== undefined && schema.minimum > 0 && Number(value) === 0;
}

/**
 * The error for a missing required argument. Methods that declare `missing_argument` use it; otherwise
 * Slack reports the error its docs describe for a bad value of that argument (e.g. "Value passed for
 * `channel` was invalid." → channel_not_found); failing both, `invalid_arguments`.
 */
function missingArgError(spec: MethodSpec, arg: string): PlatformError {
  const byDescription = Object.entries(spec.errors).find(
    ([, e]) => e.desc?.includes(`\`${arg}\``) && /invalid|missing|could not be found/i.test(e.desc),
  )?.[0];
  const code = spec.errors.missing_argument ? 'missing_argument' : (byDescription ?? 'invalid_arguments');
  return errorWithMessages(code, [`missing required field: ${arg}`]);
}

function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string' || typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean' || ['true', 'false', '1', '0'].includes(String(value));
    case 'integer':
      return Number.isInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value));
    case 'number':
      return (typeof value === 'number' || typeof value === 'string') && value !== '' && Number.isFinite(Number(value));
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return true;
  }
}

/** Describes what is wrong with one present argument, or returns undefined. */
function argProblem(arg: string, schema: ArgSchema, value: unknown, json: boolean): string | undefined {
  // JSON-encoded args are typed by their decoded value; a declared "string" there only means "encoded".
  const types = schemaTypes(schema).filter((t) => !json || t === 'array' || t === 'object');
  if (types.length > 0 && !types.some((t) => matchesType(value, t))) {
    return `invalid type for field: ${arg} (expected ${types.join(' or ')})`;
  }
  if (schema.minimum !== undefined && Number(value) < schema.minimum) return `${arg} must be at least ${schema.minimum}`;
  if (schema.maximum !== undefined && Number(value) > schema.maximum) return `${arg} must be at most ${schema.maximum}`;
  const itemKeys = schema.items?.required ?? [];
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const missing = itemKeys.find((key) => !isObject(item) || isMissing(item[key], undefined));
      if (missing) return `missing required field: ${arg}[${i}].${missing}`;
    }
  }
  return undefined;
}

export function checkArgs(method: string, spec: MethodSpec, args: Obj, undecodable: Set<string>): PlatformError | undefined {
  for (const arg of spec.required) {
    if (isMissing(args[arg], spec.properties[arg])) return missingArgError(spec, arg);
  }
  const group = ONE_OF_ARGS[method];
  if (group && group.args.every((arg) => isMissing(args[arg], undefined))) {
    return errorWithMessages(group.error, [`missing required field: ${group.args[0]}`]);
  }
  for (const [arg, schema] of Object.entries(spec.properties)) {
    const value = args[arg];
    if (value === undefined) continue;
    if (undecodable.has(arg)) {
      // Slack names a dedicated error for some (invalid_blocks_format, invalid_metadata_format).
      const dedicated = `invalid_${arg}_format`;
      return errorWithMessages(spec.errors[dedicated] ? dedicated : 'invalid_arguments', [`invalid JSON in field: ${arg}`]);
    }
    const problem = argProblem(arg, schema, value, isJsonArg(arg, schema));
    if (problem) return errorWithMessages('invalid_arguments', [problem]);
  }
  return undefined;
}

/** Decodes the JSON-encoded fields of a form body; fields that fail to parse stay strings and are reported. */
export function decodeJsonArgs(raw: Obj, spec: MethodSpec | undefined): { args: Obj; undecodable: Set<string> } {
  const args: Obj = { ...raw };
  const undecodable = new Set<string>();
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string' || !isJsonArg(key, spec?.properties[key])) continue;
    try {
      args[key] = JSON.parse(value);
    } catch {
      undecodable.add(key);
    }
  }
  return { args, undecodable };
}
