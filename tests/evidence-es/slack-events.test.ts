import { randomBytes } from 'node:crypto';

import type { Client } from '@elastic/elasticsearch';

import type { MessageSnapshot } from '../../src/cases/attachments';
import { EvidenceError, EvidenceUnavailableError } from '../../src/evidence-es/errors';
import { type SlackEventDocument, slackEventId, slackTsToMs } from '../../src/evidence-es/slack-event-document';
import { indexSlackMessage, updateSlackMessage } from '../../src/evidence-es/slack-events';
import { installSlackEventsTemplate, SLACK_EVENTS_TEMPLATE, slackEventsDataStream } from '../../src/evidence-es/slack-events-template';
import { createElasticsearchClient } from '../../src/storage/elasticsearch/client';
import { describeWithElasticsearch, testClient } from '../elasticsearch/support/test-cluster';
import { messageSnapshot } from './support/slack-message';

/**
 * Attached Slack messages as ECS documents in the data stream, on the real test node. A data stream cannot be
 * deleted on that node (no _data_stream API) and neither can its write index, so this file writes to its own
 * namespace and leaves the (small) stream behind.
 */

const TEXT = [
  'Phishing from hxxps://login-micros0ft[.]com/reset sent to bob@victim-corp.example,',
  'beaconing to 203.0.113.5 from 10.20.30.40;',
  'payload sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
].join(' ');

const snapshot = (overrides: Partial<MessageSnapshot> = {}): MessageSnapshot => messageSnapshot(TEXT, overrides);

describeWithElasticsearch('Slack messages as ECS documents in logs-caseops.slack-<namespace>', () => {
  let client: Client;
  const namespace = `test${randomBytes(4).toString('hex')}`;
  const dataStream = slackEventsDataStream(namespace);

  beforeAll(async () => {
    client = testClient();
    await installSlackEventsTemplate(client);
  });
  afterAll(async () => {
    await client.close();
  });

  async function documentsOf(id: string): Promise<Array<{ _index: string; _source?: SlackEventDocument }>> {
    await client.indices.refresh({ index: dataStream });
    return (await client.search<SlackEventDocument>({ index: dataStream, query: { ids: { values: [id] } } })).hits.hits;
  }

  it('writes an attached message as an ECS event with its indicators, in the data stream the template creates', async () => {
    const message = snapshot();
    const ref = await indexSlackMessage(client, message, { namespace, caseIds: ['case-1'], refresh: true });

    expect(ref.id).toBe('slack-T0SOC-C0ALERTS-1764312345.000200');
    expect(ref.index).toMatch(new RegExp(`^\\.ds-${dataStream.replace(/\./g, '\\.')}-\\d{4}\\.\\d{2}\\.\\d{2}-000001$`));
    const [hit] = await documentsOf(ref.id);
    const document = hit?._source as SlackEventDocument;

    expect(document['@timestamp']).toBe('2025-11-28T06:45:45.000Z');
    expect(document.message).toBe(TEXT);
    expect(document.ecs).toEqual({ version: '9.4.0' });
    expect(document.event).toMatchObject({ kind: 'event', category: ['threat'], type: ['indicator'], dataset: 'caseops.slack', module: 'caseops', id: ref.id });
    expect(document.data_stream).toEqual({ type: 'logs', dataset: 'caseops.slack', namespace });
    expect(document.user).toEqual({ id: 'U0ANALYST', name: 'alice' });
    expect(document.url).toEqual({ full: message.permalink });
    expect(document.related).toEqual({
      user: ['U0ANALYST', 'alice'],
      ip: ['203.0.113.5', '10.20.30.40'],
      hosts: ['login-micros0ft.com'],
      hash: ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    });
    // The private address is related, but not a threat indicator.
    expect(document.threat?.enrichments.map((enrichment) => enrichment.indicator)).toEqual([
      { type: 'url', url: { full: 'https://login-micros0ft.com/reset' } },
      { type: 'domain-name', url: { domain: 'login-micros0ft.com' } },
      { type: 'email-addr', email: { address: 'bob@victim-corp.example' } },
      { type: 'ipv4-addr', ip: '203.0.113.5' },
      { type: 'file', file: { hash: { sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' } } },
    ]);
    expect(document.slack).toEqual({
      team: { id: 'T0SOC' },
      channel: { id: 'C0ALERTS', name: 'soc-alerts', private: false },
      ts: '1764312345.000200',
      thread_ts: '1764312000.000100',
      files: [{ id: 'F0PCAP', name: 'capture.pcap', mimetype: 'application/vnd.tcpdump.pcap', size: 52_431 }],
      edited: false,
      deleted: false,
    });
    expect(document.caseops).toEqual({ case_ids: ['case-1'] });
  });

  it('maps every field it writes with its ECS type', async () => {
    await indexSlackMessage(client, snapshot(), { namespace, refresh: true });
    const mappings = await client.indices.getFieldMapping({
      index: dataStream,
      fields: [
        '@timestamp', 'message', 'event.kind', 'event.category', 'event.created', 'user.id', 'url.full', 'related.ip', 'related.hosts',
        'threat.enrichments.indicator.type', 'threat.enrichments.indicator.ip', 'threat.enrichments.indicator.url.full', 'threat.enrichments.indicator.url.domain',
        'threat.enrichments.indicator.file.hash.sha256', 'threat.enrichments.indicator.email.address', 'data_stream.namespace', 'slack.ts',
        'slack.channel.private', 'slack.files.size', 'caseops.case_ids',
      ],
    });
    const fields = Object.values(mappings)[0]?.mappings ?? {};
    const typeOf = (field: string): unknown => Object.values(fields[field]?.mapping ?? {})[0]?.type;
    expect(Object.fromEntries(Object.keys(fields).sort().map((field) => [field, typeOf(field)]))).toEqual({
      '@timestamp': 'date',
      'caseops.case_ids': 'keyword',
      'data_stream.namespace': 'keyword',
      'event.category': 'keyword',
      'event.created': 'date',
      'event.kind': 'keyword',
      message: 'text',
      'related.hosts': 'keyword',
      'related.ip': 'ip',
      'slack.channel.private': 'boolean',
      'slack.files.size': 'long',
      'slack.ts': 'keyword',
      'threat.enrichments.indicator.email.address': 'keyword',
      'threat.enrichments.indicator.file.hash.sha256': 'keyword',
      'threat.enrichments.indicator.ip': 'ip',
      'threat.enrichments.indicator.type': 'keyword',
      'threat.enrichments.indicator.url.domain': 'keyword',
      'threat.enrichments.indicator.url.full': 'keyword',
      'url.full': 'keyword',
      'user.id': 'keyword',
    });
  });

  it('is found by an indicator in field queries through related.*, the private address too, and in its enrichment', async () => {
    const ref = await indexSlackMessage(client, snapshot(), { namespace, refresh: true });
    for (const query of ['related.ip:203.0.113.5', 'related.ip:"10.20.30.0/24"', 'related.hosts:login-micros0ft.com', 'user.name:alice']) {
      const hits = (await client.search({ index: dataStream, query: { query_string: { query } } })).hits.hits;
      expect({ query, ids: hits.map((hit) => hit._id) }).toEqual({ query, ids: [ref.id] });
    }
    // An enrichment keeps an indicator's type with its value: an IP indicator, not an IP anywhere.
    const enrichment = (type: string, field: string, value: string) => ({
      nested: { path: 'threat.enrichments', query: { bool: { filter: [{ term: { 'threat.enrichments.indicator.type': type } }, { term: { [`threat.enrichments.indicator.${field}`]: value } }] } } },
    });
    const idsOf = async (query: object) => (await client.search({ index: dataStream, query: { bool: { filter: [query, { ids: { values: [ref.id] } }] } } })).hits.hits.map((hit) => hit._id);
    expect(await idsOf(enrichment('ipv4-addr', 'ip', '203.0.113.5'))).toEqual([ref.id]);
    expect(await idsOf(enrichment('url', 'ip', '203.0.113.5'))).toEqual([]);
  });

  it('indexes a message once however often it is attached, collecting the cases it is evidence in', async () => {
    const message = snapshot({ ts: '1764312999.000300' });
    const first = await indexSlackMessage(client, message, { namespace, caseIds: ['case-a'], refresh: true });
    const again = await indexSlackMessage(client, message, { namespace, caseIds: ['case-a'], refresh: true });
    const otherCase = await indexSlackMessage(client, message, { namespace, caseIds: ['case-b'], refresh: true });

    expect(again).toEqual(first);
    expect(otherCase).toEqual(first);
    const hits = await documentsOf(first.id);
    expect(hits).toHaveLength(1);
    expect(hits[0]?._source?.caseops.case_ids).toEqual(['case-a', 'case-b']);
  });

  it('indexes a message once when two replicas attach it at the same moment, before either write is searchable', async () => {
    const message = snapshot({ ts: '1764313111.000400' });
    const refs = await Promise.all([
      indexSlackMessage(client, message, { namespace, caseIds: ['case-x'] }),
      indexSlackMessage(client, message, { namespace, caseIds: ['case-y'] }),
    ]);
    expect(refs[1]).toEqual(refs[0]);
    const hits = await documentsOf(slackEventId(message));
    expect(hits).toHaveLength(1);
    expect([...(hits[0]?._source?.caseops.case_ids ?? [])].sort()).toEqual(['case-x', 'case-y']);
  });

  it('finds a message indexed before a rollover instead of writing it again into the new write index', async () => {
    const message = snapshot({ ts: '1764314000.000500' });
    const before = await indexSlackMessage(client, message, { namespace, refresh: true });
    await client.indices.rollover({ alias: dataStream });
    const after = await indexSlackMessage(client, message, { namespace, caseIds: ['case-later'], refresh: true });

    expect(after).toEqual(before);
    const hits = await documentsOf(before.id);
    expect(hits.map((hit) => hit._index)).toEqual([before.index]);
    expect(hits[0]?._source?.caseops.case_ids).toEqual(['case-later']);
  });

  it('rewrites the document when the message is edited or deleted, keeping its cases and when it was first indexed', async () => {
    const message = snapshot({ ts: '1764315000.000600' });
    const ref = await indexSlackMessage(client, message, { namespace, caseIds: ['case-e'], refresh: true });
    const [original] = await documentsOf(ref.id);

    const edited = { ...message, text: 'Correction: it was 198.51.100.7, not the other one', edited: true, originalText: message.text };
    expect(await updateSlackMessage(client, ref, edited, { refresh: true })).toEqual(ref);
    const [afterEdit] = await documentsOf(ref.id);
    expect(afterEdit?._source).toMatchObject({
      message: edited.text,
      slack: { edited: true, deleted: false, original_text: message.text },
      caseops: { case_ids: ['case-e'] },
      event: { created: original?._source?.event.created },
    });
    // The edit added an indicator; the original text's ones stay, since both versions are evidence.
    expect(afterEdit?._source?.related.ip).toEqual(['198.51.100.7', '203.0.113.5', '10.20.30.40']);

    await updateSlackMessage(client, ref, { ...edited, deleted: true }, { refresh: true });
    const [afterDelete] = await documentsOf(ref.id);
    expect(afterDelete?._source?.slack.deleted).toBe(true);
  });

  it('applies concurrent edits one after the other rather than failing on the version conflict', async () => {
    const message = snapshot({ ts: '1764316000.000700' });
    const ref = await indexSlackMessage(client, message, { namespace, refresh: true });
    const texts = ['edit one 192.0.2.1', 'edit two 192.0.2.2', 'edit three 192.0.2.3'];
    await Promise.all(texts.map((text) => updateSlackMessage(client, ref, { ...message, text, edited: true, originalText: message.text })));
    const [hit] = await documentsOf(ref.id);
    expect(texts).toContain(hit?._source?.message);
  });

  it('indexes the message again when its document is gone, and says where it now is', async () => {
    const message = snapshot({ ts: '1764317000.000800' });
    const ref = await indexSlackMessage(client, message, { namespace, caseIds: ['case-g'], refresh: true });
    await client.delete({ index: ref.index, id: ref.id, refresh: true });

    const now = await updateSlackMessage(client, ref, { ...message, edited: true, text: 'edited after retention' }, { caseIds: ['case-g'], refresh: true });
    const [hit] = await documentsOf(ref.id);
    expect(now.id).toBe(ref.id);
    expect(hit?._source).toMatchObject({ message: 'edited after retention', caseops: { case_ids: ['case-g'] } });
  });

  it('installs its templates idempotently', async () => {
    await installSlackEventsTemplate(client);
    await installSlackEventsTemplate(client);
    const { index_templates: [template] } = await client.indices.getIndexTemplate({ name: SLACK_EVENTS_TEMPLATE });
    expect(template?.index_template).toMatchObject({ index_patterns: ['logs-caseops.slack-*'], priority: 200, data_stream: {} });
  });

  it('refuses a namespace Elasticsearch would not take, and a snapshot that is not the indexed message', async () => {
    await expect(indexSlackMessage(client, snapshot(), { namespace: 'Bad-Name' })).rejects.toThrow(EvidenceError);
    await expect(updateSlackMessage(client, { index: 'x', id: 'slack-T0SOC-C0ALERTS-1.000000' }, snapshot())).rejects.toThrow(/is not the one indexed/);
  });

  it('says the cluster is unavailable, not how the connection failed', async () => {
    const unreachable = createElasticsearchClient({ url: 'http://127.0.0.1:9' }, { maxRetries: 0, requestTimeout: 2000 });
    try {
      const failure = await indexSlackMessage(unreachable, snapshot(), { namespace }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(EvidenceUnavailableError);
      expect((failure as Error).message).toMatch(/^Indexing Slack messages in Elasticsearch unavailable/);
    } finally {
      await unreachable.close();
    }
  });
});

describe('Slack message time', () => {
  it('reads Slack ts to the millisecond', () => {
    expect(slackTsToMs('1764312345.000200')).toBe(1_764_312_345_000);
    expect(slackTsToMs('1764312345.123456')).toBe(1_764_312_345_123);
    expect(slackTsToMs('1764312345')).toBe(1_764_312_345_000);
    expect(() => slackTsToMs('yesterday')).toThrow(EvidenceError);
  });
});
