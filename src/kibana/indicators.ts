import type { IndicatorType } from '../cases/attachments';

/**
 * Indicator types between caseops and Kibana's threat-intelligence attachment, whose `indicatorType` is
 * the ECS `threat.indicator.type` vocabulary. Hashes share ECS `file`; the hash kind comes back from the
 * value's length.
 */
const ECS_TYPE: Readonly<Record<IndicatorType, string>> = {
  ipv4: 'ipv4-addr',
  ipv6: 'ipv6-addr',
  domain: 'domain-name',
  url: 'url',
  md5: 'file',
  sha1: 'file',
  sha256: 'file',
  email: 'email-addr',
};

const HASH_BY_LENGTH: Readonly<Record<number, IndicatorType>> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

export function indicatorTypeToKibana(type: IndicatorType): string {
  return ECS_TYPE[type];
}

export function indicatorTypeFromKibana(kibanaType: string, value: string): IndicatorType | undefined {
  if (kibanaType === 'file') return /^[0-9a-f]+$/i.test(value) ? HASH_BY_LENGTH[value.length] : undefined;
  return (Object.keys(ECS_TYPE) as IndicatorType[]).find((type) => ECS_TYPE[type] === kibanaType);
}

/** Kibana's threat-intel UI shows "-" for a missing value and its metadata must be strings. */
export const MISSING_METADATA_VALUE = '-';
