/**
 * The one look of every caseops chart: colours, text sizes and spacing. Values are data, not code,
 * so configurations built from them stay plain JSON (storable, and renderable by QuickChart).
 *
 * Colours follow Kibana's current (Borealis) EUI theme so a chart in Slack reads like the same case
 * in Kibana. Facts taken from EUI's theme tokens, not code:
 * - case severities: Kibana's cases UI colours low/medium/high/critical with EUI's severity tokens
 *   neutral/warning/risk/danger (EUI Borealis: sky30 #B5E5F2, yellow30 #FCD883, orange50 #FF995E,
 *   red70 #EE4C48). Kibana 8's default Amsterdam theme mapped them to euiColorVis0/5/7/9 instead
 *   (#54B399, #D6BF57, #DA8B45, #E7664C);
 * - other series: EUI's colour-blind-safe categorical palette euiColorVis0…9.
 */
import { SEVERITIES, type Severity } from '../cases/model';

const SEVERITY_COLOURS: Readonly<Record<Severity, string>> = {
  low: '#B5E5F2',
  medium: '#FCD883',
  high: '#FF995E',
  critical: '#EE4C48',
};

const SEVERITY_LABELS: Readonly<Record<Severity, string>> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

// EUI lists the palette as strong/light pairs (teal, light teal, blue, light blue, …). Stacked
// neighbours must be easy to tell apart on a small screen, so the strong five come first, ordered
// so that the two warm ones (pink, red) are never next to each other.
const SERIES_COLOURS = [
  '#16C5C0', // euiColorVis0, teal
  '#EE72A6', // euiColorVis4, pink
  '#EAAE01', // euiColorVis8, yellow
  '#61A2FF', // euiColorVis2, blue
  '#F6726A', // euiColorVis6, red
  '#A6EDEA', // euiColorVis1, light teal
  '#FFC7DB', // euiColorVis5, light pink
  '#FCD883', // euiColorVis9, light yellow
  '#BFDBFF', // euiColorVis3, light blue
  '#FFC9C2', // euiColorVis7, light red
];

export const COLOURS = {
  background: '#FFFFFF',
  text: '#1D2A3E', // EUI blueGrey130: body text
  mutedText: '#516381', // EUI blueGrey95: secondary text
  grid: '#E3E8F2', // EUI blueGrey20: light rules
  empty: '#E3E8F2', // the ring drawn when a doughnut has nothing to show
  sliceBorder: '#FFFFFF',
} as const;

/**
 * Text sizes in CSS pixels of the chart's logical size (see DEFAULT_CHART_SIZE): chosen so that,
 * with the image scaled to a phone's width, tick labels land near 9 pt and the title near 12 pt.
 */
export const FONT_SIZES = {
  title: 22,
  subtitle: 16,
  legend: 16,
  tick: 16,
  axisTitle: 15,
} as const;

export const SPACING = {
  chartPadding: 12,
  legendBox: 14,
  tickGap: 14,
} as const;

function isSeverity(key: string): key is Severity {
  return (SEVERITIES as readonly string[]).includes(key);
}

/** A severity always has its Kibana colour; any other series takes the next palette colour. */
export function seriesColour(key: string, index: number): string {
  return isSeverity(key) ? SEVERITY_COLOURS[key] : (SERIES_COLOURS[index % SERIES_COLOURS.length] as string);
}

/** How a series key is shown in legends: severities capitalised as in Kibana, others as they are. */
export function seriesLabel(key: string): string {
  return isSeverity(key) ? SEVERITY_LABELS[key] : key;
}
