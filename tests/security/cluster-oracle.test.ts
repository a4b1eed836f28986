/**
 * `/case chart <n> query "…" index <pattern> split <field>` runs searches with caseops' API key and shows the
 * counts and split values to the channel. Against the real node: an index outside CASEOPS_CHART_INDICES leaks
 * nothing, not even whether it exists, and every way of naming more than the allow-list, or of asking for
 * expensive work, is refused before the cluster is asked.
 */
import { randomBytes } from 'node:crypto';
import { describeWithElasticsearch, elasticsearchUrl, testClient } from '../elasticsearch/support/test-cluster';
import { openCaseByCommand, runCommand, settle, useHarness } from '../e2e/support';
import type { Harness } from '../support/harness';
import { recordAttack } from './support/security-report';

const tag = randomBytes(4).toString('hex');
/** An index nobody may chart, holding a document a leak would show. */
const SECRET = `caseops-sec-secret-${tag}`;
/** An index the operator allows. */
const ALLOWED = `caseops-sec-allowed-${tag}`;
/** A hidden index inside the allowed names: a wildcard must not reach it. */
const HIDDEN = `caseops-sec-allowed-hidden-${tag}`;
const AT = '2026-11-20T10:05:00Z';
const RANGE = 'from 2026-11-20T10:00Z to 2026-11-20T12:00Z by 1h';
const mappings = { properties: { '@timestamp': { type: 'date' as const }, event: { properties: { action: { type: 'keyword' as const } } }, host: { properties: { name: { type: 'keyword' as const } } } } };

describeWithElasticsearch('the cluster is no oracle: query charts reach only the allowed indices', () => {
  const current = useHarness({ env: { ELASTICSEARCH_URL: elasticsearchUrl(), CASEOPS_CHART_INDICES: `caseops-sec-allowed-*,.alerts-security.alerts-*` } });
  let harness: Harness;
  let caseNumber: number;

  beforeAll(async () => {
    const client = testClient();
    try {
      for (const [index, settings] of [[SECRET, {}], [ALLOWED, {}], [HIDDEN, { 'index.hidden': true }]] as const) {
        await client.indices.create({ index, mappings, settings });
        await client.index({ index, refresh: true, document: { '@timestamp': AT, event: { action: 'seen' }, host: { name: `host-in-${index}` } } });
      }
    } finally {
      await client.close();
    }
  });

  afterAll(async () => {
    const client = testClient();
    await client.indices.delete({ index: [SECRET, ALLOWED, HIDDEN], ignore_unavailable: true, expand_wildcards: 'all' }).finally(() => client.close());
  });

  beforeEach(async () => {
    harness = current();
    caseNumber = (await openCaseByCommand(harness, 'Oracle probe')).number;
  });

  async function chart(index: string, query = 'event.action:seen', split = '') {
    harness.emulator.reset();
    const reply = await runCommand(harness, `chart ${caseNumber} query "${query}" index ${index} ${RANGE}${split ? ` split ${split}` : ''}`);
    await settle(harness);
    const uploads = harness.emulator.callsTo('files.getUploadURLExternal').map((call) => String(call.args.alt_text));
    return { text: String(reply.text), uploads };
  }

  test('the allowed index charts (so a refusal below is the allow-list, not a broken chart)', async () => {
    const { text, uploads } = await chart(ALLOWED, 'event.action:seen', 'host.name');
    expect(text).toMatch(/Chart posted/);
    expect(uploads.join()).toContain(`host-in-${ALLOWED}`);
  });

  test('an index outside the allow-list: the same refusal whether it exists or not, and nothing of it posted', async () => {
    const existing = await chart(SECRET, 'event.action:seen', 'host.name');
    const missing = await chart(`caseops-sec-absent-${tag}`, 'event.action:seen', 'host.name');
    expect(existing.uploads).toEqual([]);
    expect(missing.uploads).toEqual([]);
    expect(existing.text).toMatch(/is not among the indices caseops may chart/);
    expect(existing.text.replace(SECRET, 'NAME')).toBe(missing.text.replace(`caseops-sec-absent-${tag}`, 'NAME'));
    expect(JSON.stringify(harness.emulator.calls)).not.toContain(`host-in-${SECRET}`);
    recordAttack('oracle', 'chart an existing vs a missing non-allowed index', 'identical refusal, no search sent', 2);
  });

  test.each([
    ['a comma list adding a non-allowed index', () => `${ALLOWED},${SECRET}`],
    ['a comma list adding a system index', () => `${ALLOWED},.security-7`],
    ['a wider wildcard', () => 'caseops-sec-*'],
    ['a wildcard before the allowed prefix', () => `*${SECRET}`],
    ['a remote cluster', () => `remote:${ALLOWED}`],
    ['a remote cluster wildcard', () => `*:${ALLOWED}`],
    ['a failure-store selector', () => `${ALLOWED}::failures`],
    ['_all', () => '_all'],
    ['everything', () => '*'],
    ['date math', () => '<caseops-sec-allowed-{now/d}>'],
    ['percent-encoded date math', () => '%3Ccaseops-sec-allowed-%7Bnow%2Fd%7D%3E'],
    ['an exclusion', () => `${ALLOWED},-${SECRET}`],
    ['a hidden system index', () => '.kibana*'],
    ['upper case', () => SECRET.toUpperCase()],
  ])('%s is refused before any search', async (label, pattern) => {
    const { text, uploads } = await chart(pattern());
    expect(text).toMatch(/:warning:/);
    expect(uploads).toEqual([]);
    recordAttack('oracle', `index pattern: ${label}`, 'refused before any search');
  });

  test('a wildcard within the allow-list does not reach a hidden index: the same answer as for no index at all', async () => {
    const hidden = await chart(`caseops-sec-allowed-hidden-${tag}*`);
    const none = await chart(`caseops-sec-allowed-nothing-${tag}*`);
    expect(hidden.uploads).toEqual([]);
    expect(hidden.text.replace(`hidden-${tag}`, 'X')).toBe(none.text.replace(`nothing-${tag}`, 'X'));
    recordAttack('oracle', 'allowed wildcard over a hidden index', 'same reply as a missing index');
  });

  test.each([
    ['a regular expression', 'host.name:/.*secret.*/'],
    ['a regular expression without a field', '/h.*/'],
    ['a leading wildcard', 'host.name:*secret'],
    ['a leading single-character wildcard', 'host.name:?ost*'],
  ])('%s is refused as too expensive', async (label, query) => {
    const { text, uploads } = await chart(ALLOWED, query);
    expect(text).toMatch(/:warning: .*(Regular expressions|leading wildcard)/);
    expect(uploads).toEqual([]);
    recordAttack('oracle', `query: ${label}`, 'refused');
  });

  test('a script in the query text is Lucene text, never a script: a plain refusal, no chart', async () => {
    const { text, uploads } = await chart(ALLOWED, `{"script":{"source":"Thread.sleep(100000)"}}`);
    expect(text).toMatch(/:warning: That query is not valid/);
    expect(uploads).toEqual([]);
    recordAttack('oracle', 'script JSON in the query text', 'not a script: refused as an invalid query');
  });
});
