import { type ChartDataSource, makeChart } from '../../src/charts/pipeline';
import { readPngHeader } from '../../src/charts/png';
import { createLocalRenderer } from '../../src/charts/render-local';
import { SAMPLE_ACTIVITY, SAMPLE_SEVERITY, SAMPLE_SEVERITY_COUNTS, sampleActivityPoints } from './support/sample-charts';

/** What the case store wiring will provide: here, fixed data held in memory. */
const inMemorySource: ChartDataSource = {
  timePoints: async () => sampleActivityPoints(),
  severityCounts: async () => SAMPLE_SEVERITY_COUNTS,
};

describe('makeChart', () => {
  const renderer = createLocalRenderer();

  test('activity: configuration, alt text and PNG from the data source', async () => {
    const chart = await makeChart(SAMPLE_ACTIVITY, inMemorySource, renderer);
    expect(chart.config.type).toBe('bar');
    expect(chart.config.data.labels).toHaveLength(48);
    expect(chart.altText).toMatch(/^Stacked bar chart: Case #42 activity, 2026-11-26 14:00 – 2026-11-28 14:00 UTC, 1h buckets\. 3000 events: /);
    expect(readPngHeader(chart.png)).toEqual({ width: 1200, height: 800 });
  });

  test('severity: a doughnut of the counts', async () => {
    const chart = await makeChart(SAMPLE_SEVERITY, inMemorySource, renderer, { width: 300, height: 200, devicePixelRatio: 1 });
    expect(chart.config.type).toBe('doughnut');
    expect(chart.altText).toMatch(/26 cases: Low 7 \(27%\), Medium 12 \(46%\), High 5 \(19%\), Critical 2 \(8%\)\.$/);
    expect(readPngHeader(chart.png)).toEqual({ width: 300, height: 200 });
  });
});
