import type { VisualizationData } from '../../cases/attachments';
import { stableStringify } from '../stable-json';
import { fencedBlock } from './text';

/**
 * A caseops chart as Kibana markdown. Kibana cannot show the PNG, so the comment carries what the chart
 * said: its title, the absolute time range, the data as a table, the alt text, and the chart spec as a
 * fenced JSON block (enough to draw it again).
 */
export function renderVisualization(chart: VisualizationData): string {
  const parts = [`**Chart: ${chart.title}**`];
  const range = describeRange(chart.spec.range);
  if (range) parts.push(range);
  if (chart.dataTable) parts.push(chart.dataTable);
  if (chart.altText) parts.push(`_${chart.altText}_`);
  parts.push(fencedBlock(stableStringify(chart.spec, '  '), 'json'));
  return parts.join('\n\n');
}

function describeRange(range: unknown): string | undefined {
  if (typeof range !== 'object' || range === null) return undefined;
  const { from, to, timeZone } = range as Record<string, unknown>;
  if (typeof from !== 'string' || typeof to !== 'string') return undefined;
  return `From ${from} to ${to}${typeof timeZone === 'string' ? ` (buckets in ${timeZone})` : ''}`;
}
