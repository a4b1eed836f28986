import http from 'node:http';

/** One request that went through the proxy to the cluster. */
export interface LoggedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** performance.now() of this process when the request arrived, and when its answer had gone back. */
  startedAt: number;
  endedAt: number;
}

/**
 * An HTTP proxy on 127.0.0.1 in front of the test node that logs every request caseops makes: what a use-case
 * costs in round trips, counted at the wire rather than inside the client, so nothing the store does escapes it.
 */
export class RequestLog {
  readonly requests: LoggedRequest[] = [];

  private constructor(
    private readonly server: http.Server,
    private readonly agent: http.Agent,
  ) {}

  static async start(targetUrl: string): Promise<RequestLog> {
    const target = new URL(targetUrl);
    const agent = new http.Agent({ keepAlive: true });
    const server = http.createServer();
    const log = new RequestLog(server, agent);
    server.on('request', (request, response) => {
      // From its first bytes: two requests sent at once overlap here however their bodies trickle in.
      const startedAt = performance.now();
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        const upstream = http.request(
          { host: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers, agent },
          (answer) => {
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(response);
            answer.on('end', () => log.requests.push({ method: request.method ?? '', url: request.url ?? '', startedAt, endedAt: performance.now() }));
          },
        );
        upstream.on('error', () => response.destroy());
        upstream.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return log;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  /** Forgets what was logged so far. */
  clear(): void {
    this.requests.length = 0;
  }

  /**
   * How many steps the requests took one after another: requests that overlap in time count as one step (they
   * were in flight together, so they cost one round trip).
   */
  static stepsOf(requests: readonly LoggedRequest[]): number {
    const sorted = [...requests].sort((a, b) => a.startedAt - b.startedAt);
    let steps = 0;
    let stepEnds = Number.NEGATIVE_INFINITY;
    for (const request of sorted) {
      if (request.startedAt >= stepEnds) {
        steps += 1;
        stepEnds = request.endedAt;
      } else stepEnds = Math.max(stepEnds, request.endedAt);
    }
    return steps;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.agent.destroy();
  }
}
