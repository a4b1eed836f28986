import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ndjsonChunks } from './ndjson';

/**
 * Writes lines to a file as ndjson (ndjsonChunks), with back-pressure: the stream reads a few chunks ahead of
 * the disk, so the lines keep being made while a write is under way, and memory stays flat however many
 * lines there are. Exports reach Slack through such a file (src/slack/files.ts).
 */
export async function writeNdjsonFile(lines: AsyncIterable<string>, file: string): Promise<void> {
  await pipeline(Readable.from(ndjsonChunks(lines)), fs.createWriteStream(file));
}
