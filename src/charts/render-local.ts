/**
 * Draws Chart.js configurations to PNG in-process with @napi-rs/canvas (Skia). The font comes from
 * the dejavu-fonts-ttf package: a server without fonts would otherwise draw every label as nothing,
 * without an error.
 */
import path from 'node:path';

import { type Canvas, createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { Chart, type ChartConfiguration, type ChartItem, type Plugin, registerables } from 'chart.js';

import { type ChartSize, DEFAULT_CHART_SIZE } from './chart-size';
import type { ChartRenderer } from './renderer';
import { COLOURS } from './theme';

/** The family name the bundled font is registered under and Chart.js draws with. */
const CHART_FONT_FAMILY = 'DejaVu Sans';

const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

let chartJsReady = false;

/** Registers the bundled font and Chart.js' parts once per process; throws if the font is unusable. */
function prepareChartJs(): void {
  if (chartJsReady) return;
  const fontDir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  for (const file of FONT_FILES) {
    if (!GlobalFonts.registerFromPath(path.join(fontDir, file), CHART_FONT_FAMILY)) {
      throw new Error(`Could not load the chart font ${path.join(fontDir, file)}`);
    }
  }
  Chart.register(...registerables);
  Chart.defaults.font.family = CHART_FONT_FAMILY;
  chartJsReady = true;
}

/** Canvas starts transparent; Slack's dark mode would show dark text on black without this. */
const whiteBackground: Plugin = {
  id: 'caseopsBackground',
  beforeDraw: ({ ctx, width, height }) => {
    ctx.save();
    ctx.fillStyle = COLOURS.background;
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** One canvas per size, and the renders queued on it (Chart.js draws synchronously; PNG encoding is async). */
interface CanvasSlot {
  readonly canvas: Canvas;
  queue: Promise<unknown>;
}

export class LocalChartRenderer implements ChartRenderer {
  private readonly slots = new Map<string, CanvasSlot>();

  constructor() {
    prepareChartJs();
  }

  render(config: ChartConfiguration, size: ChartSize = DEFAULT_CHART_SIZE): Promise<Buffer> {
    const slot = this.slotFor(size);
    const png = slot.queue.then(() => drawPng(slot.canvas, config, size));
    // The next render waits for this one whether it succeeds or not.
    slot.queue = png.catch(() => undefined);
    return png;
  }

  private slotFor(size: ChartSize): CanvasSlot {
    const key = `${size.width}x${size.height}@${size.devicePixelRatio}`;
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { canvas: createCanvas(size.width, size.height), queue: Promise.resolve() };
      this.slots.set(key, slot);
    }
    return slot;
  }
}

export function createLocalRenderer(): ChartRenderer {
  return new LocalChartRenderer();
}

async function drawPng(canvas: Canvas, config: ChartConfiguration, size: ChartSize): Promise<Buffer> {
  // Chart.js takes its CSS size from the canvas, then enlarges the canvas to device pixels itself;
  // after a previous render the canvas is still at device pixels.
  canvas.width = size.width;
  canvas.height = size.height;
  // Chart.js types name only DOM canvases; on the server it drives any canvas with getContext("2d").
  const item = canvas as unknown as ChartItem;
  try {
    new Chart(item, forServer(config, size));
    return await canvas.encode('png');
  } finally {
    // Only after encoding, which reads the canvas that destroying clears. Looked up rather than
    // kept: a configuration Chart.js rejects leaves a half-built chart holding the canvas, and the
    // canvas is refused to every later chart until that one is destroyed.
    Chart.getChart(item)?.destroy();
  }
}

/**
 * The caller's configuration with what a one-off server-side drawing needs. The JSON part is copied
 * first: Chart.js keeps and annotates the objects it is given, and the caller may store them.
 */
function forServer(config: ChartConfiguration, size: ChartSize): ChartConfiguration {
  const { plugins = [], ...json } = config;
  const copy = structuredClone(json);
  return {
    ...copy,
    options: {
      ...copy.options,
      responsive: false,
      maintainAspectRatio: false,
      animation: false,
      devicePixelRatio: size.devicePixelRatio,
    },
    plugins: [...plugins, whiteBackground],
  };
}
