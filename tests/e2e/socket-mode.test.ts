import { APP_TOKEN, BOT_TOKEN, type Harness } from '../support/harness';
import { openCaseByCommand, runCommand, textOf, useHarness } from './support';

/**
 * caseops with SLACK_APP_TOKEN set: no public URL, every request arrives as an envelope over the WebSocket the
 * app opened through apps.connections.open, and every ack goes back over it — with its payload where Slack
 * reads one (modal errors, typeahead options).
 */
describe('Socket Mode', () => {
  const current = useHarness({ env: { SLACK_APP_TOKEN: APP_TOKEN } });
  let harness: Harness;

  beforeEach(() => {
    harness = current();
  });

  test('the app connects with its app-level token through SLACK_API_URL, and serves /healthz on PORT', async () => {
    expect(harness.emulator.socketMode.connected).toBe(true);
    const opened = harness.emulator.callsTo('apps.connections.open');
    expect(opened).toHaveLength(1);
    expect(opened[0]!.headers.authorization).toBe(`Bearer ${APP_TOKEN}`);
    expect(harness.emulator.calls.filter((call) => call.method !== 'apps.connections.open').every((call) => call.headers.authorization === `Bearer ${BOT_TOKEN}`)).toBe(true);
    expect(await harness.health()).toEqual({ status: 200, body: { status: 'ok' } });
    expect(harness.logLines.join('')).toMatch(/"mode":"socket"/);
    expect(harness.logLines.join('')).not.toContain(APP_TOKEN);
  });

  test('a slash command envelope is acked over the socket; the card and the reply come through the Web API and response_url', async () => {
    const opened = await openCaseByCommand(harness, 'Beacon over the socket sev:high');
    expect(textOf(opened.card.blocks)).toContain('Beacon over the socket');
    expect((await runCommand(harness, 'list all')).text).toMatch(/Cases — 1$/);
  });

  test('a card button (interactive envelope) changes the case and edits the card', async () => {
    const opened = await openCaseByCommand(harness, 'Close me');
    const answer = await harness.driver.blockAction({ actionId: 'case_close', channelId: opened.channelId, messageTs: opened.card.ts });
    expect(answer.status).toBe(200);
    const update = await harness.emulator.waitFor(() => harness.emulator.callsTo('chat.update')[0]);
    expect(textOf(update.args.blocks)).toMatch(/Closed/);
  });

  test('an ack with a payload travels back over the socket: modal errors and typeahead options', async () => {
    const opened = await openCaseByCommand(harness, 'Picker target');
    const refused = await harness.driver.viewSubmission({
      callbackId: 'case_comment_modal',
      privateMetadata: JSON.stringify({ caseId: opened.id }),
      values: { comment: { value: { type: 'plain_text_input', value: '  ' } } },
    });
    expect(JSON.parse(refused.body)).toEqual({ response_action: 'errors', errors: { comment: 'A comment cannot be empty' } });
    const suggested = await harness.driver.blockSuggestion({ actionId: 'case_picker', value: 'picker' });
    expect(JSON.parse(suggested.body)).toMatchObject({ options: [{ text: { text: '#1 Picker target' }, value: opened.id }] });
  });

  test('an Events API envelope is acked and handled: App Home is published', async () => {
    await openCaseByCommand(harness, 'Shown at home <@U0ALICE>');
    await harness.driver.event({ type: 'app_home_opened', user: 'U0ALICE', channel: 'D0ALICE', tab: 'home' });
    const published = await harness.emulator.waitFor(() => harness.emulator.callsTo('views.publish')[0]);
    expect(textOf(published.args.view)).toContain('Shown at home');
  });
});
