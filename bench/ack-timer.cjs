/**
 * Preloaded (`--require`) into both apps of the HTTP bench: times, inside the app's process, each Slack
 * request from the moment Node hands it to the server to the moment the app ends the response (its ack).
 * The same instrument in both apps measures what each adds before its ack, free of what the shared
 * machine does to the client's side. `GET /bench/ack-times` answers the times so far and starts over.
 */
'use strict';
const { isMainThread } = require('node:worker_threads');
const http = require('node:http');
const { performance } = require('node:perf_hooks');

const TIMES_PATH = '/bench/ack-times';

if (isMainThread) {
  let times = [];
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function timedEmit(event, request, response) {
    if (event === 'request' && request.url === TIMES_PATH) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(times));
      times = [];
      return true;
    }
    if (event === 'request' && request.method === 'POST') {
      const received = performance.now();
      const end = response.end;
      response.end = function timedEnd(...args) {
        times.push(performance.now() - received);
        return end.apply(this, args);
      };
    }
    return emit.apply(this, arguments);
  };
}
