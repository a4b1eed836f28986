import type { IndicatorType } from '../cases/attachments';
import { STIX_TYPE } from '../cases/indicators/stix-types';

const HASH_BY_LENGTH: Readonly<Record<number, IndicatorType>> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

/**
 * Indicator types between caseops and Kibana's threat-intelligence attachment, whose `indicatorType` is
 * the STIX name ECS uses (src/cases/indicators/stix-types.ts). Hashes share `file`; the hash kind comes back
 * from the value's length.
 */
export function indicatorTypeToKibana(type: IndicatorType): string {
  return STIX_TYPE[type];
}

export function indicatorTypeFromKibana(kibanaType: string, value: string): IndicatorType | undefined {
  if (kibanaType === 'file') return /^[0-9a-f]+$/i.test(value) ? HASH_BY_LENGTH[value.length] : undefined;
  return (Object.keys(STIX_TYPE) as IndicatorType[]).find((type) => STIX_TYPE[type] === kibanaType);
}

/** Kibana's threat-intel UI shows "-" for a missing value and its metadata must be strings. */
export const MISSING_METADATA_VALUE = '-';
