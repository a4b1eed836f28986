import { TextDecoder } from 'node:util';

/**
 * Bytes of an uploaded file → numbered text lines, enforcing the byte limit as the bytes arrive (the rest
 * of a too-large file is never read). Lines are split on `\n` before decoding, which is safe in UTF-8 and
 * lets each line be decoded strictly on its own, so invalid UTF-8 is reported with its line number. A UTF-8
 * BOM at the start and a `\r` before each `\n` are dropped.
 */
export type LineEvent =
  | { kind: 'line'; number: number; text: string }
  | { kind: 'not-utf8'; number: number }
  /** The byte limit was passed; nothing more is read. */
  | { kind: 'too-large'; bytesRead: number }
  /** The file starts like a compressed archive; nothing more is read. */
  | { kind: 'archive'; format: string };

export type FileChunk = Uint8Array | string;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const BOM = [0xef, 0xbb, 0xbf];
const ARCHIVES: readonly { format: string; magic: readonly number[] }[] = [
  { format: 'gzip', magic: [0x1f, 0x8b] },
  { format: 'zip', magic: [0x50, 0x4b, 0x03, 0x04] },
];

export async function* readLines(source: AsyncIterable<FileChunk>, maxBytes: number): AsyncGenerator<LineEvent> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let bytesRead = 0;
  let lineNumber = 0;
  let pending: Uint8Array[] = [];
  const finishLine = (): LineEvent => {
    lineNumber += 1;
    const line = pending.length === 1 ? (pending[0] as Uint8Array) : Buffer.concat(pending);
    pending = [];
    return decodeLine(decoder, line, lineNumber);
  };

  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (bytesRead === 0) {
      const archive = ARCHIVES.find(({ magic }) => magic.every((byte, index) => bytes[index] === byte));
      if (archive) {
        yield { kind: 'archive', format: archive.format };
        return;
      }
    }
    bytesRead += bytes.length;
    if (bytesRead > maxBytes) {
      yield { kind: 'too-large', bytesRead };
      return;
    }
    let start = 0;
    for (let newline = bytes.indexOf(NEWLINE, start); newline >= 0; newline = bytes.indexOf(NEWLINE, start)) {
      pending.push(bytes.subarray(start, newline));
      yield finishLine();
      start = newline + 1;
    }
    if (start < bytes.length) pending.push(bytes.subarray(start));
  }
  if (pending.length) yield finishLine();
}

function decodeLine(decoder: TextDecoder, line: Uint8Array, number: number): LineEvent {
  let start = number === 1 && BOM.every((byte, index) => line[index] === byte) ? BOM.length : 0;
  let end = line.length;
  if (end > start && line[end - 1] === CARRIAGE_RETURN) end -= 1;
  if (start > end) start = end;
  try {
    return { kind: 'line', number, text: decoder.decode(line.subarray(start, end)) };
  } catch {
    return { kind: 'not-utf8', number };
  }
}
