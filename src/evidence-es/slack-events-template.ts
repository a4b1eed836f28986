/**
 * The data stream attached Slack messages are written to, `logs-caseops.slack-<namespace>`, and the index
 * template (with its component templates) that makes the first write create it, from manifests/elasticsearch/.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Client, estypes } from '@elastic/elasticsearch';

import { isUnreachable } from '../elasticsearch/errors';
import { EvidenceError, EvidenceUnavailableError } from './errors';

export const DEFAULT_SLACK_EVENTS_NAMESPACE = 'default';
export const SLACK_EVENTS_TEMPLATE = 'caseops-slack-events';
/** The component templates the index template is composed of, in order; their manifests are `<name minus caseops->.component-template.json`. */
const SLACK_EVENTS_COMPONENTS = ['caseops-slack-events-ecs', 'caseops-slack-events-slack'] as const;

/** From src/ and from dist/ alike (both sit one level below the repository root). */
const MANIFEST_DIR = path.resolve(__dirname, '..', '..', 'manifests', 'elasticsearch');

/**
 * Elasticsearch's rules for a data stream namespace (lowercase, no `-`, at most 100 bytes), narrowed to what
 * stays readable in a URL and a query without quoting.
 */
const NAMESPACE = /^[a-z0-9_]{1,100}$/;

export function slackEventsDataStream(namespace: string = DEFAULT_SLACK_EVENTS_NAMESPACE): string {
  if (!NAMESPACE.test(namespace)) {
    throw new EvidenceError(`\`${namespace.slice(0, 40)}\` is not a data stream namespace: use lowercase letters, digits and _ (at most 100).`);
  }
  return `logs-caseops.slack-${namespace}`;
}

interface TemplateManifest {
  version: number;
  _meta?: Record<string, unknown>;
  template: estypes.IndicesIndexState;
}

interface IndexTemplateManifest extends TemplateManifest {
  index_patterns: string[];
  priority: number;
  data_stream: Record<string, never>;
  composed_of: string[];
  ignore_missing_component_templates: string[];
}

/**
 * Puts the component templates and the index template. Idempotent and safe for several replicas at once (each
 * put overwrites with the same content); a template a newer caseops installed (higher `version`) is left as it is.
 * Existing data streams take the new mapping at their next rollover.
 */
export async function installSlackEventsTemplate(client: Client): Promise<void> {
  try {
    await Promise.all(SLACK_EVENTS_COMPONENTS.map((name) => putComponentTemplate(client, name)));
    await putIndexTemplate(client);
  } catch (error) {
    if (isUnreachable(error)) throw new EvidenceUnavailableError('the Slack events data stream', error);
    throw error;
  }
}

async function putComponentTemplate(client: Client, name: string): Promise<void> {
  const manifest = readManifest<TemplateManifest>(`${name.replace(/^caseops-/, '')}.component-template.json`);
  const installed = await client.cluster.getComponentTemplate({ name }, { ignore: [404] });
  if ((installed.component_templates?.[0]?.component_template.version ?? 0) > manifest.version) return;
  await client.cluster.putComponentTemplate({ name, version: manifest.version, _meta: manifest._meta, template: manifest.template });
}

async function putIndexTemplate(client: Client): Promise<void> {
  const manifest = readManifest<IndexTemplateManifest>('slack-events.index-template.json');
  const installed = await client.indices.getIndexTemplate({ name: SLACK_EVENTS_TEMPLATE }, { ignore: [404] });
  if ((installed.index_templates?.[0]?.index_template.version ?? 0) > manifest.version) return;
  await client.indices.putIndexTemplate({ name: SLACK_EVENTS_TEMPLATE, ...manifest });
}

function readManifest<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(MANIFEST_DIR, file), 'utf8')) as T;
}
