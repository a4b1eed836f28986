/** Conventions every Web API method shares: handler shape, `ok:false` errors, argument reading, cursors. */
import { randomBytes } from 'node:crypto';

export type Obj = Record<string, unknown>;

/** A Web API method: takes the decoded, checked arguments and returns the `ok:true` body, or throws PlatformError. */
export type Handler = (args: Obj) => Obj;
export type Handlers = Record<string, Handler>;

/** An `ok:false` answer; handlers throw it and the router turns it into Slack's error body. */
export class PlatformError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Obj = {},
  ) {
    super(code);
  }
}

export function errorWithMessages(code: string, messages: string[]): PlatformError {
  return new PlatformError(code, { response_metadata: { messages: messages.map((m) => `[ERROR] ${m}`) } });
}

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string argument (numbers are accepted, as Slack reads every form value as text). */
export function str(args: Obj, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function bool(args: Obj, key: string): boolean {
  return args[key] === true || args[key] === 'true' || args[key] === '1';
}

export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** Slack's opaque cursors are base64 of `<kind>:<key of the next item>` (e.g. `dXNlcjpVMDYxTkZUVDI=`). */
export function paginate<T>(items: T[], args: Obj, kind: string, keyOf: (item: T) => string, defaultLimit: number) {
  const limit = args.limit === undefined ? defaultLimit : Number(args.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new PlatformError('invalid_limit');
  const cursor = str(args, 'cursor');
  let start = 0;
  if (cursor) {
    const [cursorKind, key] = Buffer.from(cursor, 'base64').toString('utf8').split(/:(.*)/s);
    start = cursorKind === kind ? items.findIndex((item) => keyOf(item) === key) : -1;
    if (start === -1) throw new PlatformError('invalid_cursor');
  }
  const page = items.slice(start, start + limit);
  const next = items[start + limit];
  const nextCursor = next === undefined ? '' : Buffer.from(`${kind}:${keyOf(next)}`).toString('base64');
  return { page, nextCursor };
}
