import { randomUUID } from 'node:crypto';
import { describeWithElasticsearch, elasticsearchUrl, testClient } from '../elasticsearch/support/test-cluster';
import { Harness } from '../support/harness';
import type { Attachment } from '../../src/cases/model';
import { TcpProxy } from '../elasticsearch/support/tcp-proxy';
import { until } from '../reliability/support/async';
import { fromStore, importLogTo, openCaseByCommand, runCommand, settle } from './support';

/**
 * With a cluster configured (here beside the SQLite store), attached messages become ECS documents, query
 * charts read the cluster, and indicators and alerts are looked up in it.
 */
/** Security's default alerts index, where `/case alert` looks alerts up by default. */
const ALERTS_INDEX = '.alerts-security.alerts-default';

describeWithElasticsearch('Slack evidence in Elasticsearch, through Slack', () => {
  const namespace = `e2e${randomUUID().slice(0, 8)}`;
  const seeded = `caseops-e2e-logs-${randomUUID().slice(0, 8)}`;
  const threatIntel = `logs-ti_e2e${randomUUID().slice(0, 8)}`;
  let harness: Harness;

  beforeAll(async () => {
    const client = testClient();
    try {
      // 3 logon failures in the first hour, 1 in the second; 2 other events.
      const at = (minutes: number) => new Date(Date.parse('2026-11-20T10:00:00Z') + minutes * 60_000).toISOString();
      const docs = [
        { '@timestamp': at(5), event: { action: 'logon-failed' }, host: { name: 'ws-1' } },
        { '@timestamp': at(20), event: { action: 'logon-failed' }, host: { name: 'ws-2' } },
        { '@timestamp': at(50), event: { action: 'logon-failed' }, host: { name: 'ws-1' } },
        { '@timestamp': at(70), event: { action: 'logon-failed' }, host: { name: 'ws-1' } },
        { '@timestamp': at(30), event: { action: 'logon-ok' }, host: { name: 'ws-1' } },
        { '@timestamp': at(90), event: { action: 'logon-ok' }, host: { name: 'ws-3' } },
      ];
      await client.indices.create({ index: seeded, mappings: { properties: { '@timestamp': { type: 'date' }, event: { properties: { action: { type: 'keyword' } } }, host: { properties: { name: { type: 'keyword' } } } } } });
      await client.bulk({ refresh: true, operations: docs.flatMap((doc) => [{ index: { _index: seeded } }, doc]) });
      await client.index({ index: threatIntel, refresh: true, document: { '@timestamp': at(0), threat: { feed: { name: 'AbuseCH' }, indicator: { type: 'ipv4-addr', ip: '198.51.100.77' } }, event: { dataset: 'ti_abusech.ip' } } });
    } finally {
      await client.close();
    }
    harness = await Harness.start({
      env: { ELASTICSEARCH_URL: elasticsearchUrl(), CASEOPS_CHART_INDICES: `${seeded},.alerts-security.alerts-*`, CASEOPS_SLACK_EVENTS_NAMESPACE: namespace, CASEOPS_THREAT_INTEL_INDEX: threatIntel, KIBANA_URL: 'https://kibana.example.com' },
    });
  });

  afterAll(async () => {
    await harness.stop();
    const client = testClient();
    await client.indices.delete({ index: [seeded, threatIntel, ALERTS_INDEX], ignore_unavailable: true }).finally(() => client.close());
  });

  test('an alerts chart counts Security alerts by severity for the hosts and rules of the attached alerts', async () => {
    const client = testClient();
    try {
      // Mapped as Elastic Security maps its alerts index: keywords, not analysed text.
      await client.indices.create({
        index: ALERTS_INDEX,
        mappings: { properties: { '@timestamp': { type: 'date' }, host: { properties: { name: { type: 'keyword' } } }, kibana: { properties: { alert: { properties: { severity: { type: 'keyword' }, building_block_type: { type: 'keyword' }, rule: { properties: { uuid: { type: 'keyword' }, name: { type: 'keyword' } } } } } } } } },
      });
      const alert = (id: string, minutes: number, severity: string, host: string) => [
        { index: { _index: ALERTS_INDEX, _id: id } },
        { '@timestamp': new Date(Date.parse('2026-11-21T08:00:00Z') + minutes * 60_000).toISOString(), host: { name: host }, kibana: { alert: { severity, rule: { uuid: 'rule-1', name: 'Beacon' } } } },
      ];
      await client.bulk({ refresh: true, operations: [...alert('a1', 5, 'high', 'ws-9'), ...alert('a2', 15, 'critical', 'ws-9'), ...alert('a3', 70, 'high', 'ws-9'), ...alert('a4', 20, 'low', 'elsewhere')] });
    } finally {
      await client.close();
    }
    const theCase = await openCaseByCommand(harness, 'Alert storm');
    expect((await runCommand(harness, `alert ${theCase.number} a1`)).text).toMatch(
      /alert attached \(<https:\/\/kibana\.example\.com\/app\/security\/alerts\/redirect\/a1\?index=\.alerts-security\.alerts-default\|open in Kibana>\)\./,
    );
    harness.emulator.reset();
    const reply = await runCommand(harness, `chart ${theCase.number} alerts from 2026-11-21T08:00Z to 2026-11-21T10:00Z by 1h`);
    expect(reply.text).toMatch(/Chart posted/);
    const alt = String(harness.emulator.callsTo('files.getUploadURLExternal')[0]!.args.alt_text);
    // The scope is the attached alert's host OR rule: ws-9's three alerts, and a4 by its rule.
    expect(alt).toContain(`Case #${theCase.number} alerts by severity`);
    expect(alt).toContain('4 alerts: High 2, Critical 1, Low 1');
  });

  test('an attached message is found in the data stream with ECS fields, and the attachment records its document', async () => {
    const theCase = await openCaseByCommand(harness, 'ECS evidence');
    const message = harness.emulator.addMessage({ channel: 'C0PUBLIC', user: 'U0BOB', text: 'beacon to 203.0.113.9 from ws-1' });
    await attachMessage(harness, message, theCase.id);
    const { event, document } = await indexedEvent(harness, theCase.id);
    expect(document.index).toMatch(new RegExp(`^\\.ds-logs-caseops\\.slack-${namespace}-`));
    const stored = await storedDocument(document);
    expect(stored).toMatchObject({
      message: 'beacon to 203.0.113.9 from ws-1',
      user: { id: 'U0BOB' },
      event: { kind: 'event', dataset: 'caseops.slack' },
      related: { ip: ['203.0.113.9'] },
      slack: { channel: { id: 'C0PUBLIC' } },
    });
    expect(stored['@timestamp']).toBe(new Date(Number(message.ts) * 1000).toISOString());
    // With KIBANA_URL, the event's details link to its document in Discover.
    harness.emulator.reset();
    await harness.driver.blockAction({ actionId: 'event_details', value: `${theCase.id}:${event.id}`, messageTs: '1.2', channelId: 'C0PUBLIC' });
    const details = await harness.emulator.waitFor(() => harness.emulator.callsTo('views.update')[0]);
    expect(JSON.stringify(details.args.view)).toContain('https://kibana.example.com/app/discover#/');
  });

  test('a message attached while the cluster is unreachable is attached at once; its document is written when the cluster is back, and follows an edit', async () => {
    const proxy = await TcpProxy.start(elasticsearchUrl());
    const cut = await Harness.start({ env: { ELASTICSEARCH_URL: proxy.url, CASEOPS_SLACK_EVENTS_NAMESPACE: namespace } });
    try {
      const theCase = await openCaseByCommand(cut, 'Evidence during an outage');
      const message = cut.emulator.addMessage({ channel: 'C0PUBLIC', user: 'U0BOB', text: 'exfil to 192.0.2.44' });
      proxy.cutNow();
      await attachMessage(cut, message, theCase.id);
      const owed = async () => (await fromStore(cut, (store) => store.outbox.listEffects(theCase.id))).filter((effect) => effect.kind === 'index_event');
      await until('an attempt failed', async () => (await owed()).some((effect) => effect.attempts > 0 && effect.lastError !== null), 15_000);
      expect((await owed()).map((effect) => effect.state)).toEqual(['due']);
      const [attached] = await fromStore(cut, (store) => store.listAttachments(theCase.id, { types: ['event'], limit: 1 }));
      expect((attached?.data as { document?: unknown }).document).toBeUndefined();

      proxy.restore();
      const { document } = await indexedEvent(cut, theCase.id);
      expect(await storedDocument(document)).toMatchObject({ message: 'exfil to 192.0.2.44', related: { ip: ['192.0.2.44'] } });
      expect((await owed()).map((effect) => effect.state)).toEqual(['done']);

      // An edit in Slack rewrites the document from the new snapshot, through the outbox too.
      const edited = 'exfil to 192.0.2.45';
      await cut.driver.event({
        type: 'message',
        subtype: 'message_changed',
        channel: 'C0PUBLIC',
        hidden: true,
        ts: '1795900000.000200',
        message: { type: 'message', user: 'U0BOB', text: edited, ts: message.ts, edited: { user: 'U0BOB', ts: '1795900000.000200' } },
        previous_message: { type: 'message', user: 'U0BOB', text: message.text, ts: message.ts },
      });
      await until('the document rewritten', async () => (await storedDocument(document)).message === edited, 15_000);
      // The text as first attached is kept as evidence, and so are its indicators.
      expect((await storedDocument(document)).related.ip.sort()).toEqual(['192.0.2.44', '192.0.2.45']);
    } finally {
      await cut.stop();
      await proxy.close();
    }
  });

  test('a query chart over seeded documents has the right bucket counts; a malformed query gets a message', async () => {
    const { number } = await openCaseByCommand(harness, 'Logon failures');
    harness.emulator.reset();
    const reply = await runCommand(harness, `chart ${number} query "event.action:logon-failed" index ${seeded} from 2026-11-20T10:00Z to 2026-11-20T12:00Z by 1h split host.name`);
    expect(reply.text).toMatch(/Chart posted/);
    const alt = String(harness.emulator.callsTo('files.getUploadURLExternal')[0]!.args.alt_text);
    expect(alt).toContain('4 documents: ws-1 3, ws-2 1');
    expect(alt).toContain('Busiest bucket: 2026-11-20 10:00 UTC, 3 documents');
    // Over a range with documents: Elasticsearch skips shards the range rules out before reading the query.
    const bad = await runCommand(harness, `chart ${number} query "event.action:(logon" index ${seeded} from 2026-11-20T10:00Z to 2026-11-20T12:00Z`);
    expect(bad.text).toMatch(/:warning: That query is not valid/);
    expect(bad.text).not.toMatch(/Something went wrong|Exception|at .*\(/);
  });

  test('indicators are looked up in threat intel; a missing alert is attached with a warning', async () => {
    const { number } = await openCaseByCommand(harness, 'Lookups');
    expect((await runCommand(harness, `indicator ${number} 198.51.100.77`)).text).toMatch(/added/);
    expect((await runCommand(harness, `alert ${number} no-such-alert`)).text).toMatch(/no such alert/);
    const [indicator] = await fromStore(harness, async (store) => {
      const theCase = await store.getCase('T0001', { number });
      return store.listAttachments(theCase!.id, { types: ['indicator'], limit: 1 });
    });
    expect(indicator?.data).toMatchObject({ value: '198.51.100.77', feedName: 'AbuseCH', documentId: expect.any(String) });

    // The case goes to another caseops through Kibana's format: the import log names the alert no document backs.
    harness.emulator.reset();
    await runCommand(harness, `export ${number}`);
    const exported = await harness.emulator.waitFor(() => harness.emulator.uploads[0], 20_000);
    const other = await Harness.start({ env: { ELASTICSEARCH_URL: elasticsearchUrl(), CASEOPS_ADMINS: 'U0CAROL' } });
    try {
      other.emulator.addUserFile({ name: 'case.ndjson', mimetype: 'application/x-ndjson', bytes: exported.bytes, channel: 'C0PUBLIC', user: 'U0CAROL' });
      await other.driver.messageShortcut({ callbackId: 'case_import_file', message: other.emulator.messagesIn('C0PUBLIC').at(-1)!, userId: 'U0CAROL' });
      const log = await other.emulator.waitFor(() => importLogTo(other.emulator, 'U0CAROL'), 20_000);
      expect(JSON.stringify(log.args.blocks)).toContain('Alerts not found in Elasticsearch (1)');
      expect(JSON.stringify(log.args.blocks)).toContain('no-such-alert in .alerts-security.alerts-default');
    } finally {
      await other.stop();
    }
  });
});

/** Attaches a message from the channel to the case with the message shortcut and its modal, as a person would. */
async function attachMessage(harness: Harness, message: { ts: string; text: string }, caseId: string): Promise<void> {
  harness.emulator.reset();
  await harness.driver.messageShortcut({ callbackId: 'case_add_message', message });
  const view = (await harness.emulator.waitFor(() => harness.emulator.callsTo('views.open')[0])).args.view as { private_metadata: string };
  await settle(harness);
  await harness.driver.viewSubmission({
    callbackId: 'case_add_message_modal',
    viewId: `V${randomUUID().slice(0, 8).toUpperCase()}`,
    privateMetadata: view.private_metadata,
    values: { case: { case_picker: { type: 'external_select', selected_option: { text: { type: 'plain_text', text: '#1' }, value: caseId } } } },
  });
  await harness.emulator.waitFor(() => harness.emulator.responses.find((r) => String(r.text).startsWith('Attached')), 20_000);
}

/** The case's attached message once the outbox has recorded where its ECS document is. */
async function indexedEvent(harness: Harness, caseId: string): Promise<{ event: Attachment; document: { index: string; id: string } }> {
  let found: { event: Attachment; document: { index: string; id: string } } | undefined;
  await until('the document recorded on the attachment', async () => {
    const [event] = await fromStore(harness, (store) => store.listAttachments(caseId, { types: ['event'], limit: 1 }));
    const document = (event?.data as { document?: { index: string; id: string } } | undefined)?.document;
    found = event && document ? { event, document } : undefined;
    return found !== undefined;
  }, 20_000);
  return found!;
}

async function storedDocument(document: { index: string; id: string }): Promise<Record<string, any>> {
  const client = testClient();
  try {
    return (await client.get<Record<string, any>>({ index: document.index, id: document.id }))._source!;
  } finally {
    await client.close();
  }
}
