import { renderVisualization } from '../../src/kibana/markdown/visualization';

const base = {
  title: 'Case #7: event.action:logon-failed',
  chartConfig: {},
  dataTable: '| bucket | count |\n| --- | --- |\n| 10:00 | 3 |',
  altText: 'Stacked bar chart',
  slackFile: null,
};
const range = { from: '2026-11-20T10:00:00.000Z', to: '2026-11-20T12:00:00.000Z', timeZone: 'UTC', bucket: { count: 1, unit: 'h' } };

describe('charts in the Kibana export', () => {
  test('a chart of an Elasticsearch query also carries a Lens visualization with its absolute range and query', () => {
    const markdown = renderVisualization({ ...base, spec: { kind: 'query', caseId: 'c1', query: { query: 'event.action:logon-failed', index: 'logs-*' }, range } });
    const lens = markdown.split('\n\n').find((paragraph) => paragraph.startsWith('!{lens'));
    expect(lens).toBeDefined();
    const json = JSON.parse(lens!.slice('!{lens'.length, -1)) as { timeRange: unknown; attributes: { visualizationType: string; state: { query: { query: string } } } };
    expect(json.timeRange).toEqual({ from: range.from, to: range.to, mode: 'absolute' });
    expect(json.attributes.visualizationType).toBe('lnsXY');
    expect(json.attributes.state.query.query).toContain('event.action:logon-failed');
  });

  test('a chart of the case’s own data has no Lens part', () => {
    expect(renderVisualization({ ...base, spec: { kind: 'activity', caseId: 'c1', range } })).not.toContain('!{lens');
  });
});
