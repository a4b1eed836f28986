import { z } from 'zod';
import type { VisualizationData } from '../../cases/attachments';
import type { ChartRange } from '../../charts/range';
import { lensMarkdown } from '../../evidence-es/lens-markdown';
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
  const lens = lensFor(chart);
  // Kibana's parser finds a Lens visualization only at the start of a paragraph.
  if (lens) parts.push(lens);
  return parts.join('\n\n');
}

/** A chart of an Elasticsearch query also travels as a Lens visualization, so it opens live in Kibana. */
function lensFor(chart: VisualizationData): string | undefined {
  const query = QuerySpec.safeParse(chart.spec.query);
  const range = RangeSpec.safeParse(chart.spec.range);
  if (!query.success || !range.success) return undefined;
  return lensMarkdown({ title: chart.title, range: range.data as ChartRange, spec: query.data });
}

const QuerySpec = z.object({ query: z.string(), index: z.string(), split: z.object({ field: z.string(), size: z.number().optional() }).optional() });
const RangeSpec = z.object({ from: z.string(), to: z.string(), timeZone: z.string(), bucket: z.object({ count: z.number(), unit: z.string() }) });

function describeRange(range: unknown): string | undefined {
  if (typeof range !== 'object' || range === null) return undefined;
  const { from, to, timeZone } = range as Record<string, unknown>;
  if (typeof from !== 'string' || typeof to !== 'string') return undefined;
  return `From ${from} to ${to}${typeof timeZone === 'string' ? ` (buckets in ${timeZone})` : ''}`;
}
