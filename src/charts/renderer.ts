/**
 * The port the rest of caseops renders charts through, and the factory that picks an
 * implementation from settings (CHART_RENDERER, QUICKCHART_URL).
 */
import type { ChartConfiguration } from 'chart.js';

import type { ChartSize } from './chart-size';
import { createLocalRenderer } from './render-local';
import { QuickChartRenderer } from './render-quickchart';

export interface ChartRenderer {
  /** A PNG of the configuration, `size` defaulting to DEFAULT_CHART_SIZE. */
  render(config: ChartConfiguration, size?: ChartSize): Promise<Buffer>;
}

/**
 * What the renderers log through: the part of pino's Logger they use, so a pino logger (or a
 * child of one) can be passed as it is.
 */
export interface ChartLogger {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

export interface ChartRendererOptions {
  readonly renderer: 'local' | 'quickchart';
  /** A self-hosted QuickChart, e.g. `http://quickchart:3400`; required for `quickchart`. */
  readonly quickchartUrl?: string;
  /** How long to wait for QuickChart before drawing locally; default DEFAULT_QUICKCHART_TIMEOUT_MS. */
  readonly timeoutMs?: number;
}

/** A self-hosted QuickChart draws in tens of milliseconds; seconds of silence mean it is unwell. */
export const DEFAULT_QUICKCHART_TIMEOUT_MS = 3000;

/**
 * The renderer the settings ask for. QuickChart always has the local renderer behind it, so a
 * QuickChart outage costs at most the timeout, never a chart. Throws on settings that cannot work
 * (no URL, or the public quickchart.io), which belongs at start-up.
 */
export function createChartRenderer(options: ChartRendererOptions, logger: ChartLogger): ChartRenderer {
  const local = createLocalRenderer();
  if (options.renderer === 'local') return local;
  if (!options.quickchartUrl) {
    throw new Error('CHART_RENDERER=quickchart needs QUICKCHART_URL, the address of a self-hosted QuickChart.');
  }
  return new QuickChartRenderer({
    url: options.quickchartUrl,
    timeoutMs: options.timeoutMs ?? DEFAULT_QUICKCHART_TIMEOUT_MS,
    fallback: local,
    logger,
  });
}
