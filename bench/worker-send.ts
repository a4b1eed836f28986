import { Worker } from 'node:worker_threads';
import type { DriverResponse, HttpSend } from '../tests/support/slack-driver';

/**
 * The sending side of a request, in a worker thread: it posts, reads the answer and times it there. The Slack
 * emulator runs on the bench's main thread, and an app's follow-up calls (its reply, its card) land there
 * right after the ack; timed on that thread, a fast app's ack would wait behind its own follow-up.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', async ({ id, url, headers, body }) => {
  try {
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers, body });
    const text = await response.text();
    const elapsedMs = performance.now() - started;
    parentPort.postMessage({ id, response: { status: response.status, body: text, headers: Object.fromEntries(response.headers), elapsedMs } });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) });
  }
});
`;

export interface WorkerSend {
  send: HttpSend;
  stop(): Promise<void>;
}

export function startWorkerSend(): WorkerSend {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  const pending = new Map<number, { resolve: (response: DriverResponse) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  worker.on('message', (message: { id: number; response?: DriverResponse; error?: string }) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.response) waiter?.resolve(message.response);
    else waiter?.reject(new Error(message.error));
  });
  return {
    send: (url, headers, body) =>
      new Promise((resolve, reject) => {
        nextId += 1;
        pending.set(nextId, { resolve, reject });
        worker.postMessage({ id: nextId, url, headers, body });
      }),
    stop: async () => {
      await worker.terminate();
    },
  };
}
