/**
 * Chart rendering bench: cold first chart in a fresh process, warm render times of the sample
 * 48-bucket stacked bar and severity doughnut, bucketing cost, and peak RSS. Returns a Markdown
 * section for BENCHMARKS.md.
 *
 *   npx tsx -e "require('./bench/charts').runChartBench().then(console.log)"
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

import { countByBucket } from '../src/charts/buckets';
import { type ChartSize, DEFAULT_CHART_SIZE } from '../src/charts/chart-size';
import { ms, type Summary, summarize } from './stats';
import { describeActivity, describeSeverity } from '../src/charts/pipeline';
import { createLocalRenderer } from '../src/charts/render-local';
import type { ChartRenderer } from '../src/charts/renderer';
import {
  SAMPLE_ACTIVITY,
  SAMPLE_RANGE,
  SAMPLE_SEVERITY,
  SAMPLE_SEVERITY_COUNTS,
  sampleActivityPoints,
} from '../tests/charts/support/sample-charts';

const ITERATIONS = 200;
const WARM_UP = 10;
/** The size the QuickChart reference figures were taken at (800 × 400, 1×). */
const QUICKCHART_REFERENCE_SIZE: ChartSize = { width: 800, height: 400, devicePixelRatio: 1 };

type Timings = Summary;

interface ColdStart {
  /** From process start (Node and tsx boot included) to the first PNG. */
  readonly sinceProcessStartMs: number;
  /** Loading the chart modules (Chart.js, Skia, the font) and drawing the first PNG. */
  readonly loadAndRenderMs: number;
  readonly maxRssMb: number;
}

export async function runChartBench(): Promise<string> {
  const cold = measureColdStart();
  const renderer = createLocalRenderer();
  const bar = describeActivity(SAMPLE_ACTIVITY, sampleActivityPoints()).config;
  const doughnut = describeSeverity(SAMPLE_SEVERITY, SAMPLE_SEVERITY_COUNTS).config;
  const sizeName = ({ width, height, devicePixelRatio }: ChartSize): string =>
    `${width}×${height} @${devicePixelRatio}× (${width * devicePixelRatio}×${height * devicePixelRatio} px)`;

  const rows: string[] = [];
  for (const size of [DEFAULT_CHART_SIZE, QUICKCHART_REFERENCE_SIZE]) {
    const barTimes = await timeRenders(renderer, bar, size);
    const doughnutTimes = await timeRenders(renderer, doughnut, size);
    const pngKb = (await renderer.render(bar, size)).length / 1024;
    rows.push(`| 48-bucket stacked bar, ${sizeName(size)} | ${ms(barTimes.median)} | ${ms(barTimes.p99)} | ${pngKb.toFixed(0)} KB |`);
    const doughnutKb = (await renderer.render(doughnut, size)).length / 1024;
    rows.push(`| severity doughnut, ${sizeName(size)} | ${ms(doughnutTimes.median)} | ${ms(doughnutTimes.p99)} | ${doughnutKb.toFixed(0)} KB |`);
  }
  const manyPoints = sampleActivityPoints(50_000);
  const bucketing = timeSync(() => countByBucket(SAMPLE_RANGE, manyPoints), 20);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;

  return [
    '## Charts',
    '',
    `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, Node ${process.version}; local renderer ` +
      `(Chart.js + @napi-rs/canvas, bundled DejaVu Sans). Warm figures: ${ITERATIONS} renders each after ${WARM_UP} ` +
      'warm-up renders, one at a time, PNG encoding included.',
    '',
    '| chart | median | p99 | PNG |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    `- Cold first chart (fresh process): ${ms(cold.loadAndRenderMs)} to load the chart modules and draw the first PNG; ` +
      `${ms(cold.sinceProcessStartMs)} from process start (Node and tsx start-up included); peak RSS ${cold.maxRssMb.toFixed(0)} MB.`,
    `- Bucketing 50,000 points into 48 buckets: median ${ms(bucketing.median)}.`,
    `- Peak RSS of this bench process: ${maxRssMb.toFixed(0)} MB.`,
    '- Reference: a self-hosted QuickChart renders 800×400 charts in about 41 ms (bar) and 31 ms (doughnut) warm on this kind of machine.',
  ].join('\n');
}

async function timeRenders(renderer: ChartRenderer, config: Parameters<ChartRenderer['render']>[0], size: ChartSize): Promise<Timings> {
  for (let i = 0; i < WARM_UP; i += 1) await renderer.render(config, size);
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i += 1) {
    const started = performance.now();
    await renderer.render(config, size);
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

function timeSync(work: () => unknown, iterations: number): Timings {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const started = performance.now();
    work();
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}


/**
 * Draws the sample bar chart in a fresh Node process (with tsx for the TypeScript sources) and
 * reads its timings. The script is inline so nothing is loaded before the clock starts.
 */
function measureColdStart(): ColdStart {
  const source = (relative: string): string => JSON.stringify(path.join(__dirname, relative));
  const script = `
    const started = performance.now();
    const { createLocalRenderer } = require(${source('../src/charts/render-local')});
    const { describeActivity } = require(${source('../src/charts/pipeline')});
    const sample = require(${source('../tests/charts/support/sample-charts')});
    createLocalRenderer()
      .render(describeActivity(sample.SAMPLE_ACTIVITY, sample.sampleActivityPoints()).config)
      .then(() => console.log(JSON.stringify({
        sinceProcessStartMs: performance.now(),
        loadAndRenderMs: performance.now() - started,
        maxRssMb: process.resourceUsage().maxRSS / 1024,
      })));`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`cold-start child failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as ColdStart;
}
