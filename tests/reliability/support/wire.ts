import http from 'node:http';

/** A request as it goes on the wire, with full control of headers (repeated ones included) and framing. */
export interface WireRequest {
  url: string;
  /** An array value sends the header once per item, as a proxy or an attacker might. */
  headers: Record<string, string | string[]>;
  body: string | Buffer;
  /** Sent in chunks without Content-Length, so the server cannot refuse a big body before reading it. */
  chunked?: boolean;
}

export type WireResult = { status: number; body: string } | { error: string };

const CHUNK_BYTES = 64 * 1024;

/**
 * POSTs with node:http rather than fetch: fetch folds repeated headers into one and always frames the body
 * itself. A server may answer (413) and close before a big body is sent; that answer is what is returned.
 */
export function postWire(request: WireRequest): Promise<WireResult> {
  const url = new URL(request.url);
  const body = Buffer.from(request.body);
  const headers = request.chunked ? request.headers : { ...request.headers, 'content-length': String(body.length) };
  return new Promise((resolve) => {
    // A fresh connection each time: a server that refused a big body may leave a pooled socket unusable.
    const options = { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers, agent: false };
    const outgoing = http.request(options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    if (!request.chunked) {
      outgoing.end(body);
      return;
    }
    for (let start = 0; start < body.length; start += CHUNK_BYTES) outgoing.write(body.subarray(start, start + CHUNK_BYTES));
    outgoing.end();
  });
}
