import type { IndicatorType } from '../attachments';

/**
 * Each indicator type's STIX 2.0 Cyber Observable name: the vocabulary of ECS `threat.indicator.type`, which
 * Kibana's threat-intelligence attachments use too. The three hash kinds are all `file`.
 */
export const STIX_TYPE: Readonly<Record<IndicatorType, string>> = {
  ipv4: 'ipv4-addr',
  ipv6: 'ipv6-addr',
  domain: 'domain-name',
  url: 'url',
  md5: 'file',
  sha1: 'file',
  sha256: 'file',
  email: 'email-addr',
};
