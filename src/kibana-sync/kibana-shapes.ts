/**
 * The parts of Kibana's Cases API responses live sync reads (OpenAPI: case_response_properties,
 * user_actions_find_response_properties). Kibana sends more; what is not named here is not used.
 */

export interface KibanaUser {
  username?: string | null;
  full_name?: string | null;
  email?: string | null;
  profile_uid?: string;
}

export interface KibanaCase {
  id: string;
  /** The saved object's version: a PATCH must send the current one. */
  version: string;
  title: string;
  description: string;
  status: 'open' | 'in-progress' | 'closed';
  severity: 'low' | 'medium' | 'high' | 'critical';
  tags: string[];
  assignees: { uid: string }[];
  settings: { syncAlerts: boolean };
  owner: string;
  created_at: string;
  created_by: KibanaUser;
  updated_at: string | null;
  updated_by: KibanaUser | null;
  comments?: KibanaComment[];
}

export interface KibanaComment {
  id: string;
  version: string;
  type: string;
  comment?: string;
  alertId?: string | string[];
  index?: string | string[];
  created_at: string;
  created_by: KibanaUser;
}

export interface KibanaFoundCases {
  cases: KibanaCase[];
  page: number;
  per_page: number;
  total: number;
}

export interface KibanaUserAction {
  type: string;
  action: string;
  payload: Record<string, unknown>;
  created_at: string;
  created_by: KibanaUser;
  comment_id?: string | null;
}

export interface KibanaUserActions {
  userActions: KibanaUserAction[];
  page: number;
  perPage: number;
  total: number;
}
