import type { Client } from '@elastic/elasticsearch';
import { allIndices, indexNames } from '../../src/storage/elasticsearch/index-names';
import { templateNames } from '../../src/storage/elasticsearch/index-templates';
import { createCase } from './support/case-fixtures';
import { describeWithElasticsearch, dropPrefix, testClient, testStore, uniquePrefix } from './support/test-cluster';

describeWithElasticsearch('Elasticsearch store: templates and indices', () => {
  let admin: Client;
  let prefix: string;

  beforeAll(() => {
    admin = testClient();
  });

  afterAll(async () => {
    await admin.close();
  });

  beforeEach(() => {
    prefix = uniquePrefix('templates');
  });

  afterEach(async () => {
    await dropPrefix(prefix);
  });

  const schemaOf = async (index: string) => Object.values(await admin.indices.getMapping({ index }))[0]?.mappings._meta?.caseops_schema;

  test('init installs versioned templates and indices, idempotently, from two replicas at once', async () => {
    const [first, second] = [testStore(prefix), testStore(prefix)];
    await Promise.all([first.init(), second.init()]);
    await first.init();
    const third = testStore(prefix);
    await third.init();

    const names = templateNames(prefix);
    const indexTemplates = await admin.indices.getIndexTemplate({ name: `${prefix}-*` });
    // The counters template and mapping are at version 2: they gained the number records.
    const versions = names.indexTemplates.map((name) => [name, name.endsWith('-counters') ? 2 : 1]);
    expect(indexTemplates.index_templates.map((t) => [t.name, t.index_template.version]).sort()).toEqual(versions.sort());
    const components = await admin.cluster.getComponentTemplate({ name: `${prefix}-*` });
    expect(components.component_templates).toHaveLength(names.componentTemplates.length);
    for (const index of allIndices(indexNames(prefix))) {
      expect(await schemaOf(index)).toBe([indexNames(prefix).counters, indexNames(prefix).cases].includes(index) ? 2 : 1);
      const settings = Object.values(await admin.indices.getSettings({ index }))[0]?.settings?.index;
      expect(settings).toMatchObject({ number_of_shards: '1', auto_expand_replicas: '0-1', refresh_interval: '1s' });
    }
    // One node: auto_expand_replicas gives no replica, so the indices are green rather than forever yellow.
    expect((await admin.cluster.health({ index: allIndices(indexNames(prefix)) })).status).toBe('green');
    await expect(third.health()).resolves.toEqual({ ok: true });
    await Promise.all([first.close(), second.close(), third.close()]);
  });

  test('a fixed replica count replaces auto-expansion', async () => {
    const store = testStore(prefix, { replicas: 0 });
    await store.init();
    const settings = Object.values(await admin.indices.getSettings({ index: indexNames(prefix).cases }))[0]?.settings?.index;
    expect(settings).toMatchObject({ number_of_replicas: '0', auto_expand_replicas: 'false' });
    await store.close();
  });

  test('strict mappings refuse a field nobody declared', async () => {
    const store = testStore(prefix);
    await store.init();
    const theCase = await createCase(store);
    const names = indexNames(prefix);
    for (const index of [names.cases, names.attachments, names.userActions, names.counters, names.drafts]) {
      await expect(admin.index({ index, document: { surprise: 'field' } })).rejects.toThrow(/strict_dynamic_mapping_exception/);
    }
    // The whole case lives in an unindexed object, so a new domain field needs no mapping change.
    const cases = await admin.search({ index: names.cases, query: { exists: { field: 'case.title' } } });
    expect(cases.hits.total).toMatchObject({ value: 0 });
    expect(await store.getCase(theCase.teamId, { id: theCase.id })).toEqual(theCase);
    await store.close();
  });

  test('a template installed by a newer release is not downgraded', async () => {
    const store = testStore(prefix);
    await store.init();
    const name = `${prefix}-cases`;
    const installed = (await admin.indices.getIndexTemplate({ name })).index_templates[0]!.index_template;
    await admin.indices.putIndexTemplate({ name, ...installed, version: 7 });
    await testStore(prefix).init();
    expect((await admin.indices.getIndexTemplate({ name })).index_templates[0]!.index_template.version).toBe(7);
    await store.close();
  });

  test('an index of an older schema gains the new fields; one of a newer schema is refused', async () => {
    const names = indexNames(prefix);
    // As an earlier release would have left it: the attachments index without message_key, schema 0.
    await admin.indices.create({
      index: names.attachments,
      mappings: { dynamic: 'strict', _meta: { caseops_schema: 0 }, properties: { id: { type: 'keyword' }, case_id: { type: 'keyword' } } },
    });
    const store = testStore(prefix);
    await store.init();
    expect(await schemaOf(names.attachments)).toBe(1);
    const mapping = Object.values(await admin.indices.getMapping({ index: names.attachments }))[0]!.mappings;
    expect(Object.keys(mapping.properties ?? {})).toEqual(expect.arrayContaining(['message_key', 'type', 'case_id', 'pending']));
    await store.close();

    await admin.indices.putMapping({ index: names.cases, _meta: { caseops_schema: 3 } });
    const older = testStore(prefix);
    await expect(older.init()).rejects.toThrow(/caseops schema 3, newer than this release's 2/);
    await expect(older.health()).resolves.toEqual({ ok: false, reason: expect.stringMatching(/newer than this release/) });
    await older.close();
  });
});
