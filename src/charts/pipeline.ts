/**
 * A chart from request to PNG: spec → data (from a ChartDataSource, the seam to cases and
 * Elasticsearch) → Chart.js configuration and alt text → PNG. Everything but the data source and
 * the renderer is pure, so a stored spec rebuilds the identical configuration.
 */
import type { ChartConfiguration } from 'chart.js';

import type { Severity } from '../cases/model';

import { shareAltText, shareTable, timeSeriesAltText, timeSeriesTable } from './alt-text';
import { countByBucket, type TimePoint } from './buckets';
import type { ChartSize } from './chart-size';
import { doughnutConfig, severitySlices, barConfig } from './config';
import type { ChartRange } from './range';
import type { ChartRenderer } from './renderer';

interface ChartSpecBase {
  /** What the chart is about, e.g. `Case #42 activity`. */
  readonly title: string;
  /** Absolute: resolved once by parseRange when the chart is requested, then stored. */
  readonly range: ChartRange;
  /** What is counted, plural (`events`, `alerts`, `cases`). */
  readonly noun?: string;
}

/** Counts over time, stacked by series (e.g. a case's events by type). */
export interface ActivityChartSpec extends ChartSpecBase {
  readonly kind: 'activity';
  /** Series shown first and always (see CountOptions.seriesOrder). */
  readonly seriesOrder?: readonly string[];
  /** Series side by side rather than stacked (config.ts). */
  readonly grouped?: boolean;
}

/** Shares by case severity (e.g. open cases). */
export interface SeverityChartSpec extends ChartSpecBase {
  readonly kind: 'severity';
}

export type ChartSpec = ActivityChartSpec | SeverityChartSpec;

/**
 * Where the numbers come from. An implementation is bound to its subject (one case, or all cases
 * the asking user may see) and answers for the spec's range.
 */
export interface ChartDataSource {
  /** Points within [range.from, range.to); points outside are ignored. */
  timePoints(spec: ActivityChartSpec): Promise<Iterable<TimePoint>>;
  severityCounts(spec: SeverityChartSpec): Promise<Readonly<Partial<Record<Severity, number>>>>;
}

export interface DescribedChart {
  readonly config: ChartConfiguration;
  readonly altText: string;
  /** The numbers behind the chart as a markdown table: kept with the chart for Kibana and for readers. */
  readonly dataTable: string;
}

export interface MadeChart extends DescribedChart {
  readonly png: Buffer;
}

export async function makeChart(
  spec: ChartSpec,
  source: ChartDataSource,
  renderer: ChartRenderer,
  size?: ChartSize,
): Promise<MadeChart> {
  const described =
    spec.kind === 'activity'
      ? describeActivity(spec, await source.timePoints(spec))
      : describeSeverity(spec, await source.severityCounts(spec));
  return { ...described, png: await renderer.render(described.config, size) };
}

export function describeActivity(spec: ActivityChartSpec, points: Iterable<TimePoint>): DescribedChart {
  const input = {
    title: spec.title,
    range: spec.range,
    noun: spec.noun,
    counts: countByBucket(spec.range, points, { seriesOrder: spec.seriesOrder }),
    grouped: spec.grouped,
  };
  return { config: barConfig(input), altText: timeSeriesAltText(input), dataTable: timeSeriesTable(input) };
}

export function describeSeverity(
  spec: SeverityChartSpec,
  counts: Readonly<Partial<Record<Severity, number>>>,
): DescribedChart {
  const input = { title: spec.title, range: spec.range, noun: spec.noun, slices: severitySlices(counts) };
  return { config: doughnutConfig(input), altText: shareAltText(input), dataTable: shareTable(input) };
}
