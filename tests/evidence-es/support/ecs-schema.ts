/**
 * Checks documents and mappings against Elastic's own ECS definitions (`EcsFlat` of @elastic/ecs): every field
 * exists in ECS, holds a value of its ECS type (an array where ECS normalises to one), categorisation fields
 * use allowed values, and `event.category`/`event.type` pairs are ones ECS expects. Fields under a custom
 * namespace are left to the caller, which must show ECS defines nothing there.
 */
import net from 'node:net';

import { EcsFlat } from '@elastic/ecs';

interface EcsField {
  type: string;
  normalize: string[];
  allowed_values?: { name: string; expected_event_types?: string[] }[];
  expected_values?: string[];
}

const ECS = EcsFlat as unknown as Record<string, EcsField>;

/**
 * ECS types whose Elasticsearch field type comes from a module some distributions lack, and the type a mapping
 * may use instead (queries read the same); see manifests/elasticsearch/slack-events-ecs.component-template.json.
 */
const STAND_IN_TYPES: Record<string, string> = { match_only_text: 'text', wildcard: 'keyword', constant_keyword: 'keyword' };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a JSON value is one Elasticsearch takes for a field of this ECS type. */
function fits(type: string, value: unknown): boolean {
  switch (type) {
    case 'keyword':
    case 'wildcard':
    case 'constant_keyword':
    case 'match_only_text':
    case 'text':
      return typeof value === 'string';
    case 'ip':
      return typeof value === 'string' && net.isIP(value) !== 0;
    case 'date':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value;
    case 'long':
    case 'integer':
      return Number.isInteger(value);
    case 'float':
    case 'double':
    case 'scaled_float':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return isObject(value);
  }
}

/** What is wrong with `document` by ECS; empty when it is ECS-exact outside `customNamespaces`. */
export function ecsDocumentProblems(document: Record<string, unknown>, customNamespaces: readonly string[]): string[] {
  const problems: string[] = [];
  const visit = (path: string, value: unknown): void => {
    const field = ECS[path];
    if (field === undefined || field.type === 'object') {
      if (isObject(value)) for (const [key, inner] of Object.entries(value)) visit(`${path}.${key}`, inner);
      else if (Array.isArray(value) && value.some(isObject)) problems.push(`${path} is a list of objects, which ECS allows only for nested fields`);
      else problems.push(`${path} is not an ECS field`);
      return;
    }
    if (field.type === 'nested') {
      if (!Array.isArray(value) || !value.every(isObject)) problems.push(`${path} must be a list of objects (ECS: nested)`);
      else for (const item of value) for (const [key, inner] of Object.entries(item)) visit(`${path}.${key}`, inner);
      return;
    }
    if (field.normalize.includes('array') && !Array.isArray(value)) problems.push(`${path} must be an array`);
    for (const item of Array.isArray(value) ? value : [value]) {
      if (!fits(field.type, item)) problems.push(`${path}: ${JSON.stringify(item)} is not a ${field.type}`);
      const allowed = field.allowed_values?.map((entry) => entry.name) ?? field.expected_values;
      if (allowed && !allowed.includes(String(item))) problems.push(`${path}: ${JSON.stringify(item)} is not one of ${allowed.join(', ')}`);
    }
  };
  for (const [key, value] of Object.entries(document)) {
    if (!customNamespaces.includes(key)) visit(key, value);
  }
  return [...problems, ...categorisationProblems(document)];
}

/** Each `event.type` must be one ECS expects with each `event.category` of the document. */
function categorisationProblems(document: Record<string, unknown>): string[] {
  const event = isObject(document.event) ? document.event : {};
  const categories = [event.category ?? []].flat() as string[];
  const types = [event.type ?? []].flat() as string[];
  if (types.length > 0 && categories.length === 0) return ['event.type is set without event.category'];
  return categories.flatMap((category) => {
    const expected = ECS['event.category']!.allowed_values!.find((entry) => entry.name === category)?.expected_event_types ?? [];
    return types.filter((type) => !expected.includes(type)).map((type) => `event.category ${category} does not go with event.type ${type} (ECS expects ${expected.join(', ')})`);
  });
}

interface MappingProperty {
  type?: string;
  properties?: Record<string, MappingProperty>;
}

/** What is wrong with a mapping's `properties` by ECS: a field ECS lacks, or one mapped with another type. */
export function ecsMappingProblems(properties: Record<string, MappingProperty>, customNamespaces: readonly string[]): string[] {
  const problems: string[] = [];
  const visit = (path: string, property: MappingProperty): void => {
    const field = ECS[path];
    const type = property.type ?? (property.properties ? 'object' : undefined);
    if (field === undefined && type !== 'object') problems.push(`${path} is not an ECS field`);
    else if (field !== undefined && type !== field.type && type !== STAND_IN_TYPES[field.type]) problems.push(`${path} is mapped as ${type}, ECS says ${field.type}`);
    for (const [key, inner] of Object.entries(property.properties ?? {})) visit(`${path}.${key}`, inner);
  };
  for (const [key, property] of Object.entries(properties)) {
    if (!customNamespaces.includes(key)) visit(key, property);
  }
  return problems;
}

/** Whether ECS defines any field under `namespace`: a custom namespace must be one it does not. */
export function ecsDefines(namespace: string): boolean {
  return Object.keys(ECS).some((field) => field === namespace || field.startsWith(`${namespace}.`));
}
