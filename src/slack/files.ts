import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { WebClient } from '@slack/web-api';
import { ndjsonChunks } from '../kibana/export/ndjson';

export interface UploadedFile {
  id: string;
  permalink?: string;
}

/**
 * Uploads bytes with Slack's three-request flow (files.getUploadURLExternal, the upload, then
 * files.completeUploadExternal, which shares it in the channel or thread). Returns the shared file.
 */
export async function uploadFile(
  client: WebClient,
  upload: { bytes: Buffer; filename: string; title: string; altText?: string; channelId: string; threadTs?: string; comment?: string },
): Promise<UploadedFile> {
  const base = {
    file: upload.bytes,
    filename: upload.filename,
    title: upload.title,
    ...(upload.altText ? { alt_text: upload.altText } : {}),
    channel_id: upload.channelId,
    ...(upload.comment ? { initial_comment: upload.comment } : {}),
  };
  const result = await client.filesUploadV2(upload.threadTs ? { ...base, thread_ts: upload.threadTs } : base);
  // filesUploadV2 answers with one completeUploadExternal response per group, each with its own files.
  const file = result.files.flatMap((response) => response.files ?? [])[0];
  if (!file?.id) throw new Error('Slack accepted the upload but returned no file');
  return { id: file.id, ...(file.permalink ? { permalink: file.permalink } : {}) };
}

/**
 * Writes lines to a file as ndjson (ndjsonChunks), with back-pressure: the stream reads a few chunks ahead of
 * the disk, so the lines keep being made while a write is under way, and memory stays flat however many
 * lines there are.
 */
export async function writeNdjsonFile(lines: AsyncIterable<string>, file: string): Promise<void> {
  await pipeline(Readable.from(ndjsonChunks(lines)), fs.createWriteStream(file));
}

/**
 * Uploads lines (an export) with the same three-request flow, streaming: the lines go to a temporary file
 * and from there to Slack, so memory stays flat however large the export. (The SDK's filesUploadV2 reads a
 * stream whole into memory first.)
 */
export async function uploadLines(
  client: WebClient,
  upload: { lines: AsyncIterable<string>; filename: string; title: string; channelId: string; threadTs?: string; comment?: string },
): Promise<UploadedFile & { bytes: number }> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'caseops-upload-'));
  const file = path.join(dir, upload.filename);
  try {
    await writeNdjsonFile(upload.lines, file);
    const { size } = await fs.promises.stat(file);
    const target = await client.files.getUploadURLExternal({ filename: upload.filename, length: size });
    if (!target.upload_url || !target.file_id) throw new Error('Slack gave no upload URL');
    const response = await fetch(target.upload_url, {
      method: 'POST',
      headers: { authorization: `Bearer ${client.token ?? ''}`, 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body: Readable.toWeb(fs.createReadStream(file)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    if (response.status !== 200) throw new Error(`Slack refused the upload (HTTP ${response.status})`);
    const completed = await client.files.completeUploadExternal({
      files: [{ id: target.file_id, title: upload.title }],
      channel_id: upload.channelId,
      ...(upload.threadTs ? { thread_ts: upload.threadTs } : {}),
      ...(upload.comment ? { initial_comment: upload.comment } : {}),
    });
    const shared = completed.files?.[0];
    return { id: target.file_id, ...(shared?.permalink ? { permalink: shared.permalink } : {}), bytes: size };
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
