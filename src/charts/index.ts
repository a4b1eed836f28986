/** The charts module's public surface: what the Slack command and the case wiring use. */
export { MAX_ALT_TEXT_LENGTH, shareAltText, shareTable, timeSeriesAltText, timeSeriesTable } from './alt-text';
export { type BucketCounts, countByBucket, type SeriesCounts, type TimePoint } from './buckets';
export { type ChartSize, DEFAULT_CHART_SIZE } from './chart-size';
export { type BarChartConfig, type DoughnutChartConfig, doughnutConfig, severitySlices, barConfig } from './config';
export type { BucketUnit, Duration } from './duration';
export {
  type ActivityChartSpec,
  type ChartDataSource,
  type ChartSpec,
  type MadeChart,
  type SeverityChartSpec,
  describeActivity,
  describeSeverity,
  makeChart,
} from './pipeline';
export { type ChartRange, formatRange, MAX_BUCKETS, parseRange, type RangeResult } from './range';
export { type ChartRendererOptions, createChartRenderer, DEFAULT_QUICKCHART_TIMEOUT_MS } from './choose-renderer';
export type { ChartLogger, ChartRenderer } from './renderer';
