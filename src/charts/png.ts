/** The little of PNG that caseops needs to know: is this a PNG, and how large is it. */

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
// Signature, then the IHDR chunk: 4-byte length, 4-byte type, 4-byte width, 4-byte height.
const IHDR_TYPE_OFFSET = 12;
const IHDR_WIDTH_OFFSET = 16;
const IHDR_HEIGHT_OFFSET = 20;

export interface PngHeader {
  readonly width: number;
  readonly height: number;
}

/** Width and height from the IHDR chunk, or undefined when the bytes are not a PNG. */
export function readPngHeader(bytes: Uint8Array): PngHeader | undefined {
  if (bytes.length < IHDR_HEIGHT_OFFSET + 4) return undefined;
  if (!SIGNATURE.every((byte, i) => bytes[i] === byte)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(...bytes.subarray(IHDR_TYPE_OFFSET, IHDR_TYPE_OFFSET + 4));
  if (type !== 'IHDR') return undefined;
  return { width: view.getUint32(IHDR_WIDTH_OFFSET), height: view.getUint32(IHDR_HEIGHT_OFFSET) };
}
