/**
 * Renders on a self-hosted QuickChart through quickchart-js, falling back to the local renderer
 * when QuickChart is slow, failing or answers with something that is not a PNG. Case data never
 * goes to the public quickchart.io: such a URL is refused when the renderer is built.
 */
import type { ChartConfiguration } from 'chart.js';
import QuickChart from 'quickchart-js';

import { type ChartSize, DEFAULT_CHART_SIZE } from './chart-size';
import { readPngHeader } from './png';
import type { ChartLogger, ChartRenderer } from './renderer';
import { COLOURS } from './theme';

export interface QuickChartRendererOptions {
  /** Base URL of the self-hosted QuickChart, e.g. `http://quickchart:3400`. */
  readonly url: string;
  readonly timeoutMs: number;
  readonly fallback: ChartRenderer;
  readonly logger: ChartLogger;
}

interface Endpoint {
  readonly scheme: 'http' | 'https';
  /** host[:port], as quickchart-js' setHost takes it. */
  readonly host: string;
}

export class QuickChartRenderer implements ChartRenderer {
  private readonly endpoint: Endpoint;

  constructor(private readonly options: QuickChartRendererOptions) {
    this.endpoint = quickChartEndpoint(options.url);
    options.logger.info({ quickchartHost: this.endpoint.host }, 'Charts render on QuickChart, locally when it fails');
  }

  async render(config: ChartConfiguration, size: ChartSize = DEFAULT_CHART_SIZE): Promise<Buffer> {
    try {
      return await withTimeout(this.requestPng(config, size), this.options.timeoutMs);
    } catch (err) {
      // The configuration holds case data; the host and the reason are enough to act on.
      this.options.logger.warn(
        { err, quickchartHost: this.endpoint.host },
        'QuickChart could not render the chart; rendering it locally',
      );
      return this.options.fallback.render(config, size);
    }
  }

  private async requestPng(config: ChartConfiguration, size: ChartSize): Promise<Buffer> {
    const request = new QuickChart()
      .setScheme(this.endpoint.scheme)
      .setHost(this.endpoint.host)
      .setVersion('4')
      // A JSON string goes as it is; an object would be turned into JavaScript source first.
      .setConfig(JSON.stringify(config))
      .setWidth(size.width)
      .setHeight(size.height)
      .setDevicePixelRatio(size.devicePixelRatio)
      .setBackgroundColor(COLOURS.background)
      .setFormat('png');
    const body = await request.toBinary();
    if (!readPngHeader(body)) throw new Error(`QuickChart answered with ${body.length} bytes that are not a PNG`);
    return body;
  }
}

/** Scheme and host of a QuickChart base URL; throws for anything but a plain self-hosted http(s) origin. */
export function quickChartEndpoint(url: string): Endpoint {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`QUICKCHART_URL is not a URL: "${url}"`);
  }
  const hostname = parsed.hostname.toLowerCase().replace(/\.$/, '');
  if (hostname === 'quickchart.io' || hostname.endsWith('.quickchart.io')) {
    throw new Error('QUICKCHART_URL points at the public quickchart.io; case data may only go to a self-hosted QuickChart.');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`QUICKCHART_URL must be http or https, not ${parsed.protocol}`);
  }
  // quickchart-js always posts to <scheme>://<host>/chart, so a path or query would be silently lost.
  if (parsed.pathname !== '/' || parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new Error('QUICKCHART_URL must be just scheme, host and port, e.g. http://quickchart:3400');
  }
  return { scheme: parsed.protocol === 'https:' ? 'https' : 'http', host: parsed.host };
}

/**
 * Settles as `work` does, or rejects after `timeoutMs`. quickchart-js takes no AbortSignal, so a
 * request that loses the race is left to finish on its own; its late failure is swallowed here.
 */
function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`QuickChart did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
