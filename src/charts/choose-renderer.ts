/** The factory that picks a chart renderer from settings (CHART_RENDERER, QUICKCHART_URL). */
import { createLocalRenderer } from './render-local';
import { QuickChartRenderer } from './render-quickchart';
import type { ChartLogger, ChartRenderer } from './renderer';

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
