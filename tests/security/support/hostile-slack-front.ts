import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from './loopback-server';

type Obj = Record<string, unknown>;

/**
 * What a compromised or misbehaving path between caseops and Slack could do, played in front of the Slack
 * emulator: caseops' SLACK_API_URL points here, every request is passed on to the emulator, and a test may
 * rewrite Web API answers (`rewriteApi`) or answer file downloads itself (`onFile`, e.g. with a redirect).
 */
export class HostileSlackFront {
  rewriteApi: (method: string, body: Obj) => Obj = (_method, body) => body;
  onFile: ((res: ServerResponse) => boolean) | undefined;
  private target = '';

  private constructor(readonly server: LoopbackServer) {}

  static async start(): Promise<HostileSlackFront> {
    let front: HostileSlackFront | undefined;
    const server = await LoopbackServer.start((req, body, res) => front!.pass(req, body, res));
    front = new HostileSlackFront(server);
    return front;
  }

  get apiUrl(): string {
    return `${this.server.url}/api/`;
  }

  /** The emulator's base URL, where every request goes on to. */
  passTo(emulatorUrl: string): void {
    this.target = emulatorUrl;
  }

  private async pass(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    if (path.startsWith('/files-pri/') && this.onFile?.(res)) return;
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name))) as Record<string, string>;
    const answer = await fetch(`${this.target}${path}`, { method: req.method, headers, ...(body.length ? { body } : {}), redirect: 'manual' });
    let bytes = Buffer.from(await answer.arrayBuffer());
    const method = /^\/api\/([\w.]+)/.exec(path)?.[1];
    if (method && (answer.headers.get('content-type') ?? '').includes('application/json')) {
      // Like any reverse proxy, the front names itself where the emulator named its own host (file URLs).
      const answered = JSON.parse(bytes.toString('utf8').replaceAll(this.target, this.server.url)) as Obj;
      bytes = Buffer.from(JSON.stringify(this.rewriteApi(method, answered)));
    }
    const passed = Object.fromEntries([...answer.headers].filter(([name]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name)));
    res.writeHead(answer.status, passed).end(bytes);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
