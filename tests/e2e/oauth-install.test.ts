import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { manifestBotScopes } from '../../src/slack/oauth/install';
import { APP_TOKEN, BOT_TOKEN, Harness, SIGNING_SECRET } from '../support/harness';
import { SlackDriver } from '../support/slack-driver';
import { type EmulatedWorkspace, type Installer, SlackEmulator } from '../support/slack-emulator';
import { until } from '../reliability/support/async';
import { fromStore, openCaseByCommand, runCommand, settle, textOf } from './support';

/**
 * OAuth distribution end to end: workspaces install caseops with "Add to Slack" (Bolt's flow against the
 * emulator's consent page and oauth.v2.access), each then works with its own token, sees nothing of another's
 * cases on any surface, and uninstalling removes its tokens and stops its effects.
 */
const CLIENT_ID = '1111111111.2222222222';
const CLIENT_SECRET = 'caseops-test-client-secret';
const OAUTH_ENV = {
  SLACK_BOT_TOKEN: '',
  SLACK_CLIENT_ID: CLIENT_ID,
  SLACK_CLIENT_SECRET: CLIENT_SECRET,
  SLACK_STATE_SECRET: 'caseops-test-state-secret',
  CASEOPS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};
const KIBANA_81_EXPORT = path.resolve(
  __dirname,
  '../../../shared/fixtures/kibana/x-pack/platform/test/cases_api_integration/common/fixtures/saved_object_exports/single_case_user_actions_one_comment.ndjson',
);

/** Every `/case` command that names a case: asked of another workspace's case, each answers as for a missing one. */
const COMMANDS_OF_A_CASE = ['show {n}', 'comment {n} a note', 'status {n} in-progress', 'close {n}', 'severity {n} high', 'assign {n} <@U2ERIN|erin>', 'tag {n} #x', 'events {n}', 'export {n}', 'chart {n}', 'report {n}', 'room {n}'];

const selectOption = (value: string) => ({ selected_option: { text: { type: 'plain_text', text: value }, value } });
const bearerOf = (call: { headers: Record<string, unknown> }) => String(call.headers.authorization ?? '').replace(/^Bearer /, '');

async function startDistributed(options: { tokenLifetimeSeconds?: number } = {}) {
  const emulator = await SlackEmulator.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  const blue = emulator.addWorkspace({ teamId: 'T0002', name: 'Blue Team' });
  blue.addUser({ id: 'U2DAVE', name: 'dave', realName: 'Dave Defender' });
  blue.addUser({ id: 'U2ERIN', name: 'erin', realName: 'Erin Engineer' });
  blue.addChannel({ id: 'C2SOC', name: 'soc', members: ['U2DAVE', 'U2ERIN'] });
  const harness = await Harness.start({ emulator, env: OAUTH_ENV });
  emulator.registerOAuthApp({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUrls: [`${harness.baseUrl}/slack/oauth_redirect`],
    ...(options.tokenLifetimeSeconds ? { tokenRotation: true, tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
  });
  const blueDriver = new SlackDriver({ appUrl: `${harness.baseUrl}/slack/events`, signingSecret: SIGNING_SECRET, emulator: blue });
  return { emulator, blue, harness, blueDriver };
}

/** `/case <text>` in a workspace other than the harness's, and its first reply through the response_url. */
async function commandIn(emulator: SlackEmulator, driver: SlackDriver, workspace: EmulatedWorkspace, text: string, where: { userId: string; channelId: string }) {
  const response = await driver.command(text, where);
  const id = response.responseUrl.split('/').pop();
  return emulator.waitFor(() => workspace.responses.find((reply) => reply.id === id));
}

/**
 * `ask` of each of `cases` by its number answers byte for byte what it answers of a number nobody has, and the
 * case is unchanged.
 */
async function expectAnsweredAsMissing(harness: Harness, ask: (text: string) => Promise<{ text?: string }>, template: string, cases: { number: number; id: string; teamId: string }[]) {
  expect(cases.length).toBeGreaterThan(0);
  for (const { number, id, teamId } of cases) {
    const versionOf = async () => (await fromStore(harness, (store) => store.getCase(teamId, { id })))!.version;
    const before = await versionOf();
    const reply = await ask(template.replace('{n}', String(number)));
    await settle(harness);
    const missing = await ask(template.replace('{n}', '999999'));
    expect(reply.text).toEqual(missing.text?.replace('#999999', `#${number}`));
    expect(textOf(reply)).not.toMatch(/Red team|Acme/);
    expect(await versionOf()).toBe(before);
  }
}

/**
 * A status change whose card edit finds Slack unreachable, and stays owed (retried, failing again): returns once
 * the edit was first tried in the workspace.
 */
async function leaveCardEditOwed(emulator: SlackEmulator, driver: SlackDriver, teamId: string, where: { userId: string; channelId: string }) {
  emulator.failNext('chat.update', { status: 503 }, 100);
  const beforeChange = emulator.calls.length;
  await driver.command('status 1 in-progress', where);
  await emulator.waitFor(() => emulator.calls.slice(beforeChange).some((call) => call.method === 'chat.update' && call.teamId === teamId));
}

/** The case's owed card edit once the outbox gave up on it. */
async function cardEditGivenUp(harness: Harness, caseId: string) {
  const editOf = async () => (await fromStore(harness, (store) => store.outbox.listEffects(caseId))).find((effect) => effect.kind === 'edit_card' && effect.state !== 'done');
  await until('the owed card edit to be given up on', async () => (await editOf())?.state === 'failed', 15_000);
  return (await editOf())!;
}

/** A person installs caseops from `/slack/install` and presses Allow on Slack's page. */
async function install(harness: Harness, emulator: SlackEmulator, installer: Installer) {
  const start = await fetch(`${harness.baseUrl}/slack/install`, { redirect: 'manual' });
  const authorizeUrl = start.headers.get('location') ?? '';
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0]!;
  const back = emulator.approveInstall(authorizeUrl, installer);
  const done = await fetch(back, { headers: { cookie }, redirect: 'manual' });
  return { startStatus: start.status, authorizeUrl, status: done.status, page: await done.text() };
}

/** The installations as the store holds them, read as another process would. */
function installationRows(harness: Harness) {
  return fromStore(harness, (store) => store.installations.list());
}

describe('OAuth distribution: two workspaces on one deployment', () => {
  let emulator: SlackEmulator;
  let blue: EmulatedWorkspace;
  let harness: Harness;
  let blueDriver: SlackDriver;
  /**
   * The first workspace's cases, which the second must never reach: #1 and #2 share their numbers with the
   * second workspace's own cases, #3 (public) and #4 (private) are numbers only the first workspace has.
   */
  const red: { number: number; id: string; title: string; teamId: string }[] = [];
  let blueCase: { id: string; ts: string };

  beforeAll(async () => {
    ({ emulator, blue, harness, blueDriver } = await startDistributed());
  });

  afterAll(async () => {
    expect(emulator.blockKitViolations).toEqual([]);
    expect(blue.blockKitViolations).toEqual([]);
    await harness.stop();
    await emulator.stop();
  });

  const blueCommand = (text: string) => commandIn(emulator, blueDriver, blue, text, { userId: 'U2DAVE', channelId: 'C2SOC' });

  const redVersion = async (id: string) => (await fromStore(harness, (store) => store.getCase('T0001', { id })))!.version;
  /** The first workspace's cases whose numbers the second workspace does not have. */
  const onlyRedNumbers = () => red.slice(2);

  test('"Add to Slack" sends the installer to Slack for the manifest\'s scopes; coming back stores the installation sealed, and the workspace works with its own token', async () => {
    const installed = await install(harness, emulator, { teamId: 'T0001', userId: 'U0ALICE' });
    expect(installed.startStatus).toBe(302);
    const authorize = new URL(installed.authorizeUrl);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${emulator.url}/oauth/v2/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(authorize.searchParams.get('scope')?.split(',')).toEqual(manifestBotScopes());
    expect(installed.status).toBe(200);
    const exchange = emulator.callsTo('oauth.v2.access');
    expect(exchange).toHaveLength(1);

    harness.emulator.addChannel({ id: 'G0SECRET', name: 'ir-secret', isPrivate: true, members: ['U0ALICE'] });
    const opening = [
      ['Red team phishing wave', 'C0PUBLIC'],
      ['Red team secret intrusion', 'G0SECRET'],
      ['Red team lateral movement', 'C0PUBLIC'],
      ['Red team exfiltration', 'G0SECRET'],
    ] as const;
    for (const [title, channelId] of opening) {
      const opened = await openCaseByCommand(harness, title, { channelId });
      red.push({ number: opened.number, id: opened.id, title, teamId: 'T0001' });
    }
    expect(red.map((theCase) => theCase.number)).toEqual([1, 2, 3, 4]);
    const posted = emulator.callsTo('chat.postMessage').filter((call) => call.teamId === 'T0001');
    expect(posted.length).toBeGreaterThan(0);
    // Every card went out on the token the install minted, not on any token of the environment.
    const token = bearerOf(posted[0]!);
    expect(token).toMatch(/^xoxb-/);
    expect(token).not.toBe(BOT_TOKEN);

    const rows = await installationRows(harness);
    expect(rows.map((row) => [row.key, row.teamId])).toEqual([['team:T0001', 'T0001']]);
    expect(rows[0]!.sealed).toMatch(/^v1\./);
    expect(textOf(rows)).not.toContain(token);
    expect(textOf(rows)).not.toMatch(/xox[a-z]-/);
    expect(harness.logLines.join('')).not.toContain(token);
  });

  test('a second workspace installs and numbers its own cases from #1', async () => {
    expect((await install(harness, emulator, { teamId: 'T0002', userId: 'U2DAVE' })).status).toBe(200);
    await blueDriver.command('new Blue team beacon', { userId: 'U2DAVE', channelId: 'C2SOC' });
    const card = await emulator.waitFor(() => blue.messagesIn('C2SOC').find((message) => message.text?.startsWith('Case #1')));
    blueCase = { id: textOf(card.blocks).match(/"block_id":"case:([0-9a-f-]{36})"/)![1]!, ts: card.ts };
    expect((await installationRows(harness)).map((row) => row.key)).toEqual(['team:T0001', 'team:T0002']);
    const blueTokens = new Set(emulator.calls.filter((call) => call.teamId === 'T0002').map(bearerOf));
    const redTokens = new Set(emulator.calls.filter((call) => call.teamId === 'T0001').map(bearerOf));
    expect([...blueTokens].filter((token) => redTokens.has(token))).toEqual([]);
  });

  describe('the second workspace cannot see or change the first one\'s cases, on any surface', () => {
    test.each(COMMANDS_OF_A_CASE)('/case %s answers as for a missing case and changes nothing', async (template) => {
      await expectAnsweredAsMissing(harness, blueCommand, template, onlyRedNumbers());
    });

    test('a number both workspaces have names the second workspace\'s own case there', async () => {
      const shown = textOf(await blueCommand('show 1'));
      expect(shown).toContain('Blue team beacon');
      expect(shown).not.toContain('Red team');
    });

    test('/case list all, /case digest and /case export all hold only its own case', async () => {
      const list = await blueCommand('list all');
      expect(textOf(list)).toContain('Blue team beacon');
      expect(textOf(list)).not.toContain('Red team');
      const digest = await blueCommand('digest');
      expect(textOf(digest)).not.toContain('Red team');
      await blueCommand('export all');
      const upload = await emulator.waitFor(() => blue.uploads[0], 20_000);
      const titles = upload.bytes
        .toString('utf8')
        .split('\n')
        .map((line) => JSON.parse(line) as { type?: string; attributes?: { title?: string } })
        .filter((object) => object.type === 'cases')
        .map((object) => object.attributes?.title);
      expect(titles).toEqual(['Blue team beacon']);
    });

    test('the card buttons, given the first workspace\'s case ids, answer as for a missing case', async () => {
      const press = async (caseId: string) => {
        const mark = emulator.calls.length;
        const replies = blue.responses.length;
        await blueDriver.blockAction({ actionId: 'case_status', type: 'static_select', action: selectOption('in-progress'), channelId: 'C2SOC', messageTs: blueCase.ts, blockId: `case:${caseId}`, value: caseId, userId: 'U2DAVE' });
        await settle(harness);
        return textOf([...emulator.calls.slice(mark).map((call) => [call.method, call.args.text ?? null]), ...blue.responses.slice(replies).map((reply) => [reply.text, reply.blocks])]);
      };
      for (const { id } of red) {
        const before = await redVersion(id);
        const seen = await press(id);
        expect(seen).toContain('That case does not exist.');
        expect(seen).toEqual(await press(randomUUID()));
        expect(await redVersion(id)).toBe(before);
      }
    });

    test('App Home lists only its own case, and will not open the first workspace\'s', async () => {
      await blueDriver.event({ type: 'app_home_opened', user: 'U2DAVE', channel: 'D2HOME', tab: 'home' });
      const home = await emulator.waitFor(() => blue.homeViewOf('U2DAVE'));
      expect(textOf(home)).toContain('Blue team beacon');
      expect(textOf(home)).not.toContain('Red team');
      const view = async (caseId: string) => {
        const mark = emulator.calls.length;
        await blueDriver.blockAction({ actionId: 'home_view_case', value: caseId, userId: 'U2DAVE', viewId: (home as { id: string }).id });
        return textOf((await emulator.waitFor(() => emulator.calls.slice(mark).find((call) => call.method === 'views.update'))).args.view);
      };
      for (const theCase of red) expect(await view(theCase.id)).toEqual(await view(randomUUID()));
    });

    test('the case picker of "Add to case" offers and finds only its own case', async () => {
      const message = blue.addMessage({ channel: 'C2SOC', user: 'U2ERIN', text: 'beacon seen again on ws-7' });
      await blueDriver.messageShortcut({ callbackId: 'case_add_message', message, userId: 'U2DAVE', channelId: 'C2SOC' });
      const viewId = await emulator.waitFor(() => blue.latestModalId());
      const offered = async (typed: string) => (await blueDriver.blockSuggestion({ actionId: 'case_picker', value: typed, viewId, userId: 'U2DAVE' })).body;
      expect(await offered('')).toContain('Blue team beacon');
      for (const typed of ['', 'red', 'phishing', 'secret', '#2']) expect(await offered(typed)).not.toContain('Red team');
    });

    test('an import by the workspace\'s installer (its admin) lands in that workspace only; its other members may not import', async () => {
      const bytes = fs.readFileSync(KIBANA_81_EXPORT);
      const importAs = async (userId: string) => {
        blue.addUserFile({ name: 'export.ndjson', mimetype: 'application/x-ndjson', bytes, channel: 'C2SOC', user: userId });
        const mark = emulator.calls.length;
        const replies = blue.responses.length;
        await blueDriver.messageShortcut({ callbackId: 'case_import_file', message: blue.messagesIn('C2SOC').at(-1)!, userId, channelId: 'C2SOC' });
        await settle(harness, 300);
        return textOf([...emulator.calls.slice(mark).map((call) => [call.method, call.args.text ?? null, call.args.blocks ?? null]), ...blue.responses.slice(replies)]);
      };
      expect(await importAs('U2ERIN')).toMatch(/only (caseops )?admins/i);
      expect(await importAs('U2DAVE')).toMatch(/1 case\(s\) written/);
      const blueList = textOf(await blueCommand('list all'));
      const redList = textOf(await runCommand(harness, 'list all'));
      const importedTitle = (JSON.parse(bytes.toString('utf8').split('\n')[0]!) as { attributes: { title: string } }).attributes.title;
      expect(blueList).toContain(importedTitle);
      expect(redList).not.toContain(importedTitle);
    });
  });

  test('uninstalling deletes the workspace\'s installation; its effects still owed are given up on without another call to Slack', async () => {
    await leaveCardEditOwed(emulator, blueDriver, 'T0002', { userId: 'U2DAVE', channelId: 'C2SOC' });
    emulator.uninstall('T0002');
    expect((await blueDriver.appUninstalled()).status).toBe(200);
    await until('the installation to be deleted', async () => !(await installationRows(harness)).some((row) => row.teamId === 'T0002'));
    const mark = emulator.calls.length;
    expect((await cardEditGivenUp(harness, blueCase.id)).lastError).toBe('caseops is not installed in workspace T0002 any more');
    expect(emulator.calls.slice(mark).filter((call) => call.teamId === 'T0002')).toEqual([]);
    expect((await installationRows(harness)).map((row) => row.key)).toEqual(['team:T0001']);
    // The first workspace goes on as before (Slack's faults lifted).
    emulator.reset();
    const reply = await runCommand(harness, 'show 1');
    expect(textOf(reply)).toContain('Red team phishing wave');
  });
});

describe('OAuth distribution: an Enterprise Grid org installed org-wide, next to a workspace of its own', () => {
  let emulator: SlackEmulator;
  let harness: Harness;
  let security: EmulatedWorkspace;
  let itTeam: EmulatedWorkspace;
  let securityDriver: SlackDriver;
  let itDriver: SlackDriver;
  /** Acme Security's cases: #1 shares its number with Acme IT's own case; #2 (public) and #3 (private) do not. */
  const acme: { number: number; id: string; teamId: string }[] = [];
  const inSecurity = (text: string) => commandIn(emulator, securityDriver, security, text, { userId: 'W0OLGA', channelId: 'C0ASOC' });
  const inIt = (text: string) => commandIn(emulator, itDriver, itTeam, text, { userId: 'W0IVAN', channelId: 'C0AIT' });

  beforeAll(async () => {
    ({ emulator, harness } = await startDistributed());
    const org = { enterpriseId: 'E0ACME', enterpriseName: 'Acme Corp' };
    security = emulator.addWorkspace({ teamId: 'T0A01', name: 'Acme Security', ...org });
    security.addUser({ id: 'W0OLGA', name: 'olga', realName: 'Olga Org-Admin' });
    security.addUser({ id: 'W0SAM', name: 'sam', realName: 'Sam Analyst' });
    security.addChannel({ id: 'C0ASOC', name: 'acme-soc', members: ['W0OLGA', 'W0SAM'] });
    security.addChannel({ id: 'G0ASECRET', name: 'acme-ir', isPrivate: true, members: ['W0OLGA'] });
    itTeam = emulator.addWorkspace({ teamId: 'T0A02', name: 'Acme IT', ...org });
    itTeam.addUser({ id: 'W0IVAN', name: 'ivan', realName: 'Ivan IT' });
    itTeam.addChannel({ id: 'C0AIT', name: 'it-ops', members: ['W0IVAN'] });
    const driverOf = (workspace: EmulatedWorkspace) => new SlackDriver({ appUrl: `${harness.baseUrl}/slack/events`, signingSecret: SIGNING_SECRET, emulator: workspace });
    securityDriver = driverOf(security);
    itDriver = driverOf(itTeam);
  });

  afterAll(async () => {
    expect([...emulator.blockKitViolations, ...security.blockKitViolations, ...itTeam.blockKitViolations]).toEqual([]);
    await harness.stop();
    await emulator.stop();
  });

  test('an org admin installs caseops on the whole org: one sealed installation for the org, which each of its workspaces works through', async () => {
    expect((await install(harness, emulator, { teamId: 'T0001', userId: 'U0ALICE' })).status).toBe(200);
    await openCaseByCommand(harness, 'Red team phishing wave');
    expect((await install(harness, emulator, { teamId: 'T0A01', userId: 'W0OLGA', orgWide: true })).status).toBe(200);
    const rows = await installationRows(harness);
    expect(rows.map((row) => row.key)).toEqual(['enterprise:E0ACME', 'team:T0001']);
    expect(rows[0]!.sealed).toMatch(/^v1\./);
    expect(textOf(rows)).not.toMatch(/xox[a-z]-/);

    for (const [title, channelId] of [['Acme beacon on build server', 'C0ASOC'], ['Acme credential stuffing', 'C0ASOC'], ['Acme insider case', 'G0ASECRET']] as const) {
      const before = security.messagesIn(channelId).length;
      await securityDriver.command(`new ${title}`, { userId: 'W0OLGA', channelId });
      const card = await emulator.waitFor(() => security.messagesIn(channelId)[before]);
      acme.push({ number: acme.length + 1, id: textOf(card.blocks).match(/"block_id":"case:([0-9a-f-]{36})"/)![1]!, teamId: 'T0A01' });
      expect(card.text).toContain(`Case #${acme.length}`);
    }
    await itDriver.command('new IT laptop reimage', { userId: 'W0IVAN', channelId: 'C0AIT' });
    const itCard = await emulator.waitFor(() => itTeam.messagesIn('C0AIT')[0]);
    expect(itCard.text).toContain('Case #1');
    // Both workspaces' cards went out on the org's one token; the org is remembered for each workspace it served.
    const orgTokens = new Set(emulator.calls.filter((call) => call.teamId === 'T0A01' || call.teamId === 'T0A02').map(bearerOf));
    expect(orgTokens.size).toBe(1);
    expect(bearerOf(emulator.callsTo('chat.postMessage').find((call) => call.teamId === 'T0001')!)).not.toBe([...orgTokens][0]);
    expect((await installationRows(harness)).map((row) => row.key)).toEqual(['enterprise:E0ACME', 'member:T0A01', 'member:T0A02', 'team:T0001']);
  });

  test.each(COMMANDS_OF_A_CASE)('in another workspace of the same org, /case %s of the first one\'s cases answers as for a missing case', async (template) => {
    await expectAnsweredAsMissing(harness, inIt, template, acme.slice(1));
  });

  test('a workspace outside the org and the org\'s workspaces see none of each other\'s cases', async () => {
    const red = (await fromStore(harness, (store) => store.getCase('T0001', { number: 1 })))!;
    expect(textOf(await runCommand(harness, 'list all'))).not.toContain('Acme');
    await expectAnsweredAsMissing(harness, (text) => runCommand(harness, text), 'show {n}', acme.slice(1));
    const seen = textOf(await inSecurity('list all'));
    expect(seen).toContain('Acme beacon on build server');
    expect(seen).not.toContain('Red team');
    expect(textOf(await inIt('list all'))).not.toMatch(/Red team|Acme (beacon|credential|insider)/);
    expect(textOf(await inSecurity('show 1'))).toContain('Acme beacon');
    expect(red.title).toBe('Red team phishing wave');
  });

  test('a war room opened from a workspace of the org is made in that workspace', async () => {
    await inSecurity('room 2');
    // The room is made, then the person who asked is invited into it.
    await emulator.waitFor(() => security.channelNamed('case-2-acme-credential-stuffing')?.members.includes('W0OLGA'), 10_000);
    expect(itTeam.channelNamed('case-2-acme-credential-stuffing')).toBeUndefined();
  });

  test('App Home and the card buttons in the other workspace of the org neither show nor change the first one\'s cases', async () => {
    await itDriver.event({ type: 'app_home_opened', user: 'W0IVAN', channel: 'D0AHOME', tab: 'home' });
    const home = await emulator.waitFor(() => itTeam.homeViewOf('W0IVAN'));
    expect(textOf(home)).toContain('IT laptop reimage');
    expect(textOf(home)).not.toContain('Acme');
    const itCard = itTeam.messagesIn('C0AIT')[0]!;
    const press = async (caseId: string) => {
      const replies = itTeam.responses.length;
      await itDriver.blockAction({ actionId: 'case_status', type: 'static_select', action: selectOption('closed'), channelId: 'C0AIT', messageTs: itCard.ts, blockId: `case:${caseId}`, value: caseId, userId: 'W0IVAN' });
      await settle(harness);
      return textOf(itTeam.responses.slice(replies).map((reply) => [reply.text, reply.blocks]));
    };
    for (const { id, teamId } of acme) {
      const before = (await fromStore(harness, (store) => store.getCase(teamId, { id })))!;
      const seen = await press(id);
      expect(seen).toContain('That case does not exist.');
      expect(seen).toEqual(await press(randomUUID()));
      expect((await fromStore(harness, (store) => store.getCase(teamId, { id })))!.version).toBe(before.version);
    }
  });

  test('uninstalling from the org deletes its installation and forgets its workspaces; their owed effects are given up on', async () => {
    await leaveCardEditOwed(emulator, securityDriver, 'T0A01', { userId: 'W0OLGA', channelId: 'C0ASOC' });
    emulator.uninstall('E0ACME');
    expect((await securityDriver.appUninstalled({ orgWideInstall: true })).status).toBe(200);
    await until('the org installation to be deleted', async () => (await installationRows(harness)).every((row) => row.key === 'team:T0001'));
    const mark = emulator.calls.length;
    expect((await cardEditGivenUp(harness, acme[0]!.id)).lastError).toBe('caseops is not installed in workspace T0A01 any more');
    expect(emulator.calls.slice(mark).filter((call) => call.teamId === 'T0A01' || call.teamId === 'T0A02')).toEqual([]);
    emulator.reset();
    expect(textOf(await runCommand(harness, 'show 1'))).toContain('Red team phishing wave');
  });
});

describe('OAuth distribution: token rotation', () => {
  test('an expiring bot token is refreshed with its refresh token before use, and the new pair is stored sealed', async () => {
    // Bolt refreshes a token that expires within two hours, so this lifetime makes every use refresh it first.
    const { emulator, harness } = await startDistributed({ tokenLifetimeSeconds: 3_600 });
    try {
      await install(harness, emulator, { teamId: 'T0001', userId: 'U0ALICE' });
      const [exchange] = emulator.callsTo('oauth.v2.access');
      const sealedAtInstall = (await installationRows(harness))[0]!.sealed;
      await openCaseByCommand(harness, 'Rotated token case');
      const refreshes = emulator.callsTo('oauth.v2.access').filter((call) => call.args.grant_type === 'refresh_token');
      expect(exchange!.args.grant_type ?? 'authorization_code').toBe('authorization_code');
      expect(refreshes.length).toBeGreaterThan(0);
      const card = emulator.callsTo('chat.postMessage').find((call) => call.teamId === 'T0001')!;
      expect(bearerOf(card)).toMatch(/^xoxe\.xoxb-/);
      const sealedNow = (await installationRows(harness))[0]!.sealed;
      expect(sealedNow).not.toBe(sealedAtInstall);
      // Sealed (key id, iv, ciphertext, tag), holding no token the app used or sent to refresh. (Random base64url
      // holds "xox" now and then, so the check is for the tokens themselves.)
      expect(sealedNow).toMatch(/^v1(\.[\w-]+){4}$/);
      for (const secret of [bearerOf(card), ...refreshes.map((call) => String(call.args.refresh_token))]) expect(sealedNow).not.toContain(secret);
      expect(harness.logLines.join('')).not.toContain(bearerOf(card));
    } finally {
      await harness.stop();
      await emulator.stop();
    }
  });
});
