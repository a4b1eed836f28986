/** The stand-in's public types: what tests configure, read back from recordings, and inject as faults. */

/** A Kibana user as cases record it in `created_by`, `updated_by`, `closed_by` and user actions. */
export interface KibanaUser {
  username: string;
  full_name: string | null;
  email: string | null;
  profile_uid?: string;
}

/**
 * A credential Kibana accepts and the user it authenticates. `apiKey` is compared with the whole
 * `Authorization: ApiKey <key>` value (real clients send base64 `id:api_key`); `password` enables
 * `Authorization: Basic <base64 username:password>`.
 */
export interface StandInUser extends KibanaUser {
  apiKey?: string;
  password?: string;
}

export interface StandInOptions {
  users: StandInUser[];
  /** Kibana spaces that exist; `default` is always one of them. */
  spaces?: string[];
}

export interface CaseConnector {
  id: string;
  name: string;
  type: string;
  fields: Record<string, unknown> | null;
}

export type CaseStatus = 'open' | 'in-progress' | 'closed';
export type CaseSeverity = 'low' | 'medium' | 'high' | 'critical';

/** A comment (attachment) in the API's shape: `user` comments and `alert` attachments. */
export interface CaseComment {
  id: string;
  version: string;
  type: 'user' | 'alert';
  owner: string;
  comment?: string;
  alertId?: string | string[];
  index?: string | string[];
  rule?: { id?: string; name?: string };
  created_at: string;
  created_by: KibanaUser;
  pushed_at: null;
  pushed_by: null;
  updated_at: string | null;
  updated_by: KibanaUser | null;
}

/** A case's stored attributes in the API's shape (string status and severity, connector with its id). */
export interface CaseAttributes {
  title: string;
  description: string;
  tags: string[];
  status: CaseStatus;
  severity: CaseSeverity;
  owner: string;
  assignees: Array<{ uid: string }>;
  category: string | null;
  customFields: Array<{ key: string; type: string; value: unknown }>;
  settings: { syncAlerts: boolean; extractObservables?: boolean };
  connector: CaseConnector;
  external_service: null;
  observables: unknown[];
  total_observables: number;
  duration: number | null;
  closed_at: string | null;
  closed_by: KibanaUser | null;
  created_at: string;
  created_by: KibanaUser;
  updated_at: string | null;
  updated_by: KibanaUser | null;
}

/** A case as the API returns it. */
export interface KibanaCase extends CaseAttributes {
  id: string;
  version: string;
  comments: CaseComment[];
  totalComment: number;
  totalAlerts: number;
  totalEvents: number;
}

export type UserActionType =
  | 'create_case'
  | 'title'
  | 'description'
  | 'status'
  | 'severity'
  | 'tags'
  | 'assignees'
  | 'category'
  | 'customFields'
  | 'settings'
  | 'connector'
  | 'comment'
  | 'delete_case';

/** A user action as `GET …/user_actions/_find` returns it. */
export interface UserAction {
  id: string;
  version: string;
  type: UserActionType;
  action: 'create' | 'update' | 'add' | 'delete';
  payload: Record<string, unknown>;
  comment_id: string | null;
  created_at: string;
  created_by: KibanaUser;
  owner: string;
}

export type FaultKind = 'fail' | 'hang' | 'loseAnswer' | 'down';

export interface RecordedRequest {
  method: string;
  /** The path as sent, space prefix included. */
  path: string;
  space: string;
  query: Record<string, string | string[]>;
  /** The parsed JSON body, or the raw text when it is not JSON; undefined without a body. */
  body: unknown;
  /** The status answered; undefined while the request hangs or when its answer was lost. */
  status: number | undefined;
  /** The authenticated user's username. */
  user: string | undefined;
  operationId: string | undefined;
  /** The fault injected into this request, if any. */
  fault: FaultKind | undefined;
  /** Sent by `kibana.as(…)`, i.e. by a user acting in Kibana rather than by the app under test. */
  byKibanaUser: boolean;
  /** When the request arrived, from `performance.now()`. */
  at: number;
}

/** A request Kibana refuses with 400: it breaks the OpenAPI document, or a rule Kibana adds to it. */
export interface RequestViolation {
  method: string;
  path: string;
  operationId: string | undefined;
  contract: 'openapi' | 'kibana';
  message: string;
  errors: string[];
}

/** A response the stand-in sent that its own contract does not allow: a stand-in bug. */
export interface ResponseViolation {
  method: string;
  path: string;
  operationId: string | undefined;
  status: number;
  errors: string[];
  body: unknown;
}

/** Which requests a fault applies to: `'PATCH /api/cases'`, `'GET /api/cases/*'` or a predicate. */
export type RequestMatch = string | ((request: { method: string; path: string; space: string }) => boolean);

export interface FailOptions {
  status: 401 | 403 | 409 | 429 | 500 | 502 | 503;
  times?: number;
  /** Sent as `Retry-After`; 429 always sends one (1 second unless given). */
  retryAfterSeconds?: number;
}
