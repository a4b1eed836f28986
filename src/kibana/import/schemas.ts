import { z } from 'zod';
import { OWNERS, Severity, Status, type UserActionType } from '../../cases/model';

/**
 * The attributes caseops reads, checked after migration (so in the newest legacy shape). Loose objects: any
 * other attribute is kept verbatim (extras.ts), not rejected. A wrong type on a field caseops reads (a title
 * that is a number, a status that is a word where 8.7+ stores a number, tags that are not a list) makes the
 * object invalid.
 */
const IsoDate = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'expected an ISO date');

/** Kibana's stored user: username, full_name, email, profile_uid, each a string or null. */
export const StoredUser = z.record(z.string(), z.string().nullable());
export type StoredUser = z.infer<typeof StoredUser>;

export const CaseAttributes = z.looseObject({
  title: z.string(),
  description: z.string(),
  status: z.number(),
  severity: z.number(),
  tags: z.array(z.string()),
  assignees: z.array(z.object({ uid: z.string() })),
  owner: z.enum(OWNERS),
  settings: z.looseObject({ syncAlerts: z.boolean() }),
  created_at: IsoDate,
  created_by: StoredUser,
  updated_at: IsoDate.nullable().optional(),
  updated_by: StoredUser.nullable().optional(),
  closed_at: IsoDate.nullable().optional(),
  closed_by: StoredUser.nullable().optional(),
  duration: z.number().int().nullable().optional(),
});
export type CaseAttributes = z.infer<typeof CaseAttributes>;

const OneOrMany = z.union([z.string(), z.array(z.string())]);

/** Required fields of Kibana's attachment types; other types are kept verbatim without checks. */
const COMMENT_TYPE_FIELDS: Readonly<Record<string, z.ZodType>> = {
  user: z.looseObject({ comment: z.string() }),
  alert: z.looseObject({ alertId: OneOrMany, index: OneOrMany }),
  event: z.looseObject({ eventId: OneOrMany, index: OneOrMany }),
  actions: z.looseObject({ comment: z.string(), actions: z.record(z.string(), z.unknown()) }),
  externalReference: z.looseObject({ externalReferenceAttachmentTypeId: z.string(), externalReferenceStorage: z.looseObject({ type: z.string() }) }),
  persistableState: z.looseObject({ persistableStateAttachmentTypeId: z.string(), persistableStateAttachmentState: z.record(z.string(), z.unknown()) }),
};

export const CommentAttributes = z.looseObject({
  type: z.string(),
  owner: z.enum(OWNERS),
  created_at: IsoDate,
  created_by: StoredUser,
  updated_at: IsoDate.nullable().optional(),
  updated_by: StoredUser.nullable().optional(),
});
export type CommentAttributes = z.infer<typeof CommentAttributes>;

export function commentTypeFields(type: string): z.ZodType | undefined {
  return Object.hasOwn(COMMENT_TYPE_FIELDS, type) ? COMMENT_TYPE_FIELDS[type] : undefined;
}

export const UserActionAttributes = z.looseObject({
  action: z.enum(['add', 'create', 'delete', 'update', 'push_to_service']),
  type: z.string(),
  payload: z.record(z.string(), z.unknown()),
  created_at: IsoDate,
  created_by: StoredUser,
  owner: z.enum(OWNERS),
});
export type UserActionAttributes = z.infer<typeof UserActionAttributes>;

const Assignees = z.array(z.looseObject({ uid: z.string() }));

/** Payload fields caseops reads back (to describe history in Slack), by user-action type. */
const PAYLOADS: Partial<Record<UserActionType, z.ZodType>> = {
  create_case: z.looseObject({ title: z.string(), tags: z.array(z.string()), assignees: Assignees.optional() }),
  title: z.looseObject({ title: z.string() }),
  description: z.looseObject({ description: z.string() }),
  status: z.looseObject({ status: Status }),
  severity: z.looseObject({ severity: Severity }),
  tags: z.looseObject({ tags: z.array(z.string()) }),
  assignees: z.looseObject({ assignees: Assignees }),
  comment: z.looseObject({ comment: z.looseObject({ type: z.string() }).optional() }),
};

export function payloadSchema(type: UserActionType): z.ZodType | undefined {
  return PAYLOADS[type];
}
