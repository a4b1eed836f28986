import { describeWithElasticsearch, dropPrefix, elasticsearchUrl, uniquePrefix } from '../elasticsearch/support/test-cluster';
import { Harness } from '../support/harness';
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
});
