import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';

import { createCanvas } from '@napi-rs/canvas';
import pino from 'pino';

import { readPngHeader } from '../../src/charts/png';
import { LocalChartRenderer } from '../../src/charts/render-local';
import { QuickChartRenderer, quickChartEndpoint } from '../../src/charts/render-quickchart';
import { createChartRenderer } from '../../src/charts/choose-renderer';
import { describeActivity } from '../../src/charts/pipeline';
import { SAMPLE_ACTIVITY, sampleActivityPoints } from './support/sample-charts';

const config = describeActivity(SAMPLE_ACTIVITY, sampleActivityPoints(200)).config;

/** A real pino logger whose JSON lines are kept for the test to read. */
function capturingLogger(): { logger: pino.Logger; lines: () => Array<Record<string, unknown>> } {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines: () => written.map((line) => JSON.parse(line)) };
}

interface RecordedRequest {
  method: string;
  url: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

type Reply = (response: http.ServerResponse) => void;

/** A stand-in for a self-hosted QuickChart on 127.0.0.1 that records what it is sent. */
async function standInQuickChart(reply: Reply): Promise<{ url: string; requests: RecordedRequest[]; close(): Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        contentType: request.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>,
      });
      reply(response);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      // A request the test left hanging would otherwise keep the server open.
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

// A PNG the local renderer would never make (10 × 10), so the test can tell who drew it.
const QUICKCHART_PNG = createCanvas(10, 10).encodeSync('png');
const answerPng: Reply = (response) => response.writeHead(200, { 'content-type': 'image/png' }).end(QUICKCHART_PNG);

describe('QuickChart renderer', () => {
  const local = new LocalChartRenderer();

  test('posts the configuration for Chart.js 4 with size and background, and returns its PNG', async () => {
    const quickchart = await standInQuickChart(answerPng);
    try {
      const { logger, lines } = capturingLogger();
      const renderer = new QuickChartRenderer({ url: quickchart.url, timeoutMs: 2000, fallback: local, logger });
      const png = await renderer.render(config, { width: 800, height: 400, devicePixelRatio: 2 });

      expect(png.equals(QUICKCHART_PNG)).toBe(true);
      expect(quickchart.requests).toHaveLength(1);
      const [request] = quickchart.requests as [RecordedRequest];
      expect(request).toMatchObject({ method: 'POST', url: '/chart', contentType: 'application/json' });
      expect(request.body).toMatchObject({
        version: '4',
        width: 800,
        height: 400,
        devicePixelRatio: 2,
        format: 'png',
        backgroundColor: '#FFFFFF',
      });
      expect(JSON.parse(request.body.chart as string)).toStrictEqual(config);
      expect(lines().filter((line) => line.level === 40)).toEqual([]);
    } finally {
      await quickchart.close();
    }
  });

  test('uses the default size when none is given', async () => {
    const quickchart = await standInQuickChart(answerPng);
    try {
      const { logger } = capturingLogger();
      await new QuickChartRenderer({ url: quickchart.url, timeoutMs: 2000, fallback: local, logger }).render(config);
      expect(quickchart.requests[0]?.body).toMatchObject({ width: 600, height: 400, devicePixelRatio: 2 });
    } finally {
      await quickchart.close();
    }
  });

  test.each<[string, Reply, RegExp]>([
    ['it does not answer in time', () => undefined, /did not answer within 300 ms/],
    ['it answers HTTP 500', (response) => response.writeHead(500).end('boom'), /status code 500/],
    ['it answers something that is not a PNG', (response) => response.writeHead(200).end('<html>oops</html>'), /not a PNG/],
  ])('falls back to the local renderer, with a warning, when %s', async (_, reply, reason) => {
    const quickchart = await standInQuickChart(reply);
    try {
      const { logger, lines } = capturingLogger();
      const renderer = new QuickChartRenderer({ url: quickchart.url, timeoutMs: 300, fallback: local, logger });
      const started = performance.now();
      const png = await renderer.render(config);

      expect(readPngHeader(png)).toEqual({ width: 1200, height: 800 }); // drawn locally
      expect(performance.now() - started).toBeLessThan(3000);
      const warnings = lines().filter((line) => line.level === 40);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({
        msg: 'QuickChart could not render the chart; rendering it locally',
        quickchartHost: new URL(quickchart.url).host,
        err: { message: expect.stringMatching(reason) },
      });
      // The warning names the problem, not the case data in the chart.
      expect(JSON.stringify(warnings[0])).not.toContain('Case #42');
    } finally {
      await quickchart.close();
    }
  });

  test('falls back when nothing listens at the URL', async () => {
    const quickchart = await standInQuickChart(answerPng);
    await quickchart.close();
    const { logger, lines } = capturingLogger();
    const png = await new QuickChartRenderer({ url: quickchart.url, timeoutMs: 2000, fallback: local, logger }).render(config);
    expect(readPngHeader(png)).toEqual({ width: 1200, height: 800 });
    expect(lines().filter((line) => line.level === 40)).toHaveLength(1);
  });
});

describe('QuickChart URL', () => {
  test.each(['https://quickchart.io', 'https://QuickChart.io/', 'http://quickchart.io.:80', 'https://api.quickchart.io'])(
    'refuses the public service: %s',
    (url) => {
      expect(() => quickChartEndpoint(url)).toThrow(/public quickchart.io/);
    },
  );

  test.each([
    ['not a url', /not a URL/],
    ['ftp://charts.internal', /http or https/],
    ['http://charts.internal/quickchart', /just scheme, host and port/],
    ['http://user:secret@charts.internal', /just scheme, host and port/],
  ])('refuses %s', (url, message) => {
    expect(() => quickChartEndpoint(url)).toThrow(message);
  });

  test.each([
    ['http://quickchart:3400', { scheme: 'http', host: 'quickchart:3400' }],
    ['https://charts.soc.example.com/', { scheme: 'https', host: 'charts.soc.example.com' }],
    ['https://notquickchart.io', { scheme: 'https', host: 'notquickchart.io' }],
  ])('accepts a self-hosted one: %s', (url, endpoint) => {
    expect(quickChartEndpoint(url)).toEqual(endpoint);
  });
});

describe('createChartRenderer', () => {
  const { logger } = capturingLogger();

  test('local by default setting', () => {
    expect(createChartRenderer({ renderer: 'local' }, logger)).toBeInstanceOf(LocalChartRenderer);
  });

  test('QuickChart with a self-hosted URL, saying so in the log', () => {
    const { logger: infoLogger, lines } = capturingLogger();
    const renderer = createChartRenderer({ renderer: 'quickchart', quickchartUrl: 'http://quickchart:3400' }, infoLogger);
    expect(renderer).toBeInstanceOf(QuickChartRenderer);
    expect(lines()).toEqual([expect.objectContaining({ level: 30, quickchartHost: 'quickchart:3400' })]);
  });

  test('refuses QuickChart without a URL, or with the public one', () => {
    expect(() => createChartRenderer({ renderer: 'quickchart' }, logger)).toThrow(/needs QUICKCHART_URL/);
    expect(() => createChartRenderer({ renderer: 'quickchart', quickchartUrl: 'https://quickchart.io' }, logger)).toThrow(
      /public quickchart.io/,
    );
  });
});
