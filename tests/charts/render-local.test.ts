import { DEFAULT_CHART_SIZE } from '../../src/charts/chart-size';
import type { BarChartConfig } from '../../src/charts/config';
import { describeActivity, describeSeverity } from '../../src/charts/pipeline';
import { readPngHeader } from '../../src/charts/png';
import { createLocalRenderer } from '../../src/charts/render-local';
import { FONT_SIZES, SPACING } from '../../src/charts/theme';
import { decodePng, differingIn, inkIn } from './support/pixels';
import { SAMPLE_ACTIVITY, SAMPLE_SEVERITY, SAMPLE_SEVERITY_COUNTS, sampleActivityPoints } from './support/sample-charts';

const renderer = createLocalRenderer();
const bar = describeActivity(SAMPLE_ACTIVITY, sampleActivityPoints()).config as BarChartConfig;
const doughnut = describeSeverity(SAMPLE_SEVERITY, SAMPLE_SEVERITY_COUNTS).config;

function withTitle(text: string): BarChartConfig {
  const copy = structuredClone(bar);
  copy.options = { ...copy.options, plugins: { ...copy.options?.plugins, title: { ...copy.options?.plugins?.title, text } } };
  return copy;
}

describe('local renderer', () => {
  test('draws a valid PNG at the default size: 600 × 400 CSS px at 2×', async () => {
    const png = await renderer.render(bar);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(readPngHeader(png)).toEqual({ width: 1200, height: 800 });
    const decoded = await decodePng(png);
    expect([decoded.width, decoded.height]).toEqual([1200, 800]);
  });

  test('draws at the size asked', async () => {
    const png = await renderer.render(doughnut, { width: 400, height: 300, devicePixelRatio: 1 });
    expect(readPngHeader(png)).toEqual({ width: 400, height: 300 });
  });

  test('on a white, opaque background', async () => {
    const pixels = await decodePng(await renderer.render(doughnut));
    expect([...pixels.data.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
  });

  // On a machine without fonts, Skia draws text as nothing and raises no error. The title is the
  // only thing that differs between these two charts and the layout is the same (a one-space title
  // takes the same line), so the title band differs only if glyphs were really drawn.
  test('really draws text: the title band has the glyphs of the title', async () => {
    const titled = await decodePng(await renderer.render(withTitle('Case #42 activity')));
    const untitled = await decodePng(await renderer.render(withTitle(' ')));
    const ratio = DEFAULT_CHART_SIZE.devicePixelRatio;
    const titleBand = [SPACING.chartPadding * ratio, (SPACING.chartPadding + FONT_SIZES.title * 1.2) * ratio] as const;

    expect(inkIn(titled, ...titleBand)).toBeGreaterThan(1500);
    expect(inkIn(untitled, ...titleBand)).toBe(0);
    expect(differingIn(titled, untitled, ...titleBand)).toBeGreaterThan(1500);
    // Everything below the title is the same picture: the difference is the text itself.
    expect(differingIn(titled, untitled, titleBand[1], titled.height)).toBe(0);
  });

  test('tick labels are drawn too (the band under the plot is not blank)', async () => {
    const pixels = await decodePng(await renderer.render(bar));
    const ratio = DEFAULT_CHART_SIZE.devicePixelRatio;
    // The x tick labels and the axis title sit in the bottom ~60 CSS px.
    expect(inkIn(pixels, pixels.height - 60 * ratio, pixels.height)).toBeGreaterThan(2000);
  });

  test('leaves the configuration it was given untouched, so it can be stored', async () => {
    const before = structuredClone(bar);
    await renderer.render(bar);
    expect(bar).toStrictEqual(before);
  });

  test('concurrent renders on the shared canvas give what each gives alone', async () => {
    const configs = [bar, doughnut, withTitle('Case #7 activity'), doughnut, bar];
    const alone: Buffer[] = [];
    for (const config of configs) alone.push(await renderer.render(config));
    const together = await Promise.all(configs.map((config) => renderer.render(config)));
    together.forEach((png, i) => expect(png.equals(alone[i] as Buffer)).toBe(true));
  });

  test('a broken configuration fails its own render only', async () => {
    const broken = { ...bar, type: 'no-such-type' } as unknown as BarChartConfig;
    await expect(renderer.render(broken)).rejects.toThrow(/no-such-type/);
    expect(readPngHeader(await renderer.render(bar))).toEqual({ width: 1200, height: 800 });
  });
});
