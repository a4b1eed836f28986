/**
 * The baseline for the ack-latency bench: a bare Bolt app in HTTP mode whose `/case` listener only acks.
 * Run as its own process, like caseops, with the same Slack settings; prints `listening <port>`.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver } from '@slack/bolt';

async function main(): Promise<void> {
  const receiver = new HTTPReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET ?? '', endpoints: '/slack/events' });
  const app = new App({
    token: process.env.SLACK_BOT_TOKEN,
    receiver,
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
    deferInitialization: true,
  });
  app.command('/case', async ({ ack }) => {
    await ack();
  });
  await app.init();
  const server = (await app.start(0)) as Server;
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
}

void main();
