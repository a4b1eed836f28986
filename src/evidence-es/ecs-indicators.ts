/**
 * caseops indicators in Elastic Common Schema terms: the ECS `threat.indicator.*` field each type's value lives
 * in, and the indicator objects and `related.*` values a message's indicators give its ECS document.
 *
 * Facts from the ECS definitions (@elastic/ecs 9.4.0, `EcsFlat`):
 * - `threat.indicator.type` expects STIX 2.0 Cyber Observable names: `ipv4-addr`, `ipv6-addr`, `domain-name`,
 *   `url`, `file`, `email-addr`, …
 * - value fields: `threat.indicator.ip` (ip), `threat.indicator.url.full` (wildcard), `threat.indicator.url.domain`,
 *   `threat.indicator.file.hash.{md5,sha1,sha256}`, `threat.indicator.email.address` (keyword). ECS has no
 *   `threat.indicator.domain`: a domain-name indicator's value goes in `threat.indicator.url.domain`, which is
 *   also what Kibana's Threat Intelligence plugin reads for domains (its RawIndicatorFieldId.UrlDomain).
 * - `related.ip` (ip), `related.hosts` (FQDNs, domain names), `related.hash`, `related.user` (keyword arrays):
 *   "all the values seen on the event", for pivoting without knowing where a value appeared.
 */
import type { IndicatorType } from '../cases/attachments';
import type { Indicator } from '../cases/indicators';
import { STIX_TYPE } from '../cases/indicators/stix-types';

/** Where each type's value lives in a threat-intel document (and in our own documents). */
export const INDICATOR_VALUE_FIELD: Readonly<Record<IndicatorType, string>> = {
  ipv4: 'threat.indicator.ip',
  ipv6: 'threat.indicator.ip',
  domain: 'threat.indicator.url.domain',
  url: 'threat.indicator.url.full',
  md5: 'threat.indicator.file.hash.md5',
  sha1: 'threat.indicator.file.hash.sha1',
  sha256: 'threat.indicator.file.hash.sha256',
  email: 'threat.indicator.email.address',
};

/**
 * One ECS indicator object (the shape of `threat.indicator` and of each `threat.enrichments.indicator`): its
 * STIX type and its value at the type's field.
 */
export type EcsThreatIndicator = { type: string } & Record<string, unknown>;

export function ecsThreatIndicator(indicator: Indicator): EcsThreatIndicator {
  const path = INDICATOR_VALUE_FIELD[indicator.type].slice('threat.indicator.'.length).split('.');
  return { type: STIX_TYPE[indicator.type], ...nested(path, indicator.value) };
}

export interface EcsRelated {
  ip?: string[];
  hosts?: string[];
  hash?: string[];
}

/** The `related.*` values of a set of indicators; a list is left out rather than written empty. */
export function relatedValues(indicators: readonly Indicator[]): EcsRelated {
  const pick = (types: readonly IndicatorType[]): string[] | undefined => {
    const values = [...new Set(indicators.filter((indicator) => types.includes(indicator.type)).map((indicator) => indicator.value))];
    return values.length > 0 ? values : undefined;
  };
  const related: EcsRelated = {};
  const ip = pick(['ipv4', 'ipv6']);
  const hosts = pick(['domain']);
  const hash = pick(['md5', 'sha1', 'sha256']);
  if (ip) related.ip = ip;
  if (hosts) related.hosts = hosts;
  if (hash) related.hash = hash;
  return related;
}

function nested(path: readonly string[], value: string): Record<string, unknown> {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}
