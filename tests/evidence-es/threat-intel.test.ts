import { randomBytes } from 'node:crypto';

import type { Client } from '@elastic/elasticsearch';

import { EvidenceUnavailableError } from '../../src/evidence-es/errors';
import { lookupIndicator } from '../../src/evidence-es/threat-intel';
import { createElasticsearchClient } from '../../src/storage/elasticsearch/client';
import { describeWithElasticsearch, testClient } from '../elasticsearch/support/test-cluster';

/**
 * Indicator lookups against threat-intel documents in ECS `threat.*` form, as Elastic's TI integrations write
 * them, seeded into this file's own `logs-ti_…` indices on the real test node.
 */
describeWithElasticsearch('threat-intel lookup of an indicator', () => {
  let client: Client;
  const suffix = randomBytes(4).toString('hex');
  const feeds = `logs-ti_test${suffix}`;
  /** A second index under the same pattern: what a pattern as wide as `logs-*` would also cover. */
  const slackLike = `logs-ti_test${suffix}slack`;
  const pattern = `logs-ti_test${suffix}*`;

  beforeAll(async () => {
    client = testClient();
    const mappings = {
      properties: {
        '@timestamp': { type: 'date' as const },
        event: { properties: { dataset: { type: 'keyword' as const } } },
        threat: {
          properties: {
            feed: { properties: { name: { type: 'keyword' as const } } },
            indicator: {
              properties: {
                type: { type: 'keyword' as const },
                ip: { type: 'ip' as const },
                url: { properties: { full: { type: 'keyword' as const }, original: { type: 'keyword' as const }, domain: { type: 'keyword' as const } } },
                file: { properties: { hash: { properties: { md5: { type: 'keyword' as const }, sha1: { type: 'keyword' as const }, sha256: { type: 'keyword' as const } } } } },
                email: { properties: { address: { type: 'keyword' as const } } },
              },
            },
          },
        },
      },
    };
    for (const index of [feeds, slackLike]) await client.indices.create({ index, mappings });
    const indicator = (id: string, at: string, dataset: string, feed: string | undefined, fields: object): object[] => [
      { create: { _index: feeds, _id: id } },
      { '@timestamp': at, event: { dataset }, threat: { ...(feed ? { feed: { name: feed } } : {}), indicator: fields } },
    ];
    await client.bulk({
      refresh: true,
      operations: [
        ...indicator('feodo-1', '2025-01-01T00:00:00Z', 'ti_abusech.malware', 'AbuseCH Feodo', { type: 'ipv4-addr', ip: '203.0.113.77' }),
        ...indicator('otx-1', '2025-02-01T00:00:00Z', 'ti_otx.threat', 'AlienVault OTX', { type: 'ipv4-addr', ip: '203.0.113.77' }),
        ...indicator('otx-2', '2025-02-02T00:00:00Z', 'ti_otx.threat', undefined, { type: 'domain-name', url: { domain: 'EVIL-Domain.example' } }),
        ...indicator('urlhaus-1', '2025-02-03T00:00:00Z', 'ti_abusech.url', 'URLhaus', { type: 'url', url: { original: 'http://evil.example/dl?id=1' } }),
        ...indicator('bazaar-1', '2025-02-04T00:00:00Z', 'ti_abusech.malwarebazaar', 'MalwareBazaar', {
          type: 'file',
          file: { hash: { sha256: '9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08' } },
        }),
        ...indicator('misp-1', '2025-02-05T00:00:00Z', 'ti_misp.threat', 'MISP', { type: 'email-addr', email: { address: 'Phisher@bad.example' } }),
        { create: { _index: slackLike, _id: 'slack-T-C-1.1' } },
        { '@timestamp': '2025-03-01T00:00:00Z', event: { dataset: 'caseops.slack' }, threat: { indicator: { type: 'ipv4-addr', ip: '198.51.100.99' } } },
      ],
    });
  });
  afterAll(async () => {
    await client.indices.delete({ index: [feeds, slackLike], ignore_unavailable: true });
    await client.close();
  });

  it('finds the most recent report of an IP and names its feed', async () => {
    expect(await lookupIndicator(client, { type: 'ipv4', value: '203.0.113.77' }, { index: pattern })).toEqual({ documentId: 'otx-1', index: feeds, feedName: 'AlienVault OTX' });
  });

  it('looks in logs-ti_* by default', async () => {
    expect(await lookupIndicator(client, { type: 'ipv4', value: '203.0.113.77' })).toMatchObject({ documentId: 'otx-1' });
  });

  it('matches hashes, domains and email addresses in any case, and names a feed by its dataset when it has no name', async () => {
    expect(await lookupIndicator(client, { type: 'domain', value: 'evil-domain.example' }, { index: pattern })).toEqual({ documentId: 'otx-2', index: feeds, feedName: 'ti_otx.threat' });
    expect(await lookupIndicator(client, { type: 'sha256', value: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' }, { index: pattern })).toMatchObject({ documentId: 'bazaar-1', feedName: 'MalwareBazaar' });
    expect(await lookupIndicator(client, { type: 'email', value: 'phisher@bad.example' }, { index: pattern })).toMatchObject({ documentId: 'misp-1', feedName: 'MISP' });
  });

  it('matches a URL as the feed wrote it originally', async () => {
    expect(await lookupIndicator(client, { type: 'url', value: 'http://evil.example/dl?id=1' }, { index: pattern })).toMatchObject({ documentId: 'urlhaus-1', feedName: 'URLhaus' });
    expect(await lookupIndicator(client, { type: 'url', value: 'http://evil.example/DL?id=1' }, { index: pattern })).toBeNull();
  });

  it('misses a value no feed knows, a type the value is not filed under, and caseops’ own Slack messages', async () => {
    expect(await lookupIndicator(client, { type: 'ipv4', value: '192.0.2.200' }, { index: pattern })).toBeNull();
    expect(await lookupIndicator(client, { type: 'md5', value: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' }, { index: pattern })).toBeNull();
    expect(await lookupIndicator(client, { type: 'ipv4', value: '198.51.100.99' }, { index: pattern })).toBeNull();
  });

  it('misses, rather than fails, when there are no threat-intel indices', async () => {
    expect(await lookupIndicator(client, { type: 'ipv4', value: '203.0.113.77' }, { index: `logs-ti_none${suffix}-*` })).toBeNull();
  });

  it('says the lookup is unavailable when the cluster cannot be reached', async () => {
    const unreachable = createElasticsearchClient({ url: 'http://127.0.0.1:9' }, { maxRetries: 0 });
    try {
      const error = await lookupIndicator(unreachable, { type: 'ipv4', value: '203.0.113.77' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EvidenceUnavailableError);
      expect((error as Error).message).toMatch(/^Threat intel lookup unavailable/);
    } finally {
      await unreachable.close();
    }
  });
});
