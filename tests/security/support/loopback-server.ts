import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A plain HTTP server on a loopback port that records every request it receives; `handle` answers (the
 * default: 200 with an empty body). Both the attacker's server and the hostile Slack front are one of these.
 */
export class LoopbackServer {
  readonly seen: SeenRequest[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(handle?: (req: IncomingMessage, body: Buffer, res: ServerResponse) => Promise<void> | void): Promise<LoopbackServer> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const started = new LoopbackServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        started.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: body.toString('utf8') });
        void Promise.resolve(handle ? handle(req, body, res) : res.end()).catch((error: unknown) => {
          res.writeHead(500).end(String(error));
        });
      });
    });
    return started;
  }

  /** Every request that carried `secret` anywhere: URL, any header, or body. */
  sightingsOf(secret: string): SeenRequest[] {
    return this.seen.filter((request) => JSON.stringify(request).includes(secret));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
