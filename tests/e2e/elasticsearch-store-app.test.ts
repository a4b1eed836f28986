import { describeWithElasticsearch, dropPrefix, elasticsearchUrl, uniquePrefix } from '../elasticsearch/support/test-cluster';
import { Harness } from '../support/harness';
import { openCaseByCommand, runCommand, textOf } from './support';

describeWithElasticsearch('caseops on the Elasticsearch store, through Slack', () => {
  let harness: Harness;
  let prefix: string;

  beforeEach(async () => {
    prefix = uniquePrefix('app');
    harness = await Harness.start({ env: { CASEOPS_STORE: 'elasticsearch', ELASTICSEARCH_URL: elasticsearchUrl(), CASEOPS_INDEX_PREFIX: prefix } });
  });

  afterEach(async () => {
    expect(harness.emulator.blockKitViolations).toEqual([]);
    await harness.stop();
    await dropPrefix(prefix);
  });

  test('a case opened, changed and listed; the change survives a restart; /healthz is 200', async () => {
    expect(await harness.health()).toEqual({ status: 200, body: { status: 'ok' } });
    await openCaseByCommand(harness, 'Stored in Elasticsearch sev:high #es');
    expect((await runCommand(harness, 'comment 1 indexed')).text).toMatch(/comment added/);
    await harness.restart();
    const shown = textOf((await runCommand(harness, 'show 1')).blocks);
    expect(shown).toContain('#1 · Stored in Elasticsearch');
    expect(shown).toContain('1 comment');
    expect(textOf((await runCommand(harness, 'list #es')).blocks)).toContain('Stored in Elasticsearch');
  });

  test('a war room, a role and the report, with every step the room records kept by the store', async () => {
    const opened = await openCaseByCommand(harness, 'Room on Elasticsearch');
    await runCommand(harness, `room ${opened.number}`);
    await runCommand(harness, `role ${opened.number} lead <@U0BOB|bob>`);
    await runCommand(harness, `report ${opened.number}`);
    const report = await harness.emulator.waitFor(() => harness.emulator.uploads.find((file) => file.filename.endsWith('.md')), 20_000);
    const room = harness.emulator.channelNamed(`case-${opened.number}-room-on-elasticsearch`)!;
    expect(report.channelId).toBe(room.id);
    expect(room.pins).toHaveLength(1);
    expect(report.bytes.toString('utf8')).toContain('- incident lead: bob');
    const card = textOf(harness.emulator.messagesIn('C0PUBLIC').find((message) => message.ts === opened.card.ts)!.blocks);
    expect(card).toContain(`War room <#${room.id}>`);
    expect(card).toContain('*Lead* <@U0BOB>');
  });
});

describe('an unreachable Elasticsearch cluster', () => {
  test('/healthz 503, and a command says storage is unreachable and that nothing was changed', async () => {
    // A loopback port nothing listens on: connections are refused at once.
    const harness = await Harness.start({ env: { CASEOPS_STORE: 'elasticsearch', ELASTICSEARCH_URL: 'http://127.0.0.1:9', CASEOPS_INDEX_PREFIX: 'unreachable' } });
    try {
      const health = await harness.health();
      expect(health.status).toBe(503);
      expect(harness.logLines.join('')).toContain('case storage unavailable at start-up');
      // The client retries a refused connection a couple of times before the store gives up.
      await harness.driver.command('new During the outage');
      const reply = await harness.emulator.waitFor(() => harness.emulator.responses[0], 20_000);
      expect(reply.text).toMatch(/Case storage is unavailable right now; nothing was changed/);
      expect(harness.emulator.callsTo('chat.postMessage')).toEqual([]);
    } finally {
      await harness.stop();
    }
  });
});
