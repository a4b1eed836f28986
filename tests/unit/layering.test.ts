import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { forbiddenImports, importCycles, importGraph } from '../support/import-graph';

const SRC = path.resolve(__dirname, '../../src');

/**
 * The layers of src/, top to bottom, and what each may import. Arrows point down: `cases/` knows nothing of
 * Slack, SQLite or Elasticsearch; the two stores and the evidence features share only what is below them
 * (`elasticsearch/` says what the client's errors mean); only `runtime.ts` composes everything.
 */
const MAY_IMPORT: Record<string, string[]> = {
  'main.ts': ['runtime.ts', 'config.ts', 'log.ts'],
  'runtime.ts': ['scheduler/', 'slack/', 'kibana-sync/', 'outbox/', 'storage/sqlite/', 'storage/elasticsearch/', 'kibana/', 'evidence-es/', 'charts/', 'cases/', 'config.ts', 'log.ts'],
  'slack/': ['outbox/', 'kibana/', 'evidence-es/', 'charts/', 'cases/', 'config.ts', 'log.ts'],
  // Live sync: pushes to Kibana Cases, delivered by the dispatcher like the Slack layer's effects; the pull runs on time.
  'kibana-sync/': ['outbox/', 'scheduler/', 'kibana/', 'cases/', 'config.ts', 'log.ts'],
  // The dispatcher delivers what the stores recorded through handlers the Slack layer gives it.
  'outbox/': ['cases/', 'log.ts'],
  // The scheduler runs domain jobs on time; its claims are the outbox's leases (cases/outbox.ts).
  'scheduler/': ['cases/', 'log.ts'],
  'storage/sqlite/': ['cases/'],
  'storage/elasticsearch/': ['elasticsearch/', 'cases/', 'config.ts'],
  // config.ts checks CASEOPS_KIBANA_VERSION against the versions the export writes, LOG_FORMAT against the formats,
  // CASEOPS_CHART_INDICES against the index-name rules the chart queries enforce.
  'config.ts': ['kibana/', 'evidence-es/', 'log.ts'],
  'kibana/': ['evidence-es/', 'charts/', 'cases/'],
  'evidence-es/': ['elasticsearch/', 'charts/', 'cases/'],
  'charts/': ['cases/'],
  'elasticsearch/': [],
  'log.ts': [],
  'cases/': [],
};

describe('the import graph of src/', () => {
  const graph = importGraph(SRC);

  test('is read: every module is in it, with its imports', () => {
    expect(graph.get('runtime.ts')).toEqual(expect.arrayContaining(['config.ts', 'log.ts']));
    expect(graph.size).toBeGreaterThan(100);
  });

  test('has no import cycle', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  test('has no arrow pointing up or sideways between layers', () => {
    expect(forbiddenImports(graph, MAY_IMPORT)).toEqual([]);
  });
});

describe('the checks find what they look for', () => {
  let root: string;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-layering-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a cycle through a type-only import and a re-export', () => {
    write('charts/renderer.ts', "import { local } from './render-local';\nexport const pick = () => local;\n");
    write('charts/render-local.ts', "import type { Port } from './port';\nexport const local: Port = {};\n");
    write('charts/port.ts', "export { pick } from './renderer';\nexport type Port = object;\n");
    write('charts/alone.ts', "import { local } from './render-local';\nexport const again = local;\n");
    expect(importCycles(importGraph(root))).toEqual([['charts/port.ts', 'charts/render-local.ts', 'charts/renderer.ts']]);
  });

  test('an arrow up, an arrow sideways, and a file in no layer', () => {
    write('cases/model.ts', "import { slack } from '../slack/app';\nexport const model = slack;\n");
    write('slack/app.ts', "import { store } from '../storage/elasticsearch/errors';\nexport const slack = store;\n");
    write('storage/elasticsearch/errors.ts', "export const store = 1;\n");
    write('evidence-es/errors.ts', "import { store } from '../storage/elasticsearch/errors';\nexport const evidence = store;\n");
    write('stray.ts', 'export {};\n');
    const rules = { 'slack/': ['storage/elasticsearch/', 'cases/'], 'evidence-es/': ['cases/'], 'storage/elasticsearch/': ['cases/'], 'cases/': [] };
    expect(forbiddenImports(importGraph(root), rules).sort()).toEqual([
      'cases/model.ts → slack/app.ts (cases/ may not import slack/)',
      'evidence-es/errors.ts → storage/elasticsearch/errors.ts (evidence-es/ may not import storage/elasticsearch/)',
      'stray.ts is in no layer',
    ]);
  });
});
