import { createCanvas, loadImage } from '@napi-rs/canvas';

export interface Pixels {
  readonly width: number;
  readonly height: number;
  /** RGBA, row by row. */
  readonly data: Uint8ClampedArray;
}

/** Decodes a PNG with an independent decoder (Skia's), not with anything under test. */
export async function decodePng(png: Buffer): Promise<Pixels> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  return { width: image.width, height: image.height, data: context.getImageData(0, 0, image.width, image.height).data };
}

/** Pixels in rows [top, bottom) that are not (nearly) white. */
export function inkIn(pixels: Pixels, top: number, bottom: number): number {
  let ink = 0;
  for (let y = top; y < bottom; y += 1) {
    for (let x = 0; x < pixels.width; x += 1) {
      const i = (y * pixels.width + x) * 4;
      if (Math.min(pixels.data[i] ?? 0, pixels.data[i + 1] ?? 0, pixels.data[i + 2] ?? 0) < 200) ink += 1;
    }
  }
  return ink;
}

/** Pixels in rows [top, bottom) whose colour differs between two images of the same size. */
export function differingIn(a: Pixels, b: Pixels, top: number, bottom: number): number {
  let differing = 0;
  for (let i = top * a.width * 4; i < bottom * a.width * 4; i += 4) {
    const delta = Math.max(
      Math.abs((a.data[i] ?? 0) - (b.data[i] ?? 0)),
      Math.abs((a.data[i + 1] ?? 0) - (b.data[i + 1] ?? 0)),
      Math.abs((a.data[i + 2] ?? 0) - (b.data[i + 2] ?? 0)),
    );
    if (delta > 48) differing += 1;
  }
  return differing;
}
