/**
 * Files: files.getUploadURLExternal, the upload URL it hands out, files.completeUploadExternal (which shares
 * the files into a conversation as one message), files.info, and `url_private` downloads.
 */
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import type { Faults } from './faults';
import { type HttpReply, bearerToken, mediaType, parseMultipart, textReply } from './http';
import type { TokenRegistry } from './tokens';
import type { EmulatedChannel, RecordedUpload } from './types';
import { type Handlers, type Obj, PlatformError, randomToken, str } from './web-api';
import type { Workspace } from './workspace';

const MIME_TYPES: Record<string, string> = {
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  zip: 'application/zip',
};

// Slack answers an unauthenticated url_private request with its sign-in page (status 200), not an error.
const LOGIN_PAGE = '<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to Slack</body></html>';

interface PendingUpload {
  filename: string;
  length: number;
  altText?: string;
  snippetType?: string;
  bytes?: Buffer;
}

interface StoredFile {
  file: Obj;
  bytes: Buffer;
}

export class FilesApi {
  readonly uploads: RecordedUpload[] = [];
  private readonly pendingUploads = new Map<string, PendingUpload>();
  private readonly files = new Map<string, StoredFile>();
  readonly methods: Handlers = {
    'files.getUploadURLExternal': (a) => this.getUploadUrlExternal(a),
    'files.completeUploadExternal': (a) => this.completeUploadExternal(a),
    'files.info': (a) => this.info(a),
  };

  constructor(
    private readonly workspace: Workspace,
    private readonly tokens: TokenRegistry,
    private readonly faults: Faults,
  ) {}

  /** A file a user shared; with `channel`, it is also posted there as a `file_share` message. */
  addUserFile(file: { name: string; mimetype: string; bytes: Buffer; channel?: string; user?: string; threadTs?: string }): Obj {
    const userId = file.user ?? 'U0ALICE';
    const stored = this.storeFile(this.workspace.clock.nextId('F'), file.name, file.name, file.mimetype, file.bytes, userId);
    if (file.channel) {
      const channel = this.workspace.requireChannel(file.channel);
      this.shareFiles([stored], channel, { user: userId, subtype: 'file_share', text: '' }, file.threadTs);
    }
    return structuredClone(stored.file);
  }

  private getUploadUrlExternal(args: Obj): Obj {
    const fileId = this.workspace.clock.nextId('F');
    this.pendingUploads.set(fileId, {
      filename: str(args, 'filename') ?? '',
      length: Number(args.length),
      // The docs name the argument alt_txt; @slack/web-api sends alt_text. Both reach Slack.
      altText: str(args, 'alt_text') ?? str(args, 'alt_txt'),
      snippetType: str(args, 'snippet_type'),
    });
    return { ok: true, upload_url: `${this.workspace.baseUrl()}/upload/${fileId}`, file_id: fileId };
  }

  /** Whether `fileId` is an upload this workspace handed out and is waiting for: routes the upload URL. */
  awaitsUpload(fileId: string): boolean {
    return this.pendingUploads.has(fileId);
  }

  /**
   * The upload URL: needs a bot token of the workspace, takes multipart (one part named `body`) or raw bytes, and must
   * receive exactly the announced `length`. Any failure is a non-200, which @slack/web-api treats as fatal.
   */
  handleUpload(fileId: string, req: IncomingMessage, body: Buffer): Promise<HttpReply> {
    return this.faults.apply('upload', false, () => this.receiveUpload(fileId, req, body));
  }

  private receiveUpload(fileId: string, req: IncomingMessage, body: Buffer): HttpReply {
    const pending = this.pendingUploads.get(fileId);
    if (!pending) return textReply('not_found', 404);
    if (!this.tokens.isBotTokenOf(bearerToken(req), this.workspace)) return textReply('invalid_auth', 401);
    let bytes = body;
    if (mediaType(req) === 'multipart/form-data') {
      const part = parseMultipart(body, req.headers['content-type'] ?? '').find((p) => p.name === 'body');
      if (!part) return textReply('missing part named body', 400);
      bytes = part.data;
    }
    if (bytes.length !== pending.length) return textReply(`length mismatch: announced ${pending.length}, got ${bytes.length}`, 400);
    pending.bytes = Buffer.from(bytes);
    return textReply(`OK - ${bytes.length}`, 200);
  }

  private completeUploadExternal(args: Obj): Obj {
    const uploads = (args.files as Array<{ id: string; title?: string }>).map((entry) => {
      const pending = this.pendingUploads.get(entry.id);
      if (!pending?.bytes) throw new PlatformError('file_not_found');
      return { id: entry.id, title: entry.title ?? pending.filename, pending, bytes: pending.bytes };
    });
    const channelId = str(args, 'channel_id') ?? str(args, 'channels')?.split(',')[0];
    const channel = channelId === undefined ? undefined : this.workspace.postableConversation(channelId, 'file');
    const threadTs = channel ? str(args, 'thread_ts') : undefined;
    const initialComment = str(args, 'initial_comment');
    // Slack ignores `blocks` when `initial_comment` is given.
    const content =
      initialComment === undefined && args.blocks !== undefined
        ? this.workspace.checks.message({ blocks: args.blocks }, 'files.completeUploadExternal').fields
        : { text: initialComment ?? '' };

    const stored = uploads.map(({ id, title, pending, bytes }) => {
      this.pendingUploads.delete(id);
      const file = this.storeFile(id, pending.filename, title, undefined, bytes, this.workspace.botUserId, pending.altText);
      this.uploads.push({
        fileId: id,
        filename: pending.filename,
        title,
        bytes,
        altText: pending.altText,
        snippetType: pending.snippetType,
        channelId: channel?.id,
        threadTs,
        initialComment,
        file: file.file,
      });
      return file;
    });
    if (channel) this.shareFiles(stored, channel, { ...this.workspace.botAuthor(), ...content, upload: true }, threadTs);
    return { ok: true, files: stored.map((s) => structuredClone(s.file)) };
  }

  private storeFile(
    id: string,
    name: string,
    title: string,
    mimetype: string | undefined,
    bytes: Buffer,
    userId: string,
    altText?: string,
  ): StoredFile {
    const { teamId, teamDomain } = this.workspace;
    const extension = path.extname(name).slice(1).toLowerCase();
    const created = Math.floor(this.workspace.clock.now() / 1000);
    const filesPri = `${this.workspace.baseUrl()}/files-pri/${teamId}-${id}`;
    const file: Obj = {
      id,
      created,
      timestamp: created,
      name,
      title,
      mimetype: mimetype ?? MIME_TYPES[extension] ?? 'application/octet-stream',
      filetype: extension || 'binary',
      pretty_type: extension.toUpperCase() || 'Binary',
      user: userId,
      user_team: teamId,
      editable: false,
      size: bytes.length,
      mode: 'hosted',
      is_external: false,
      external_type: '',
      is_public: false,
      public_url_shared: false,
      display_as_bot: false,
      username: '',
      url_private: `${filesPri}/${encodeURIComponent(name)}`,
      url_private_download: `${filesPri}/download/${encodeURIComponent(name)}`,
      permalink: `https://${teamDomain}.slack.com/files/${userId}/${id}/${encodeURIComponent(name)}`,
      permalink_public: `https://slack-files.com/${teamId}-${id}-${randomToken(5)}`,
      comments_count: 0,
      is_starred: false,
      shares: {},
      channels: [],
      groups: [],
      ims: [],
      has_more_shares: false,
      has_rich_preview: false,
      file_access: 'visible',
      ...(altText !== undefined && { alt_txt: altText }),
    };
    const stored = { file, bytes: Buffer.from(bytes) };
    this.files.set(id, stored);
    return stored;
  }

  /** Posts one message carrying the files and records the share on each file object. */
  private shareFiles(files: StoredFile[], channel: EmulatedChannel, fields: Obj, threadTs?: string): void {
    const message = this.workspace.storeMessage(channel, { ...fields, files: files.map((f) => f.file) }, threadTs);
    const visibility = channel.isPrivate ? 'private' : 'public';
    const list = channel.isIm ? 'ims' : channel.isPrivate ? 'groups' : 'channels';
    for (const { file } of files) {
      const shares = file.shares as Record<string, Record<string, Obj[]>>;
      const share = {
        ts: message.ts,
        channel_name: channel.name,
        team_id: this.workspace.teamId,
        share_user_id: message.user,
        ...(message.thread_ts && { thread_ts: message.thread_ts }),
      };
      shares[visibility] = { ...shares[visibility], [channel.id]: [share] };
      (file[list] as string[]).push(channel.id);
      file.is_public = file.is_public === true || visibility === 'public';
    }
  }

  private info(args: Obj): Obj {
    const stored = this.files.get(str(args, 'file') ?? '');
    if (!stored) throw new PlatformError('file_not_found');
    return { ok: true, file: structuredClone(stored.file), comments: [], response_metadata: { next_cursor: '' } };
  }

  /** `url_private` downloads: bytes with a bot token of the file's workspace, Slack's login page without one, 403 with a wrong one. */
  handleDownload(fileId: string, name: string, req: IncomingMessage): HttpReply {
    const stored = this.files.get(fileId);
    if (!stored || stored.file.name !== name) return textReply('not_found', 404);
    const token = bearerToken(req);
    if (token === undefined) return textReply(LOGIN_PAGE, 200, 'text/html; charset=utf-8');
    if (!this.tokens.isBotTokenOf(token, this.workspace)) return textReply('forbidden', 403);
    const headers = { 'content-type': String(stored.file.mimetype), 'content-length': String(stored.bytes.length) };
    return { status: 200, headers, body: stored.bytes };
  }
}
