import { z } from 'zod';

/**
 * The case domain, in Kibana's vocabulary (reference/kibana-cases.md) but in camelCase domain form; Kibana's
 * stored shapes live only in src/kibana/.
 */

export const CASE_LIMITS = {
  titleLength: 160,
  descriptionLength: 30_000,
  commentLength: 30_000,
  tags: 200,
  tagLength: 256,
  assignees: 10,
} as const;

export const STATUSES = ['open', 'in-progress', 'closed'] as const;
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const OWNERS = ['securitySolution', 'observability', 'cases'] as const;

export const Status = z.enum(STATUSES);
export type Status = z.infer<typeof Status>;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;
export type Owner = (typeof OWNERS)[number];

/** A Slack user acting on a case. */
export const Actor = z.object({
  userId: z.string().min(1),
  teamId: z.string().min(1),
  name: z.string().optional(),
  /**
   * Set on a change someone made in Kibana and caseops applied (kibana-sync's pull): shown as such, not pushed back,
   * and not subject to Slack visibility (Kibana's own privileges governed it).
   */
  via: z.literal('kibana').optional(),
});
export type Actor = z.infer<typeof Actor>;

/** Where the case was opened in Slack; drives visibility (DESIGN.md §9) and where its card lives. */
export const SlackOrigin = z.object({
  teamId: z.string().min(1),
  channelId: z.string().min(1),
  channelName: z.string().optional(),
  isPrivate: z.boolean(),
  /** ts of the case card message; later activity goes into its thread. */
  cardTs: z.string().optional(),
});
export type SlackOrigin = z.infer<typeof SlackOrigin>;

export const ATTACHMENT_TYPES = ['user', 'event', 'alert', 'indicator', 'visualization', 'timeline', 'unknown'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** Running counts per attachment type, kept on the case (like Kibana's total_* fields) so cards and lists need no joins. */
export type AttachmentTotals = Record<AttachmentType, number>;
export const emptyTotals = (): AttachmentTotals => ({
  user: 0,
  event: 0,
  alert: 0,
  indicator: 0,
  visualization: 0,
  timeline: 0,
  unknown: 0,
});

export const Tag = z
  .string()
  .trim()
  .min(1, 'a tag cannot be empty')
  .max(CASE_LIMITS.tagLength, `a tag can have at most ${CASE_LIMITS.tagLength} characters`);

export const SlackUserId = z.string().regex(/^[UW][A-Z0-9]+$/, 'assignees must be Slack users');

/** SLA vocabulary (sla.ts): the two targets of a case, and the thresholds of each. */
export type SlaTarget = 'acknowledge' | 'resolve';
export type SlaLevel = 'warning' | 'breach';
/** A threshold a case has crossed, as recorded on the case (`acknowledge:warning`…). */
export type SlaMark = `${SlaTarget}:${SlaLevel}`;

export const Case = z.object({
  // Kibana's ids are not always UUIDs (old saved objects), and imported cases keep theirs.
  id: z.string().min(1),
  teamId: z.string().min(1),
  number: z.number().int().positive(),
  title: z.string(),
  description: z.string(),
  status: Status,
  severity: Severity,
  tags: z.array(z.string()),
  assignees: z.array(z.string()),
  owner: z.enum(OWNERS),
  settings: z.object({ syncAlerts: z.boolean() }),
  createdAt: z.string(),
  createdBy: Actor,
  updatedAt: z.string().nullable(),
  updatedBy: Actor.nullable(),
  closedAt: z.string().nullable(),
  closedBy: Actor.nullable(),
  /** Seconds from creation to closing, as Kibana computes it; null while open. */
  duration: z.number().int().nullable(),
  origin: SlackOrigin,
  totals: z.custom<AttachmentTotals>(),
  /**
   * Attached messages that come from a private channel other than the case's own: their text is now shown
   * to everyone who can see the case, and their permalinks open only for that channel's members.
   */
  eventsFromPrivateChannels: z.number().int().nonnegative().optional(),
  /** When the case was first acknowledged: its first assignee, or its first move out of open (sla.ts). */
  acknowledgedAt: z.string().optional(),
  /** SLA thresholds this case has crossed (sla.ts): each is announced once, when it is first recorded. */
  slaMarks: z.array(z.custom<SlaMark>()).optional(),
  /** When the case was last nudged for having gone untouched (nudges.ts); a nudge is not a touch (`updatedAt`). */
  nudgedAt: z.string().optional(),
  /** The case's mirror in Kibana Cases (live sync, src/kibana-sync/). */
  kibanaMirror: z
    .object({
      /** Its id in the synced space, once it exists there. */
      id: z.string().min(1).optional(),
      /** Changes wait for Kibana (its last attempt was refused or not answered): the card says the sync is pending. */
      behind: z.boolean().optional(),
      /**
       * The Kibana user caseops writes to the mirror as (its username), from Kibana's answer to caseops' first write
       * there: what caseops did in Kibana is told from what people did by it.
       */
      writer: z.string().optional(),
      /** The mirror was deleted in Kibana: the card says so, and nothing is pushed to it or pulled from it any more. */
      deleted: z.boolean().optional(),
      /** When the newest of the mirror's Kibana user actions that caseops has read was made: the pull reads from there. */
      pulledAt: z.string().optional(),
      /**
       * Slack user id → Kibana user-profile uid, for people the pull met in Kibana and found in Slack by their email
       * (kibana-sync/kibana-people.ts): their Kibana assignments show as them, and pushes assign their profile.
       */
      profiles: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  /**
   * The case's war room (war-room.ts): a Slack channel of its own, asked for with `/case room` or the card's button and
   * opened by the `open_room` effect. Present without a channel id while it is being opened.
   */
  room: z
    .object({
      channelId: z.string().optional(),
      name: z.string().optional(),
      /** The room's bookmark to the case was added (it is not looked up again: Slack would add a second one). */
      bookmarked: z.boolean().optional(),
      /** The case card posted and pinned in the room, edited along with the one in the case's channel. */
      cardTs: z.string().optional(),
      /** Archived from the button the room was offered when the case closed. */
      archived: z.boolean().optional(),
      /** Every message posted in the room is attached as an event (`/case room <n> capture all`), not only pinned ones. */
      captureAll: z.boolean().optional(),
    })
    .optional(),
  /** Who leads the response, keeps its record and speaks for it (war-room.ts): one Slack user per role. */
  roles: z.partialRecord(z.enum(['lead', 'scribe', 'comms']), z.string()).optional(),
  /** Optimistic-concurrency version: every committed change increments it. */
  version: z.number().int().nonnegative(),
});
export type Case = z.infer<typeof Case>;
export const ROLES = ['lead', 'scribe', 'comms'] as const;
export type Role = (typeof ROLES)[number];
export type WarRoom = NonNullable<Case['room']>;

/** What a user may supply when opening a case; the service fills in the rest. */
export const NewCaseInput = z.object({
  title: z
    .string()
    .trim()
    .min(1, 'a case needs a title')
    .max(CASE_LIMITS.titleLength, `a title can have at most ${CASE_LIMITS.titleLength} characters`),
  description: z
    .string()
    .max(CASE_LIMITS.descriptionLength, `a description can have at most ${CASE_LIMITS.descriptionLength} characters`)
    .default(''),
  severity: Severity.default('low'),
  tags: z.array(Tag).max(CASE_LIMITS.tags, `a case can have at most ${CASE_LIMITS.tags} tags`).default([]),
  assignees: z
    .array(SlackUserId)
    .max(CASE_LIMITS.assignees, `a case can have at most ${CASE_LIMITS.assignees} assignees`)
    .default([]),
});
export type NewCaseInput = z.input<typeof NewCaseInput>;

/**
 * A user action in Kibana's type/action/payload vocabulary (reference/kibana-cases.md §4), with the Slack
 * actor. `payload` holds the new value(s) exactly as Kibana's user-action payload does for that type.
 */
export const USER_ACTION_TYPES = [
  'create_case',
  'delete_case',
  'title',
  'description',
  'status',
  'severity',
  'tags',
  'assignees',
  'comment',
  'settings',
  'connector',
  'pushed',
  'category',
  'customFields',
  'observables',
] as const;
export type UserActionType = (typeof USER_ACTION_TYPES)[number];
export type UserActionVerb = 'create' | 'update' | 'add' | 'delete' | 'push_to_service';

export interface UserAction {
  id: string;
  caseId: string;
  type: UserActionType;
  action: UserActionVerb;
  payload: Record<string, unknown>;
  /** Set for comment actions: the attachment the action is about. */
  attachmentId?: string;
  createdAt: string;
  createdBy: Actor;
  owner: Owner;
}

/** Identifies a case in a command: its number (`42`, `#42`) or its id. */
export type CaseRef = { number: number } | { id: string };

/**
 * An attachment (Kibana `cases-comments`). `data` holds the type-specific fields; each attachment kind
 * validates its own data where it is created.
 */
export interface Attachment {
  id: string;
  caseId: string;
  type: AttachmentType;
  data: Record<string, unknown>;
  createdAt: string;
  createdBy: Actor;
  updatedAt: string | null;
  updatedBy: Actor | null;
  owner: Owner;
}
