import { randomBytes } from 'node:crypto';

import type { Client } from '@elastic/elasticsearch';

import type { ChartRange } from '../../src/charts/range';
import { lensMarkdown, securityDataViewId } from '../../src/evidence-es/lens-markdown';
import { describeWithElasticsearch, testClient } from '../elasticsearch/support/test-cluster';

/**
 * The Lens block Kibana case markdown carries for an Elasticsearch-sourced chart. Kibana's parser (cases'
 * markdown_editor/plugins/lens/parser.ts) is reproduced here as it works: after `!{lens` it takes characters,
 * counting `{` and `}` without regard to JSON strings, until the brace that closes `!{`, then JSON.parses them.
 */
function parseLikeKibana(markdown: string): { timeRange: Record<string, unknown>; attributes: LensAttributes } {
  const PREFIX = '!{lens';
  if (!markdown.startsWith(PREFIX) || markdown[PREFIX.length] !== '{') throw new Error('not a Lens block');
  let open = 0;
  let configuration = '';
  for (const character of markdown.slice(PREFIX.length)) {
    if (character === '{') open += 1;
    if (character === '}') {
      open -= 1;
      if (open === -1) break;
    }
    configuration += character;
  }
  if (open !== -1) throw new Error('unbalanced braces');
  return JSON.parse(configuration) as { timeRange: Record<string, unknown>; attributes: LensAttributes };
}

interface LensAttributes {
  title: string;
  visualizationType: string;
  type: string;
  references: Array<{ type: string; id: string; name: string }>;
  state: {
    query: { query: string; language: string };
    visualization: { layers: Array<{ layerId: string; xAccessor: string; accessors: string[]; splitAccessor?: string }> };
    datasourceStates: { indexpattern: { layers: Record<string, { columns: Record<string, Record<string, unknown>>; columnOrder: string[] }> } };
  };
}

const RANGE: ChartRange = { from: '2025-03-10T00:00:00.000Z', to: '2025-03-11T00:00:00.000Z', bucket: { count: 1, unit: 'h' }, timeZone: 'Europe/Paris' };

describe('Lens markdown for an Elasticsearch-sourced chart', () => {
  const markdown = lensMarkdown({
    title: 'Logon failures by host',
    range: RANGE,
    spec: { query: 'event.action:logon-failed', index: 'logs-*,filebeat-*', split: { field: 'host.name', size: 3 } },
  });
  const { timeRange, attributes } = parseLikeKibana(markdown);

  it('parses back the way Kibana parses it, to the end of the block', () => {
    expect(markdown.endsWith('}}')).toBe(true);
    expect(`!{lens${JSON.stringify({ timeRange, attributes })}}`).toBe(markdown);
  });

  it('carries the absolute range, so the chart in the case never moves', () => {
    expect(timeRange).toEqual({ from: '2025-03-10T00:00:00.000Z', to: '2025-03-11T00:00:00.000Z', mode: 'absolute' });
  });

  it('is an XY Lens chart counting over @timestamp by the chart bucket, split by the field', () => {
    expect(attributes).toMatchObject({ title: 'Logon failures by host', visualizationType: 'lnsXY', type: 'lens' });
    const [layer] = attributes.state.visualization.layers;
    const columns = attributes.state.datasourceStates.indexpattern.layers[layer?.layerId ?? '']?.columns ?? {};
    expect(columns[layer?.xAccessor ?? '']).toMatchObject({ operationType: 'date_histogram', sourceField: '@timestamp', params: { interval: '1h' } });
    expect(columns[layer?.accessors[0] ?? '']).toMatchObject({ operationType: 'count', sourceField: '___records___' });
    expect(columns[layer?.splitAccessor ?? '']).toMatchObject({ operationType: 'terms', sourceField: 'host.name', params: { size: 3, otherBucket: true } });
  });

  it('references Security’s default data view and narrows it to the chart’s indices in the query', () => {
    expect(attributes.references).toEqual([
      { type: 'index-pattern', id: 'security-solution-default', name: 'indexpattern-datasource-current-indexpattern' },
      { type: 'index-pattern', id: 'security-solution-default', name: `indexpattern-datasource-layer-${attributes.state.visualization.layers[0]?.layerId}` },
    ]);
    expect(attributes.state.query).toEqual({ query: '(event.action:logon-failed) AND (_index:logs\\-* OR _index:filebeat\\-*)', language: 'lucene' });
    expect(securityDataViewId('soc')).toBe('security-solution-soc');
  });

  it('keeps a query with unbalanced braces inside its JSON strings, where Kibana’s brace count cannot see them', () => {
    const block = lensMarkdown({ title: 'Big {transfers', range: RANGE, spec: { query: 'bytes:[1000000 TO *} AND tag:"}}}"', index: 'logs-*' } });
    const parsed = parseLikeKibana(`${block}\n\nmore text {`);
    expect(parsed.attributes.title).toBe('Big {transfers');
    expect(parsed.attributes.state.query.query).toBe('(bytes:[1000000 TO *} AND tag:"}}}") AND (_index:logs\\-*)');
    expect(parsed.attributes.state.visualization.layers[0]?.splitAccessor).toBeUndefined();
  });

  it('is the same text every time for the same chart', () => {
    expect(lensMarkdown({ title: 'Logon failures by host', range: RANGE, spec: { query: 'event.action:logon-failed', index: 'logs-*,filebeat-*', split: { field: 'host.name', size: 3 } } })).toBe(markdown);
  });
});

describeWithElasticsearch('the Lens query', () => {
  let client: Client;
  const index = `caseops-test-lens-${randomBytes(4).toString('hex')}`;
  /** Also in the data view's reach, with matching documents the chart does not count. */
  const neighbour = `${index}-neighbour`;

  beforeAll(async () => {
    client = testClient();
    const documents = (target: string, tags: string[]): object[] =>
      tags.flatMap((tag) => [{ create: { _index: target } }, { '@timestamp': '2025-03-10T01:00:00Z', tag }]);
    for (const target of [index, neighbour]) {
      await client.indices.create({ index: target, mappings: { properties: { '@timestamp': { type: 'date' }, tag: { type: 'keyword' } } } });
    }
    await client.bulk({ refresh: true, operations: [...documents(index, ['phish', 'phish', 'malware']), ...documents(neighbour, ['phish'])] });
  });
  afterAll(async () => {
    await client.indices.delete({ index: [index, neighbour], ignore_unavailable: true });
    await client.close();
  });

  it('selects the documents the chart counts, and nothing from other indices', async () => {
    const { attributes } = parseLikeKibana(lensMarkdown({ title: 'Phishing', range: RANGE, spec: { query: 'tag:phish', index } }));
    const { count } = await client.count({ index: [index, neighbour], query: { query_string: { query: attributes.state.query.query } } });
    expect(count).toBe(2);
  });
});
