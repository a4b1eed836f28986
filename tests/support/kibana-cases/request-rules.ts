/**
 * Rules the cases plugin applies to request bodies beyond the OpenAPI document: its io-ts codecs refuse
 * unknown keys (`decodeWithExcessOrThrow`: `invalid keys "…"`) and empty strings (`limitedStringSchema`),
 * and custom field values need a configured custom field, which the stand-in never has.
 */
import { badRequest } from './errors';

export const CREATE_CASE_KEYS = ['title', 'description', 'tags', 'connector', 'settings', 'owner', 'severity', 'assignees', 'category', 'customFields'];
export const PATCH_CASE_KEYS = ['id', 'version', 'title', 'description', 'tags', 'status', 'severity', 'connector', 'settings', 'owner', 'assignees', 'category', 'customFields'];
const USER_COMMENT_KEYS = ['type', 'comment', 'owner'];
const ALERT_COMMENT_KEYS = ['type', 'alertId', 'index', 'rule', 'owner'];

export function refuseUnknownKeys(body: Record<string, unknown>, allowed: string[]): void {
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw badRequest(`invalid keys "${unknown.join(',')}"`);
}

export function refuseUnknownCommentKeys(body: Record<string, unknown>, extra: string[] = []): void {
  refuseUnknownKeys(body, [...(body.type === 'alert' ? ALERT_COMMENT_KEYS : USER_COMMENT_KEYS), ...extra]);
}

/** `The title field cannot be an empty string.` and the same for description, tags (`tag`) and comments. */
export function refuseEmptyStrings(body: Record<string, unknown>): void {
  for (const field of ['title', 'description', 'comment'] as const) {
    const value = body[field];
    if (typeof value === 'string' && value.trim() === '') throw badRequest(`The ${field} field cannot be an empty string.`);
  }
  const tags = body.tags;
  if (Array.isArray(tags) && tags.some((tag) => typeof tag === 'string' && tag.trim() === '')) {
    throw badRequest('The tag field cannot be an empty string.');
  }
}

/** Without a case configuration every custom field key is unknown (client/cases/validators.ts). */
export function refuseCustomFields(customFields: unknown): void {
  if (Array.isArray(customFields) && customFields.length > 0) {
    const keys = customFields.map((field) => (field as { key?: unknown }).key);
    throw badRequest(`Invalid custom field keys: ${keys.join(',')}`);
  }
}
