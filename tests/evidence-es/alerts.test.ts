import { randomBytes } from 'node:crypto';

import type { Client } from '@elastic/elasticsearch';

import type { AlertData } from '../../src/cases/attachments';
import { alertScopeOf } from '../../src/evidence-es/alerts-chart-source';
import { checkAlerts, lookupAlert } from '../../src/evidence-es/alerts';
import { EvidenceUnavailableError } from '../../src/evidence-es/errors';
import { createElasticsearchClient } from '../../src/storage/elasticsearch/client';
import { describeWithElasticsearch, testClient } from '../elasticsearch/support/test-cluster';

/**
 * Security alerts behind alert attachments, on the real test node: a hidden alias over a hidden backing index as
 * Kibana lays alerts out (`.alerts-security.alerts-<space>` → `.internal.alerts-security.alerts-<space>-000001`), with alert
 * documents in the alerts-as-data form (dotted `kibana.alert.*` keys, ECS objects from the source event).
 */
describeWithElasticsearch('Security alert lookups', () => {
  let client: Client;
  const space = `test${randomBytes(4).toString('hex')}`;
  const alias = `.alerts-security.alerts-${space}`;
  const backing = `.internal.alerts-security.alerts-${space}-000001`;

  beforeAll(async () => {
    client = testClient();
    await client.indices.create({
      index: backing,
      settings: { index: { hidden: true } },
      aliases: { [alias]: { is_write_index: true, is_hidden: true } },
      mappings: {
        properties: {
          '@timestamp': { type: 'date' },
          'kibana.alert.rule.uuid': { type: 'keyword' },
          'kibana.alert.rule.name': { type: 'keyword' },
          host: { properties: { name: { type: 'keyword' } } },
        },
      },
    });
    const alert = (id: string, rule: string, host: string | undefined): object[] => [
      { create: { _index: alias, _id: id } },
      {
        '@timestamp': '2025-03-10T01:02:03.000Z',
        'kibana.alert.rule.uuid': `uuid-${rule}`,
        'kibana.alert.rule.name': rule,
        ...(host ? { host: { name: host } } : {}),
      },
    ];
    await client.bulk({ refresh: true, operations: [...alert('alert-1', 'Brute force', 'web-01'), ...alert('alert-2', 'Malware', undefined)] });
  });
  afterAll(async () => {
    await client.indices.delete({ index: backing, ignore_unavailable: true });
    await client.close();
  });

  it('finds an alert by id through the alias, with its rule, host and time', async () => {
    expect(await lookupAlert(client, 'alert-1', alias)).toEqual({
      alertId: 'alert-1',
      index: backing,
      rule: { id: 'uuid-Brute force', name: 'Brute force' },
      host: 'web-01',
      timestamp: '2025-03-10T01:02:03.000Z',
    });
    expect(await lookupAlert(client, 'alert-2', `${alias}*`)).toMatchObject({ rule: { name: 'Malware' }, host: null });
  });

  it('misses an alert that is not there, and one in an index that is not there', async () => {
    expect(await lookupAlert(client, 'alert-404', alias)).toBeNull();
    expect(await lookupAlert(client, 'alert-1', `.alerts-security.alerts-gone${space}`)).toBeNull();
  });

  it('sorts a case’s alerts into found and missing, for import warnings', async () => {
    const attachment = (alertId: string, index: string): AlertData => ({ alertId, index, rule: { id: null, name: null } });
    const check = await checkAlerts(client, [
      attachment('alert-1', alias),
      attachment('alert-404', alias),
      attachment('alert-2', alias),
      attachment('alert-1', `.alerts-security.alerts-gone${space}`),
    ]);
    expect(check.found.map((alert) => alert.alertId)).toEqual(['alert-1', 'alert-2']);
    expect(check.missing).toEqual([attachment('alert-404', alias), attachment('alert-1', `.alerts-security.alerts-gone${space}`)]);
    expect(alertScopeOf(check.found)).toEqual({ hosts: ['web-01'], ruleIds: ['uuid-Brute force', 'uuid-Malware'] });
  });

  it('says the lookup is unavailable when the cluster cannot be reached', async () => {
    const unreachable = createElasticsearchClient({ url: 'http://127.0.0.1:9' }, { maxRetries: 0 });
    try {
      await expect(lookupAlert(unreachable, 'alert-1')).rejects.toThrow(EvidenceUnavailableError);
    } finally {
      await unreachable.close();
    }
  });
});
