import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of the test node, which a test can cut like a failing network: every open
 * connection is destroyed mid-stream, and new ones are refused until `restore()`.
 */
export class TcpProxy {
  private readonly sockets = new Set<net.Socket>();
  private cut = false;
  private bytesUntilCut = Number.POSITIVE_INFINITY;
  /** Told how many bytes each chunk from a client carries (to measure a workload). */
  onClientBytes: ((count: number) => void) | undefined;

  private constructor(
    private readonly server: net.Server,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(targetUrl: string): Promise<TcpProxy> {
    const target = new URL(targetUrl);
    const server = net.createServer();
    const proxy = new TcpProxy(server, { host: target.hostname, port: Number(target.port) });
    server.on('connection', (socket) => proxy.accept(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** Cuts the network once `bytes` more bytes have gone from clients to the cluster: in the middle of a request. */
  cutAfterBytes(bytes: number): void {
    this.bytesUntilCut = bytes;
  }

  cutNow(): void {
    this.cut = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.cut = false;
    this.bytesUntilCut = Number.POSITIVE_INFINITY;
  }

  async close(): Promise<void> {
    this.cutNow();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    if (this.cut) {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.target);
    this.sockets.add(client).add(upstream);
    const forget = () => {
      this.sockets.delete(client);
      this.sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', forget).on('error', forget);
    upstream.on('close', forget).on('error', forget);
    client.on('data', (chunk: Buffer) => {
      if (this.cut) return;
      this.onClientBytes?.(chunk.length);
      if (chunk.length < this.bytesUntilCut) {
        this.bytesUntilCut -= chunk.length;
        upstream.write(chunk);
        return;
      }
      // Forward only part of the chunk, so the cluster sees a request broken off in the middle.
      this.cut = true;
      upstream.write(chunk.subarray(0, Math.max(0, this.bytesUntilCut - 1)), () => this.cutNow());
      this.bytesUntilCut = Number.POSITIVE_INFINITY;
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
  }
}
