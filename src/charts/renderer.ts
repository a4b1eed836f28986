/**
 * The port the rest of caseops renders charts through, which both renderers implement; the factory that
 * picks one from settings is in choose-renderer.ts, above both.
 */
import type { ChartConfiguration } from 'chart.js';

import type { ChartSize } from './chart-size';

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
