import { describeWithElasticsearch, dropPrefix, elasticsearchUrl, uniquePrefix } from '../elasticsearch/support/test-cluster';
import { until } from '../reliability/support/async';
import { Harness } from '../support/harness';
import { KibanaStandIn } from '../support/kibana-cases';
import { openCaseByCommand, settle } from './support';

describeWithElasticsearch('two caseops replicas on one Elasticsearch store, in one Slack workspace', () => {
  let first: Harness;
  let second: Harness;
  let prefix: string;

  beforeEach(async () => {
    prefix = uniquePrefix('replicas');
    const env = { CASEOPS_STORE: 'elasticsearch', ELASTICSEARCH_URL: elasticsearchUrl(), CASEOPS_INDEX_PREFIX: prefix };
    first = await Harness.start({ env });
    second = await Harness.start({ env, emulator: first.emulator });
  });

  afterEach(async () => {
    expect(first.emulator.blockKitViolations).toEqual([]);
    await second.stop();
    await first.stop();
    await dropPrefix(prefix);
  });

  test('two taps on a card’s Export button, one to each replica, post one file and tell the second tapper it is under way', async () => {
    const { card, channelId } = await openCaseByCommand(first, 'Exported from two replicas');
    const emulator = first.emulator;
    emulator.reset();
    const tap = (replica: Harness) => replica.driver.blockAction({ actionId: 'case_export', channelId, messageTs: card.ts });
    const answers = await Promise.all([tap(first), tap(second)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    await emulator.waitFor(() => emulator.uploads[0], 20_000);
    await settle(first, 300);
    expect(emulator.uploads).toHaveLength(1);
    expect(emulator.callsTo('files.completeUploadExternal')).toHaveLength(1);
    const told = emulator.responses.map((response) => String(response.text));
    expect(told.filter((text) => /under way or was just posted/.test(text))).toHaveLength(1);
    expect(told.filter((text) => /posted in this channel/.test(text))).toHaveLength(1);
  });

  describe('with live sync to Kibana', () => {
    const CASEOPS = { username: 'caseops', full_name: 'caseops', email: 'caseops@example.com', apiKey: 'caseops-api-key' };
    const ANA = { username: 'ana', full_name: 'Ana Lopez', email: 'ana@example.com', apiKey: 'ana-api-key' };
    let kibana: KibanaStandIn;
    let syncing: Harness[];

    beforeEach(async () => {
      kibana = await KibanaStandIn.start({ users: [CASEOPS, ANA] });
      const env = { CASEOPS_STORE: 'elasticsearch', ELASTICSEARCH_URL: elasticsearchUrl(), CASEOPS_INDEX_PREFIX: `${prefix}-sync`, CASEOPS_KIBANA_SYNC: 'on', KIBANA_URL: kibana.url, KIBANA_API_KEY: CASEOPS.apiKey, CASEOPS_KIBANA_POLL_MS: '1000' };
      const one = await Harness.start({ env });
      syncing = [one, await Harness.start({ env, emulator: one.emulator })];
    });

    afterEach(async () => {
      for (const replica of syncing) await replica.stop();
      await kibana.stop();
      await dropPrefix(`${prefix}-sync`);
      expect(kibana.violations).toEqual([]);
    });

    test('changes made in Kibana are applied once, whichever replica polls; one mirror, no echo', async () => {
      const [one] = syncing;
      const { card, channelId } = await openCaseByCommand(one!, 'Watched from two replicas');
      await until('the mirror', () => kibana.cases().length === 1, 20_000);
      const [mirror] = kibana.cases();
      const ana = kibana.as(ANA.apiKey);
      await until('caseops knows its Kibana user', async () => (await ana.userActions(mirror!.id)).length > 0, 20_000);
      await ana.updateCase(mirror!.id, { severity: 'critical' });
      await ana.addComment(mirror!.id, 'Seen on two more hosts');
      const thread = () => one!.emulator.messagesIn(channelId).filter((message) => message.thread_ts === card.ts).map((message) => String(message.text));
      await until('both changes in the thread', () => thread().filter((text) => text.includes('Changed in Kibana by')).length >= 2, 30_000);
      // Several more polls, by either replica: nothing applied twice, nothing written back.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await settle(one!, 300);
      expect(thread().filter((text) => text.includes('Changed in Kibana by'))).toHaveLength(2);
      expect(kibana.cases()).toHaveLength(1);
      expect(kibana.comments(mirror!.id).map((comment) => comment.created_by.username)).toEqual(['ana']);
    });
  });
});
