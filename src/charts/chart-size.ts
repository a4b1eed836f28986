/**
 * The size charts are drawn at. Slack shows an image at the width of the message column, which on
 * a phone is about 360–390 pt; a 600 × 400 CSS-pixel chart is shown at roughly 0.6× there, so its
 * text sizes (theme.ts FONT_SIZES) stay legible, while 600 px still gives 48 bars about 10 px each.
 * Drawn at 2× (1200 × 800 pixels) it stays sharp on a 3× phone screen at that scale and when opened
 * full screen, for a PNG of typically 40–70 KB. 3:2 leaves room for title, subtitle and legend
 * above a plot that is still taller than it is cramped.
 */
export interface ChartSize {
  /** CSS pixels: what layout and font sizes are measured in. */
  readonly width: number;
  readonly height: number;
  /** Pixels per CSS pixel in the PNG: the PNG is width × ratio by height × ratio. */
  readonly devicePixelRatio: number;
}

export const DEFAULT_CHART_SIZE: ChartSize = { width: 600, height: 400, devicePixelRatio: 2 };
