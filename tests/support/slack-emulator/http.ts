/** The HTTP plumbing of the emulator's server: replies, bodies, bearer tokens and multipart parsing. */
import type { IncomingMessage } from 'node:http';
import { type Obj, isObject } from './web-api';

export interface HttpReply {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
  /** Close the connection instead of answering (the `answerLost` fault). */
  dropConnection?: boolean;
}

export function jsonReply(body: unknown, status = 200, headers: Record<string, string> = {}): HttpReply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

export function textReply(body: string, status: number, contentType = 'text/plain; charset=utf-8'): HttpReply {
  return { status, headers: { 'content-type': contentType }, body };
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function bearerToken(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

interface MultipartPart {
  name: string;
  data: Buffer;
}

/** Parses a multipart/form-data body (RFC 7578) without touching the bytes of binary parts. */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const delimiter = Buffer.from(`--${boundary?.[1] ?? boundary?.[2] ?? ''}`);
  if (delimiter.length === 2) throw new Error('multipart body without boundary');
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') return parts;
    const next = body.indexOf(delimiter, start);
    if (next === -1) throw new Error('unterminated multipart body');
    const part = body.subarray(start + 2, next - 2); // strip the CRLFs around each part
    const headerEnd = part.indexOf('\r\n\r\n');
    const name = headerEnd === -1 ? undefined : /\bname="([^"]*)"/i.exec(part.subarray(0, headerEnd).toString('utf8'))?.[1];
    if (name === undefined) throw new Error('multipart part without a name');
    parts.push({ name, data: part.subarray(headerEnd + 4) });
    at = next;
  }
  throw new Error('multipart body without delimiter');
}

export function parseJsonObject(body: Buffer): Obj | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
