/**
 * Chart.js v4 configurations for caseops charts, as plain JSON: no functions, no Dates, no `time`
 * scale (labels are written by buckets.ts). The same object is rendered locally, sent to a
 * self-hosted QuickChart, or stored with the chart, and rebuilding it from the stored range gives
 * the identical object.
 */
import type { ChartConfiguration, ChartOptions } from 'chart.js';

import { SEVERITIES, type Severity } from '../cases/model';

import type { BucketCounts } from './buckets';
import { DEFAULT_CHART_SIZE } from './chart-size';
import { formatDuration } from './duration';
import { type ChartRange, rangeParts } from './range';
import { COLOURS, FONT_SIZES, SPACING, seriesColour, seriesLabel } from './theme';
import { timeZoneLabel } from '../cases/zoned-time';

export type BarChartConfig = ChartConfiguration<'bar', number[], string>;
export type DoughnutChartConfig = ChartConfiguration<'doughnut', number[], string>;

export interface TimeSeriesChartInput {
  /** What the chart is about, e.g. `Case #42 activity`. */
  readonly title: string;
  readonly range: ChartRange;
  readonly counts: BucketCounts;
  /** What is counted, plural (`events`, `alerts`); default `events`. */
  readonly noun?: string;
  /** Series side by side in each bucket rather than stacked: for series that are not parts of one whole (opened, closed). */
  readonly grouped?: boolean;
}

export interface Slice {
  readonly key: string;
  readonly value: number;
}

export interface ShareChartInput {
  readonly title: string;
  readonly range: ChartRange;
  readonly slices: readonly Slice[];
  /** What is counted, plural; default `cases`. */
  readonly noun?: string;
}

/** Counts over time, one colour per series, stacked unless `grouped`. */
export function barConfig(input: TimeSeriesChartInput): BarChartConfig {
  const { range, counts } = input;
  const stacked = !input.grouped;
  const noun = input.noun ?? 'events';
  const isEmpty = counts.series.every((series) => series.total === 0);
  const tickFont = { size: FONT_SIZES.tick };
  const axisTitleFont = { size: FONT_SIZES.axisTitle };

  return {
    type: 'bar',
    data: {
      labels: [...counts.labels],
      datasets: counts.series.map((series, index) => ({
        label: seriesLabel(series.key),
        data: [...series.counts],
        backgroundColor: seriesColour(series.key, index),
        borderWidth: 0,
      })),
    },
    options: {
      ...commonOptions<'bar'>(input.title, subtitle(range, noun, isEmpty), !isEmpty, 'top'),
      scales: {
        x: {
          stacked,
          grid: { display: false },
          ticks: {
            color: COLOURS.text,
            font: tickFont,
            maxRotation: 0,
            autoSkip: true,
            autoSkipPadding: SPACING.tickGap,
          },
          title: { display: true, text: `Time (${timeZoneLabel(range.timeZone)})`, color: COLOURS.mutedText, font: axisTitleFont },
        },
        y: {
          stacked,
          beginAtZero: true,
          grid: { color: COLOURS.grid },
          border: { display: false },
          // Counts are whole numbers; without this a chart of 1–3 events gets ticks at 0.5.
          ticks: { color: COLOURS.text, font: tickFont, precision: 0 },
          title: {
            display: true,
            text: `${capitalise(noun)} per ${formatDuration(range.bucket)}`,
            color: COLOURS.mutedText,
            font: axisTitleFont,
          },
        },
      },
    },
  };
}

/** Shares of a whole, e.g. open cases by severity. Values go into the legend (`High · 4`). */
export function doughnutConfig(input: ShareChartInput): DoughnutChartConfig {
  const noun = input.noun ?? 'cases';
  const total = input.slices.reduce((sum, slice) => sum + slice.value, 0);
  const isEmpty = total === 0;
  // An all-zero doughnut draws nothing at all; a plain ring keeps the chart recognisably a chart.
  const dataset = isEmpty
    ? { data: [1], backgroundColor: [COLOURS.empty], borderWidth: 0 }
    : {
        data: input.slices.map((slice) => slice.value),
        backgroundColor: input.slices.map((slice, index) => seriesColour(slice.key, index)),
        borderColor: COLOURS.sliceBorder,
        borderWidth: 2,
      };

  return {
    type: 'doughnut',
    data: {
      labels: isEmpty ? [''] : input.slices.map((slice) => `${seriesLabel(slice.key)} · ${slice.value}`),
      datasets: [dataset],
    },
    options: {
      ...commonOptions<'doughnut'>(input.title, subtitle(input.range, noun, isEmpty, total), !isEmpty, 'right'),
      cutout: '55%',
    },
  };
}

/** Slices for a severity doughnut, low → critical, every severity present so legends always match. */
export function severitySlices(counts: Readonly<Partial<Record<Severity, number>>>): Slice[] {
  return SEVERITIES.map((key) => ({ key, value: counts[key] ?? 0 }));
}

/** Title, subtitle, legend and spacing shared by every chart type: the one look. */
function commonOptions<TType extends 'bar' | 'doughnut'>(
  title: string,
  subtitle: Subtitle,
  showLegend: boolean,
  legendPosition: 'top' | 'right',
): ChartOptions<TType> {
  const options: ChartOptions<'bar' | 'doughnut'> = {
    layout: { padding: SPACING.chartPadding },
    plugins: {
      title: {
        display: true,
        text: fitToWidth(title.split(' '), FONT_SIZES.title, BOLD_CHAR_EM),
        color: COLOURS.text,
        font: { size: FONT_SIZES.title, weight: 'bold' },
        padding: { top: 0, bottom: 4 },
      },
      subtitle: {
        display: true,
        text: fitToWidth(subtitle.segments, FONT_SIZES.subtitle, REGULAR_CHAR_EM),
        // "Nothing to show" is the message of an empty chart, so it gets the title's colour.
        color: subtitle.isEmpty ? COLOURS.text : COLOURS.mutedText,
        font: { size: FONT_SIZES.subtitle },
        padding: { bottom: 12 },
      },
      legend: {
        display: showLegend,
        position: legendPosition,
        labels: {
          color: COLOURS.text,
          font: { size: FONT_SIZES.legend },
          boxWidth: SPACING.legendBox,
          boxHeight: SPACING.legendBox,
        },
      },
    },
  };
  // TypeScript cannot see that options valid for both chart types are valid for either one.
  return options as ChartOptions<TType>;
}

/** The subtitle as pieces that must not be split across lines, e.g. the range and the zone. */
interface Subtitle {
  readonly segments: readonly string[];
  readonly isEmpty: boolean;
}

/** The absolute range and zone; when there is nothing to show, says so in the same place. */
function subtitle(range: ChartRange, noun: string, isEmpty: boolean, total?: number): Subtitle {
  const { span, zone } = rangeParts(range);
  if (isEmpty) return { segments: [`No ${noun} in`, span, zone], isEmpty };
  return { segments: total === undefined ? [span, zone] : [`${total} ${noun} ·`, span, zone], isEmpty };
}

// Average advance of DejaVu Sans text, in ems (digits are 0.64 em); bold runs wider.
const REGULAR_CHAR_EM = 0.62;
const BOLD_CHAR_EM = 0.7;
const MAX_TITLE_LINES = 2;

/**
 * Chart.js never wraps a title: a line wider than the chart is cut off at the edges. Joins segments
 * into lines that fit the default chart width (estimated from the font size), at most two lines,
 * the last ending in `…` if text had to be dropped. One line stays a plain string.
 */
function fitToWidth(segments: readonly string[], fontSize: number, charEm: number): string | string[] {
  const maxChars = Math.floor((DEFAULT_CHART_SIZE.width - 2 * SPACING.chartPadding) / (fontSize * charEm));
  const lines: string[] = [];
  for (const segment of segments) {
    const current = lines[lines.length - 1];
    if (current !== undefined && current.length + 1 + segment.length <= maxChars) {
      lines[lines.length - 1] = `${current} ${segment}`;
    } else {
      lines.push(segment);
    }
  }
  const kept = lines.slice(0, MAX_TITLE_LINES).map((line) => truncate(line, maxChars));
  if (lines.length > MAX_TITLE_LINES) kept[kept.length - 1] = truncate(`${kept[kept.length - 1]} …`, maxChars);
  return kept.length === 1 ? (kept[0] as string) : kept;
}

function truncate(line: string, maxChars: number): string {
  return line.length <= maxChars ? line : `${line.slice(0, maxChars - 1).trimEnd()}…`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
