import fs from 'node:fs';
import path from 'node:path';
import { type Client, errors } from '@elastic/elasticsearch';
import type { estypes } from '@elastic/elasticsearch';
import { StoreUnavailableError } from '../../cases/errors';
import { allIndices, type IndexNames } from './index-names';

/**
 * Installs caseops' index templates from manifests/elasticsearch/ and creates the indices from them.
 * Idempotent, and safe when several replicas start at once (every step either overwrites with the same content
 * or tolerates "already exists"). Versioned twice: each template carries `version` (a template installed by a
 * newer release is never downgraded), and each index's mapping carries `_meta.caseops_schema`, so this release
 * adds new fields to an older index in place and refuses to write to an index a newer release has migrated.
 */

/** From src/ and from dist/ alike (both sit one level below the repository root). */
const MANIFEST_DIR = path.resolve(__dirname, '..', '..', '..', 'manifests', 'elasticsearch');

const COMPONENT_TEMPLATES = ['settings', 'child-documents'] as const;
const INDEX_TEMPLATES: Record<keyof IndexNames, string> = {
  cases: 'cases',
  attachments: 'attachments',
  userActions: 'user-actions',
  counters: 'counters',
  drafts: 'drafts',
  outbox: 'outbox',
  outboxLeases: 'outbox-leases',
  outboxGivenUp: 'outbox-given-up',
  requestClaims: 'request-claims',
  digestSchedules: 'digest-schedules',
  installations: 'installations',
};

interface ComponentManifest {
  version: number;
  _meta?: Record<string, unknown>;
  template: estypes.IndicesIndexState;
}

interface IndexManifest extends ComponentManifest {
  priority: number;
  /** Component template names without the prefix. */
  composed_of: string[];
  template: estypes.IndicesIndexState & { mappings: estypes.MappingTypeMapping & { _meta: { caseops_schema: number } } };
}

export interface TemplateOptions {
  prefix: string;
  names: IndexNames;
  /** A fixed replica count instead of auto_expand_replicas 0-1. */
  replicas?: number;
}

export async function installIndices(client: Client, options: TemplateOptions): Promise<void> {
  await Promise.all(COMPONENT_TEMPLATES.map((name) => putComponentTemplate(client, options, name)));
  await Promise.all(Object.values(INDEX_TEMPLATES).map((name) => putIndexTemplate(client, options, name)));
  await Promise.all(allIndices(options.names).map((index) => createIndex(client, index)));
  await Promise.all(
    (Object.keys(INDEX_TEMPLATES) as (keyof IndexNames)[]).map((key) =>
      migrateMapping(client, options.names[key], readManifest<IndexManifest>(`${INDEX_TEMPLATES[key]}.index-template.json`)),
    ),
  );
  const health = await client.cluster.health({ index: allIndices(options.names), wait_for_status: 'yellow', timeout: '30s' });
  if (health.timed_out) throw new StoreUnavailableError(`caseops indices did not become usable (cluster health ${health.status})`);
}

/** The names of the templates installIndices puts for a prefix (to uninstall them, say). */
export function templateNames(prefix: string): { indexTemplates: string[]; componentTemplates: string[] } {
  return {
    indexTemplates: Object.values(INDEX_TEMPLATES).map((name) => `${prefix}-${name}`),
    componentTemplates: COMPONENT_TEMPLATES.map((name) => `${prefix}-${name}`),
  };
}

async function putComponentTemplate(client: Client, options: TemplateOptions, name: string): Promise<void> {
  const manifest = readManifest<ComponentManifest>(`${name}.component-template.json`);
  const fullName = `${options.prefix}-${name}`;
  const installed = await installedVersion(() => client.cluster.getComponentTemplate({ name: fullName }).then((r) => r.component_templates[0]?.component_template.version));
  if (installed !== undefined && installed > manifest.version) return;
  await client.cluster.putComponentTemplate({
    name: fullName,
    version: manifest.version,
    _meta: manifest._meta,
    template: name === 'settings' ? withReplicas(manifest.template, options.replicas) : manifest.template,
  });
}

async function putIndexTemplate(client: Client, options: TemplateOptions, name: string): Promise<void> {
  const manifest = readManifest<IndexManifest>(`${name}.index-template.json`);
  const fullName = `${options.prefix}-${name}`;
  const installed = await installedVersion(() => client.indices.getIndexTemplate({ name: fullName }).then((r) => r.index_templates[0]?.index_template.version));
  if (installed !== undefined && installed > manifest.version) return;
  await client.indices.putIndexTemplate({
    name: fullName,
    index_patterns: [fullName],
    version: manifest.version,
    priority: manifest.priority,
    _meta: manifest._meta,
    composed_of: manifest.composed_of.map((component) => `${options.prefix}-${component}`),
    template: manifest.template,
  });
}

async function createIndex(client: Client, index: string): Promise<void> {
  try {
    await client.indices.create({ index });
  } catch (error) {
    if (error instanceof errors.ResponseError && error.statusCode === 400 && /resource_already_exists_exception/.test(error.message)) return;
    throw error;
  }
}

/** Brings an older index up to this release's mapping (additive changes only) and refuses a newer one. */
async function migrateMapping(client: Client, index: string, manifest: IndexManifest): Promise<void> {
  const response = await client.indices.getMapping({ index });
  const meta = Object.values(response)[0]?.mappings._meta;
  const schema = typeof meta?.caseops_schema === 'number' ? meta.caseops_schema : 0;
  const wanted = manifest.template.mappings._meta.caseops_schema;
  if (schema > wanted) {
    throw new Error(`index ${index} has caseops schema ${schema}, newer than this release's ${wanted}: upgrade caseops before starting it`);
  }
  if (schema === wanted) return;
  // What the templates now give an index of this name, component templates included. Putting it adds the
  // missing fields and keeps the rest; Elasticsearch refuses an incompatible change, which then needs a reindex.
  const { template } = await client.indices.simulateIndexTemplate({ name: index });
  await client.indices.putMapping({ index, ...template.mappings });
}

function withReplicas(template: estypes.IndicesIndexState, replicas: number | undefined): estypes.IndicesIndexState {
  if (replicas === undefined) return template;
  const index = { ...template.settings?.index, number_of_replicas: replicas, auto_expand_replicas: 'false' };
  return { ...template, settings: { ...template.settings, index } };
}

async function installedVersion(read: () => Promise<number | undefined>): Promise<number | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof errors.ResponseError && error.statusCode === 404) return undefined;
    throw error;
  }
}

const manifests = new Map<string, unknown>();

function readManifest<T>(file: string): T {
  if (!manifests.has(file)) manifests.set(file, JSON.parse(fs.readFileSync(path.join(MANIFEST_DIR, file), 'utf8')));
  return manifests.get(file) as T;
}
