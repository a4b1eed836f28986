import fs from 'node:fs';
import path from 'node:path';

import { EcsVersion } from '@elastic/ecs';

import { INDICATOR_TYPES, type MessageSnapshot } from '../../src/cases/attachments';
import { slackEventDocument } from '../../src/evidence-es/slack-event-document';
import { ecsDefines, ecsDocumentProblems, ecsMappingProblems } from './support/ecs-schema';
import { messageSnapshot } from './support/slack-message';

/**
 * The Slack events documents and their mapping, checked field by field against Elastic's own ECS definitions
 * (@elastic/ecs `EcsFlat`), not a list of our own. `slack.*` and `caseops.*` are the two custom namespaces
 * (Slack's identifiers and state; the cases a message is evidence in), and ECS defines nothing under either.
 */
const CUSTOM_NAMESPACES = ['slack', 'caseops'];

const EVERY_KIND_OF_INDICATOR = [
  'Phishing from hxxps://login-micros0ft[.]com/reset sent to bob@victim-corp.example, beaconing to 203.0.113.5',
  'and 2001:db8:85a3::8a2e:370:7334 from 10.20.30.40; payload md5 44d88612fea8a8f36de82e1278abb02f,',
  'sha1 3395856ce81f2b7382dee72602f798b642f14140, sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
].join(' ');

const snapshot = (overrides: Partial<MessageSnapshot> = {}): MessageSnapshot => messageSnapshot(EVERY_KIND_OF_INDICATOR, overrides);

const document = (message: MessageSnapshot, indicators?: Parameters<typeof slackEventDocument>[0]['indicators']) =>
  slackEventDocument({ snapshot: message, namespace: 'default', caseIds: ['case-1'], created: '2026-12-01T10:00:00.000Z', indicators }) as unknown as Record<string, unknown>;

const DOCUMENTS: [string, Record<string, unknown>][] = [
  ['a message with every kind of indicator', document(snapshot())],
  ['a message without indicators, in a private channel with no name, no permalink, no thread, no files', document(snapshot({ text: 'please look at ws-1', channel: { id: 'G0PRIV', isPrivate: true }, permalink: undefined, threadTs: undefined, files: [], author: { id: 'U0BOB' } }))],
  ['an edited, then deleted message', document(snapshot({ text: 'it was 198.51.100.7', originalText: EVERY_KIND_OF_INDICATOR, edited: true, deleted: true }))],
  ['a message whose indicators the analyst confirmed', document(snapshot(), [{ type: 'ipv4', value: '203.0.113.5' }, { type: 'domain', value: 'login-micros0ft.com' }])],
];

describe('Slack events documents are ECS-exact', () => {
  test.each(DOCUMENTS)('%s: every field is an ECS field of its ECS type, categorised as ECS allows', (_name, ecsDocument) => {
    expect(ecsDocumentProblems(ecsDocument, CUSTOM_NAMESPACES)).toEqual([]);
  });

  test('the checked documents cover every indicator type, one enrichment each, and the ECS release they name', () => {
    const full = DOCUMENTS[0]![1] as { ecs: { version: string }; threat: { enrichments: { indicator: { type: string } }[] } };
    expect(full.ecs.version).toBe(EcsVersion);
    expect(full.threat.enrichments).toHaveLength(INDICATOR_TYPES.length);
    expect(new Set(full.threat.enrichments.map((enrichment) => enrichment.indicator.type))).toEqual(new Set(['url', 'domain-name', 'email-addr', 'ipv4-addr', 'ipv6-addr', 'file']));
  });

  test('threat/indicator only for a message with indicators; none otherwise', () => {
    expect(DOCUMENTS[0]![1].event).toMatchObject({ kind: 'event', category: ['threat'], type: ['indicator'] });
    expect(DOCUMENTS[1]![1].event).not.toHaveProperty('category');
    expect(DOCUMENTS[1]![1].event).not.toHaveProperty('type');
    expect(DOCUMENTS[1]![1]).not.toHaveProperty('threat');
  });

  test('the custom namespaces are ones ECS leaves free', () => {
    expect(CUSTOM_NAMESPACES.filter(ecsDefines)).toEqual([]);
  });

  test('the index template maps every ECS field with its ECS type (or its documented stand-in)', () => {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../manifests/elasticsearch/slack-events-ecs.component-template.json'), 'utf8'));
    expect(ecsMappingProblems(manifest.template.mappings.properties, CUSTOM_NAMESPACES)).toEqual([]);
  });
});

describe('the ECS check finds what is wrong', () => {
  test('a category/type pair ECS does not expect, a list of threat.indicator objects, wrong types, unknown fields', () => {
    const wrong = {
      '@timestamp': '28 Nov 2025',
      event: { kind: 'message', category: ['threat'], type: ['info'] },
      related: { ip: 'not-an-ip', hosts: ['a.example'] },
      threat: { indicator: [{ type: 'ipv4-addr', ip: '203.0.113.5' }], enrichments: { indicator: { type: 'ip' } } },
      user: { id: 'U1', nickname: 'al' },
      slack: { anything: true },
    };
    expect(ecsDocumentProblems(wrong, ['slack']).sort()).toEqual([
      '@timestamp: "28 Nov 2025" is not a date',
      'event.category threat does not go with event.type info (ECS expects indicator)',
      expect.stringMatching(/^event\.kind: "message" is not one of alert, /),
      'related.ip must be an array',
      'related.ip: "not-an-ip" is not a ip',
      'threat.enrichments must be a list of objects (ECS: nested)',
      'threat.indicator is a list of objects, which ECS allows only for nested fields',
      'user.nickname is not an ECS field',
    ]);
  });

  test('a mapping type ECS does not give a field, and a mapped field ECS lacks', () => {
    const properties = { threat: { properties: { enrichments: { properties: { indicator: { properties: { ip: { type: 'keyword' } } } } } } }, event: { properties: { mood: { type: 'keyword' } } } };
    expect(ecsMappingProblems(properties, []).sort()).toEqual(['event.mood is not an ECS field', 'threat.enrichments is mapped as object, ECS says nested', 'threat.enrichments.indicator.ip is mapped as keyword, ECS says ip']);
  });
});
