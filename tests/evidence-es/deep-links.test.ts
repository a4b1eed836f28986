import { alertLink, discoverEventLink, timelineEventLink } from '../../src/evidence-es/deep-links';
import { EvidenceError } from '../../src/evidence-es/errors';
import { rison } from '../../src/evidence-es/rison';

const EVENT = { index: '.ds-logs-caseops.slack-default-2025.11.28-000001', id: 'slack-T0SOC-C0ALERTS-1764312345.000200', timestamp: '2025-11-28T06:45:45.000Z' };
const KIBANA = { url: 'https://kibana.example.com', space: 'soc' };

describe('rison, the encoding of Kibana URL state', () => {
  it('writes objects (keys sorted), lists, literals, and quotes strings that are not identifiers', () => {
    expect(rison({ b: 'x y', a: 1, c: true, d: null, e: [1, '-x', false], f: "it's!", g: undefined, h: '', i: 'plain_id.v1' })).toBe(
      "(a:1,b:'x y',c:!t,d:!n,e:!(1,'-x',!f),f:'it!'s!!',h:'',i:plain_id.v1)",
    );
    expect(rison({ time: { from: '2025-11-28T06:30:45.000Z' } })).toBe("(time:(from:'2025-11-28T06:30:45.000Z'))");
  });
});

describe('deep links into Kibana', () => {
  it('opens the event in Discover with an ES|QL query on its id, over its data stream, around its time', () => {
    const link = discoverEventLink(KIBANA, EVENT);
    const url = new URL(link);
    expect(`${url.origin}${url.pathname}`).toBe('https://kibana.example.com/s/soc/app/discover');
    const state = new URLSearchParams(url.hash.replace(/^#\/\?/, ''));
    expect(state.get('_g')).toBe("(time:(from:'2025-11-28T06:30:45.000Z',to:'2025-11-28T07:00:45.000Z'))");
    expect(state.get('_a')).toBe(
      `(dataSource:(type:esql),query:(esql:'FROM logs-caseops.slack-default METADATA _id | WHERE _id == "${EVENT.id}"'))`,
    );
  });

  it('opens the event in a Security Timeline with its details flyout', () => {
    const url = new URL(timelineEventLink(KIBANA, EVENT));
    expect(url.pathname).toBe('/s/soc/app/security/alerts');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      timeline: `(activeTab:query,isOpen:!t,query:(expression:'_id: "${EVENT.id}"',kind:kuery))`,
      timerange: "(timeline:(timerange:(from:'2025-11-28T06:30:45.000Z',kind:absolute,linkTo:!f,to:'2025-11-28T07:00:45.000Z')))",
      timelineFlyout: `(right:(id:document-details-right,params:(id:${EVENT.id},indexName:${EVENT.index},scopeId:timeline-1)))`,
    });
  });

  it('opens an alert through Security’s alert redirect, in the default space without a space path', () => {
    const link = alertLink({ url: 'https://kibana.example.com/' }, { alertId: 'a1/b 2', index: '.internal.alerts-security.alerts-default-000001', timestamp: '2025-03-10T01:02:03.000Z' });
    expect(link).toBe(
      'https://kibana.example.com/app/security/alerts/redirect/a1%2Fb%202?index=.internal.alerts-security.alerts-default-000001&timestamp=2025-03-10T01%3A02%3A03.000Z',
    );
    expect(new URL(link).searchParams.get('timestamp')).toBe('2025-03-10T01:02:03.000Z');
  });

  it('keeps a Kibana base path and drops a trailing slash', () => {
    expect(alertLink({ url: 'https://example.com/kibana/', space: 'default' }, { alertId: 'x', index: 'i' })).toBe('https://example.com/kibana/app/security/alerts/redirect/x?index=i');
  });

  it('refuses a KIBANA_URL that is not an http(s) URL and a timestamp that is not one', () => {
    expect(() => alertLink({ url: 'kibana.example.com' }, { alertId: 'x', index: 'i' })).toThrow(EvidenceError);
    expect(() => alertLink({ url: 'javascript:alert(1)' }, { alertId: 'x', index: 'i' })).toThrow('KIBANA_URL must be an http(s) URL.');
    expect(() => discoverEventLink(KIBANA, { ...EVENT, timestamp: 'soon' })).toThrow(EvidenceError);
  });
});
