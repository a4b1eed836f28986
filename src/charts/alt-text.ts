/**
 * Words for what a chart shows: alt text for the image (screen readers, and the text Slack shows
 * when an image does not load) and a short markdown table of the same data.
 */
import type { ShareChartInput, TimeSeriesChartInput } from './config';
import { formatDuration } from './duration';
import { formatRange } from './range';
import { seriesLabel } from './theme';
import { formatLocalDateTime, timeZoneLabel, toLocalMs } from '../cases/zoned-time';

/** Slack's limit for an image's alt_text. */
export const MAX_ALT_TEXT_LENGTH = 2000;
// Series names come from data (channel names, event types); one must not crowd out the rest.
const MAX_NAME_LENGTH = 60;

/** `Stacked bar chart: …, range, bucket. 152 events: chat 90, alert 40. Busiest bucket: …`. */
export function timeSeriesAltText(input: TimeSeriesChartInput): string {
  const { range, counts } = input;
  const noun = input.noun ?? 'events';
  const head = `${input.grouped ? 'Bar' : 'Stacked bar'} chart: ${input.title}, ${formatRange(range)}, ${formatDuration(range.bucket)} buckets.`;
  const totals = counts.series.map((series) => ({ name: seriesLabel(series.key), value: series.total }));
  const total = totals.reduce((sum, series) => sum + series.value, 0);
  if (total === 0) return limit(`${head} No ${noun}.`);

  const peak = peakBucket(input);
  const peakStart = formatLocalDateTime(toLocalMs(peak.start, range.timeZone));
  const tail = `Busiest bucket: ${peakStart} ${timeZoneLabel(range.timeZone)}, ${peak.total} ${noun}.`;
  return fitList(`${head} ${total} ${noun}: `, totals.map(nameAndValue), '.', tail);
}

/** `Doughnut chart: …, range. 26 cases: Low 7 (27%), Medium 12 (46%), …`. */
export function shareAltText(input: ShareChartInput): string {
  const noun = input.noun ?? 'cases';
  const head = `Doughnut chart: ${input.title}, ${formatRange(input.range)}.`;
  const total = input.slices.reduce((sum, slice) => sum + slice.value, 0);
  if (total === 0) return limit(`${head} No ${noun}.`);
  const items = input.slices.map(
    (slice) => `${nameAndValue({ name: seriesLabel(slice.key), value: slice.value })} (${Math.round((100 * slice.value) / total)}%)`,
  );
  return fitList(`${head} ${total} ${noun}: `, items, '.', '');
}

/**
 * Bucket | each series | Total, for the buckets that have anything, oldest first. Long series lists
 * keep the largest `maxSeries` and sum the rest into Other; long tables stop after `maxRows`.
 */
export function timeSeriesTable(input: TimeSeriesChartInput, options: { maxRows?: number; maxSeries?: number } = {}): string {
  const { maxRows = 24, maxSeries = 4 } = options;
  const { counts } = input;
  const shown = [...counts.series].sort((a, b) => b.total - a.total).slice(0, maxSeries);
  const hasOther = counts.series.length > shown.length;
  const header = ['Bucket', ...shown.map((series) => seriesLabel(series.key)), ...(hasOther ? ['Other'] : []), 'Total'];

  const rows: string[][] = [];
  counts.labels.forEach((label, bucket) => {
    const total = counts.series.reduce((sum, series) => sum + (series.counts[bucket] ?? 0), 0);
    if (total === 0) return;
    const own = shown.map((series) => series.counts[bucket] ?? 0);
    const other = total - own.reduce((a, b) => a + b, 0);
    rows.push([label, ...own.map(String), ...(hasOther ? [String(other)] : []), String(total)]);
  });
  if (rows.length === 0) return `No ${input.noun ?? 'events'} in ${formatRange(input.range)}.`;

  const table = markdownTable(header, rows.slice(0, maxRows));
  return rows.length > maxRows ? `${table}\n… ${rows.length - maxRows} more buckets` : table;
}

/** Name | Count | Share, one row per slice. */
export function shareTable(input: ShareChartInput): string {
  const total = input.slices.reduce((sum, slice) => sum + slice.value, 0);
  const rows = input.slices.map((slice) => [
    seriesLabel(slice.key),
    String(slice.value),
    total === 0 ? '–' : `${Math.round((100 * slice.value) / total)}%`,
  ]);
  return markdownTable(['', 'Count', 'Share'], rows);
}

function peakBucket(input: TimeSeriesChartInput): { start: number; total: number } {
  const { starts, series } = input.counts;
  let best = { start: starts[0] ?? 0, total: -1 };
  starts.forEach((start, bucket) => {
    const total = series.reduce((sum, one) => sum + (one.counts[bucket] ?? 0), 0);
    // Strictly greater: on a tie the earliest bucket is the peak.
    if (total > best.total) best = { start, total };
  });
  return best;
}

function nameAndValue({ name, value }: { name: string; value: number }): string {
  return `${truncate(name, MAX_NAME_LENGTH)} ${value}`;
}

/** head + as many items as fit + `and N more` + end + tail, within MAX_ALT_TEXT_LENGTH. */
function fitList(head: string, items: readonly string[], end: string, tail: string): string {
  const suffix = (rest: number): string => (rest > 0 ? `, and ${rest} more` : '') + end + (tail ? ` ${tail}` : '');
  let text = head;
  for (let i = 0; i < items.length; i += 1) {
    const next = (i === 0 ? '' : ', ') + items[i];
    // Leave room for the longest possible suffix, in case later items do not fit.
    if ((text + next + suffix(items.length)).length > MAX_ALT_TEXT_LENGTH) {
      return limit(text + suffix(items.length - i));
    }
    text += next;
  }
  return limit(text + suffix(0));
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  const rule = `|${header.map(() => ' --- ').join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function escapeCell(cell: string): string {
  return truncate(cell, MAX_NAME_LENGTH).replace(/\|/g, '\\|').replace(/\s+/g, ' ');
}

function limit(text: string): string {
  return truncate(text, MAX_ALT_TEXT_LENGTH);
}

function truncate(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}
