import { RequestLog } from '../elasticsearch/support/request-log';
import { describeWithElasticsearch, dropPrefix, elasticsearchUrl, uniquePrefix } from '../elasticsearch/support/test-cluster';
import { Harness } from '../support/harness';
import { openCaseByCommand } from './support';

/**
 * What a responder waits for on the Elasticsearch store is round trips, not work (BENCHMARKS.md, "End to end"). These
 * pin how many requests, and how many steps one after another, caseops makes between `/case new` and its card, and
 * between a card's status menu and the card edited, counted at the wire by a proxy in front of the node. A change
 * that adds one fails here, and should say in BENCHMARKS.md why the protocol needs it.
 */
describeWithElasticsearch('Elasticsearch round trips of the paths a responder waits on', () => {
  let log: RequestLog;
  let harness: Harness;
  let prefix: string;

  beforeEach(async () => {
    log = await RequestLog.start(elasticsearchUrl());
    prefix = uniquePrefix('trips');
    // No polling: only the requests of the path itself reach the proxy.
    harness = await Harness.start({ env: { CASEOPS_STORE: 'elasticsearch', ELASTICSEARCH_URL: log.url, CASEOPS_INDEX_PREFIX: prefix, CASEOPS_OUTBOX_POLL_MS: '600000' } });
    // The first case of a team and process reads what later ones remember (the team's counter).
    await openCaseByCommand(harness, 'Warm-up');
    await quiet();
  });

  afterEach(async () => {
    await harness.stop();
    await log.stop();
    await dropPrefix(prefix);
  });

  /** Lets the follow-up work of the last path (recording the card, the thread line) finish before counting. */
  const quiet = () => new Promise((resolve) => setTimeout(resolve, 500));

  /** The requests from the start of the path to the moment Slack received what it waited for. */
  const upTo = (slackCallAt: number) => {
    const before = log.requests.filter((request) => performance.timeOrigin + request.startedAt < slackCallAt);
    // The requests themselves, shown when a count is off.
    return { requests: before.length, steps: RequestLog.stepsOf(before), log: before.map((request) => `${request.method} ${request.url}`) };
  };

  // At most: the delivery takes its lease beside the write, starts as the case commits (beside the bulk request that
  // finalises it) and reads the case beside recording its attempt. Whether a request starts before the one beside it
  // ends, and whether the finalising request, which the card does not wait for, starts before Slack is called, is up
  // to the scheduler.
  test('/case new → card posted: at most 8 requests in at most 3 steps', async () => {
    log.clear();
    harness.emulator.reset();
    await harness.driver.command('new Counted');
    const post = await harness.emulator.waitFor(() => harness.emulator.callsTo('chat.postMessage')[0]);
    const path = upTo(post.at);
    expect(path.requests).toBeLessThanOrEqual(8);
    expect(path.steps).toBeLessThanOrEqual(3);
  });

  test('card status menu → card edited: at most 10 requests in at most 4 steps, none of them a search', async () => {
    const opened = await openCaseByCommand(harness, 'Edited');
    await quiet();
    log.clear();
    harness.emulator.reset();
    await harness.driver.blockAction({
      actionId: 'case_status',
      channelId: opened.channelId,
      messageTs: opened.card.ts,
      type: 'static_select',
      action: { selected_option: { text: { type: 'plain_text', text: 'in-progress' }, value: 'in-progress' } },
    });
    const update = await harness.emulator.waitFor(() => harness.emulator.callsTo('chat.update')[0]);
    const path = upTo(update.at);
    expect(path.requests).toBeLessThanOrEqual(10);
    expect(path.steps).toBeLessThanOrEqual(4);
    // What the card says was given up on is looked up by id: none of the case's lanes has given up on anything.
    expect(path.log.filter((request) => request.includes('_search'))).toEqual([]);
  });
});
