import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Harness } from '../tests/support/harness';
import { blocksToText } from './demo/blocks-to-text';

/**
 * `npm run demo`: caseops against the Slack emulator, no workspace needed. A short scripted session is
 * driven through signed HTTP requests, and what each Slack user would see is printed as text.
 */

const print = (who: string, where: string, lines: string[]) => {
  process.stdout.write(`\n┌ ${who} sees ${where}\n${lines.map((line) => `│ ${line}`).join('\n')}\n└\n`);
};

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-demo-'));
  const harness = await Harness.start({ dataDir, env: { LOG_LEVEL: 'warn', CASEOPS_ADMINS: 'U0CAROL' } });
  const { emulator, driver } = harness;
  let step = 0;
  const say = (text: string) => process.stdout.write(`\n${++step}. ${text}\n`);
  const replyOf = async (responseUrl: string) => emulator.waitFor(() => emulator.responses.find((r) => responseUrl.endsWith(r.id)));
  const command = async (who: string, userId: string, text: string) => {
    say(`${who} types /case ${text}`);
    const sent = await driver.command(text, { userId });
    return sent;
  };
  try {
    const help = await command('alice', 'U0ALICE', 'help');
    print('alice', 'an ephemeral reply', blocksToText((await replyOf(help.responseUrl)).blocks));

    await command('alice', 'U0ALICE', 'new Beacon to 203.0.113.7 from ws-114 sev:high #c2 <@U0BOB|bob>');
    const card = await emulator.waitFor(() => emulator.messagesIn('C0PUBLIC')[0]);
    print('everyone in #soc', 'the case card', blocksToText(card.blocks));

    say('bob taps the status menu on the card and picks "In progress"');
    await driver.blockAction({
      actionId: 'case_status',
      userId: 'U0BOB',
      channelId: 'C0PUBLIC',
      messageTs: card.ts,
      type: 'static_select',
      action: { selected_option: { text: { type: 'plain_text', text: 'In progress' }, value: 'in-progress' } },
    });
    await emulator.waitFor(() => emulator.messagesIn('C0PUBLIC', { threadTs: card.ts })[0]);

    const comment = await command('bob', 'U0BOB', 'comment 1 Isolated ws-114 in Defend; pulling memory.');
    await replyOf(comment.responseUrl);
    const threadLines = () => emulator.messagesIn('C0PUBLIC', { threadTs: card.ts }).map((message) => `↳ ${blocksToText([{ type: 'section', text: { type: 'mrkdwn', text: message.text } }]).join(' ')}`);
    await emulator.waitFor(() => emulator.messagesIn('C0PUBLIC', { threadTs: card.ts }).length === 2);
    print('everyone in #soc', 'the card, edited in place, and its thread', [...blocksToText(emulator.findMessage('C0PUBLIC', card.ts)?.blocks), ...threadLines()]);

    say('carol posts in #soc; bob uses the message menu → "Add to case" and picks #1 in the case picker');
    const sighting = emulator.addMessage({ channel: 'C0PUBLIC', user: 'U0CAROL', text: 'EDR: ws-114 beaconing to hxxp://update-check[.]example/api every 60s, sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' });
    await driver.messageShortcut({ callbackId: 'case_add_message', message: sighting, userId: 'U0BOB' });
    const addModal = (await emulator.waitFor(() => emulator.callsTo('views.open').find((call) => JSON.stringify(call.args.view).includes('case_add_message_modal')))).args.view as { private_metadata: string };
    await emulator.waitFor(() => emulator.callsTo('conversations.info').length >= 2);
    const caseId = /case:([0-9a-f-]{36})/.exec(JSON.stringify(card.blocks))?.[1] ?? '';
    const submitted = await driver.viewSubmission({
      callbackId: 'case_add_message_modal',
      userId: 'U0BOB',
      privateMetadata: addModal.private_metadata,
      values: { case: { case_picker: { type: 'external_select', selected_option: { text: { type: 'plain_text', text: '#1' }, value: caseId } } } },
    });
    const indicators = JSON.parse(submitted.body) as { view: { blocks: unknown; private_metadata: string } };
    print('bob', 'the next modal: indicators found in the message', blocksToText(indicators.view.blocks));
    say('bob keeps them all and taps "Add indicators"');
    const ticked = (indicators.view.blocks as { block_id?: string; element?: { options?: unknown[] } }[]).find((block) => block.block_id === 'indicators_0')?.element?.options ?? [];
    await driver.viewSubmission({
      callbackId: 'case_indicators_modal',
      userId: 'U0BOB',
      privateMetadata: indicators.view.private_metadata,
      values: { indicators_0: { value: { type: 'checkboxes', selected_options: ticked } } },
    });
    await emulator.waitFor(() => emulator.messagesIn('C0PUBLIC', { threadTs: card.ts }).length === 4);
    const events = await command('bob', 'U0BOB', 'events 1');
    print('bob', 'an ephemeral reply', blocksToText((await replyOf(events.responseUrl)).blocks));

    const chart = await command('alice', 'U0ALICE', 'chart 1 activity last 24h');
    print('alice', 'an ephemeral reply', blocksToText((await replyOf(chart.responseUrl)).blocks));
    const upload = await emulator.waitFor(() => emulator.uploads[0]);
    print('everyone in #soc', 'the thread of case #1: a chart image', [`[image ${upload.filename}, ${upload.bytes.length} bytes]`, `alt text: ${upload.altText ?? ''}`]);

    await command('carol', 'U0CAROL', 'new Payroll data exfil suspected sev:critical');
    const list = await command('alice', 'U0ALICE', 'list');
    print('alice', 'an ephemeral reply', blocksToText((await replyOf(list.responseUrl)).blocks));

    const show = await command('alice', 'U0ALICE', 'show 1');
    print('alice', 'an ephemeral reply', blocksToText((await replyOf(show.responseUrl)).blocks));

    say('alice taps Close on the card');
    const threadBefore = emulator.messagesIn('C0PUBLIC', { threadTs: card.ts }).length;
    await driver.blockAction({ actionId: 'case_close', userId: 'U0ALICE', channelId: 'C0PUBLIC', messageTs: card.ts });
    await emulator.waitFor(() => emulator.messagesIn('C0PUBLIC', { threadTs: card.ts }).length > threadBefore);
    print('everyone in #soc', 'the card and its thread', [...blocksToText(emulator.findMessage('C0PUBLIC', card.ts)?.blocks), ...threadLines()]);

    say('bob opens caseops in the sidebar (App Home)');
    await driver.event({ type: 'app_home_opened', user: 'U0BOB', channel: 'D0BOB', tab: 'home' });
    const home = await emulator.waitFor(() => emulator.callsTo('views.publish')[0]);
    print('bob', 'App Home', blocksToText((home.args.view as { blocks: unknown }).blocks));

    const exported = await command('alice', 'U0ALICE', 'export 1');
    print('alice', 'an ephemeral reply', blocksToText((await replyOf(exported.responseUrl)).blocks));
    const file = await emulator.waitFor(() => emulator.uploads.find((u) => u.filename.endsWith('.ndjson')));
    const lines = file.bytes.toString('utf8').split('\n');
    print('everyone in #soc', `the file ${file.filename} (Kibana saved objects)`, [`${lines.length} lines; first: ${lines[0]?.slice(0, 110)}…`, `last: ${lines.at(-1)}`]);

    const bad = await command('bob', 'U0BOB', 'show 42');
    print('bob', 'an ephemeral reply', blocksToText((await replyOf(bad.responseUrl)).blocks));
  } finally {
    await harness.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
