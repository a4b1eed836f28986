/**
 * Downloads a file a user shared, with the bot token, without ever sending that token anywhere but Slack.
 *
 * A payload's `url_private` is not trusted: a message or view can carry any URL (a crafted payload, a remote
 * file added by another app whose "private" URL is an outside link). The file is looked up by id with
 * files.info on the configured Slack API, and its URL is used only if it is a Slack-hosted file on that API's
 * own file host. The download follows no redirect (fetch would resend the header to the new host) and is
 * capped in bytes and time.
 */
import type { WebClient } from '@slack/web-api';
import { slackErrorCode } from './slack-errors';

export class DownloadError extends Error {}

/** A file caseops may download: its URL has passed isSlackFileUrl. */
export interface SlackFile {
  id: string;
  name: string;
  size?: number;
  url: string;
}

export interface DownloadLimits {
  maxBytes: number;
  timeoutMs: number;
}

/** Long enough for the largest import (25 MB) on a slow link; a file host that stalls longer is given up on. */
export const DOWNLOAD_TIMEOUT_MS = 120_000;

interface FileObject {
  id?: string;
  name?: string;
  size?: number;
  mode?: string;
  is_external?: boolean;
  url_private_download?: string;
  url_private?: string;
}

/**
 * Whether `url` is on the file host of the Slack API at `apiUrl`: the API's own origin (a proxy, the test
 * emulator) or `files.` + its host (slack.com → files.slack.com, slack-gov.com → files.slack-gov.com), with
 * the same scheme and port, and no credentials in the URL.
 */
export function isSlackFileUrl(url: string, apiUrl: string): boolean {
  let file: URL;
  let api: URL;
  try {
    file = new URL(url);
    api = new URL(apiUrl);
  } catch {
    return false;
  }
  if (file.username !== '' || file.password !== '') return false;
  if (file.protocol !== api.protocol || file.port !== api.port) return false;
  return file.hostname === api.hostname || file.hostname === `files.${api.hostname}`;
}

/** The file with id `fileId` as the configured Slack API describes it, if caseops may download it. */
export async function slackHostedFile(client: WebClient, fileId: string): Promise<SlackFile> {
  let file: FileObject | undefined;
  try {
    file = (await client.files.info({ file: fileId })).file as FileObject | undefined;
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === undefined) throw error;
    throw new DownloadError(`Slack did not give caseops that file (${code}); share it again in a channel caseops is in`);
  }
  const url = file?.url_private_download ?? file?.url_private;
  if (!file?.id || !url) throw new DownloadError('Slack did not give caseops that file; share it again in a channel caseops is in');
  if (file.is_external === true || file.mode === 'external' || !isSlackFileUrl(url, client.slackApiUrl)) {
    throw new DownloadError('That file is not stored in Slack (it links elsewhere): upload the .ndjson file itself');
  }
  return { id: file.id, name: file.name ?? 'export.ndjson', url, ...(file.size !== undefined ? { size: file.size } : {}) };
}

/**
 * Streams a Slack-hosted file with the bot token. Slack answers an unauthorised download with its HTML login
 * page and status 200, so the content type is checked before any byte is trusted.
 */
export async function* downloadFile(file: SlackFile, token: string, limits: DownloadLimits): AsyncGenerator<Uint8Array> {
  const response = await fetch(file.url, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual', signal: AbortSignal.timeout(limits.timeoutMs) }).catch(
    (error: unknown) => {
      throw new DownloadError(isTimeout(error) ? 'Slack did not send the file in time' : 'Slack could not be reached for the file');
    },
  );
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw new DownloadError(`Slack sent the file elsewhere (HTTP ${response.status}); caseops only reads files Slack serves itself`);
  }
  if (response.status !== 200 || !response.body) throw new DownloadError(`Slack refused the download (HTTP ${response.status})`);
  if ((response.headers.get('content-type') ?? '').includes('text/html')) {
    await response.body.cancel();
    throw new DownloadError('Slack answered with a login page: caseops cannot read this file (it needs the files:read scope and the file shared where caseops is)');
  }
  let received = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      yield chunk;
      received += chunk.length;
      // The chunk that passes the limit is handed on so the reader can say "too large"; nothing more is read.
      if (received > limits.maxBytes) return;
    }
  } catch (error) {
    if (isTimeout(error)) throw new DownloadError('Slack did not send the whole file in time');
    throw error;
  }
}

/** By name: the abort arrives as a DOMException, which is not an Error in every realm. */
function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}
