import type { WebClient } from '@slack/web-api';

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
