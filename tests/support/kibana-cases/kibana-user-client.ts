/**
 * A person working in Kibana, for tests that change cases behind the app's back: it uses the same HTTP API
 * as everyone else, the way Kibana's UI does (it loads a case, then saves with the version it loaded).
 */
import type { KibanaCase, UserAction } from './types';

/** Marks the requests of a Kibana user, so that faults meant for the app leave them alone. */
export const KIBANA_USER_HEADER = 'x-kibana-stand-in-user';

export class KibanaRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`Kibana answered ${status}: ${JSON.stringify(body)}`);
  }
}

export interface NewCase {
  title: string;
  description: string;
  tags?: string[];
  owner?: string;
  severity?: KibanaCase['severity'];
  assignees?: Array<{ uid: string }>;
}

export type CaseChanges = Partial<Pick<KibanaCase, 'title' | 'description' | 'tags' | 'status' | 'severity' | 'assignees' | 'category' | 'settings'>>;

export interface FindCasesAnswer {
  cases: KibanaCase[];
  page: number;
  per_page: number;
  total: number;
  count_open_cases: number;
  count_in_progress_cases: number;
  count_closed_cases: number;
}

export class KibanaUserClient {
  constructor(
    private readonly apiUrl: string,
    private readonly authorization: string,
  ) {}

  /** A Security case without a connector, as Kibana's "Create case" form makes it unless told otherwise. */
  createCase(newCase: NewCase): Promise<KibanaCase> {
    const { tags = [], owner = 'securitySolution', ...rest } = newCase;
    const connector = { id: 'none', name: 'none', type: '.none', fields: null };
    return this.send('POST', '', { ...rest, tags, owner, connector, settings: { syncAlerts: false } });
  }

  getCase(caseId: string): Promise<KibanaCase> {
    return this.send('GET', `/${caseId}`);
  }

  async updateCase(caseId: string, changes: CaseChanges): Promise<KibanaCase> {
    const { version } = await this.getCase(caseId);
    const [updated] = await this.send<KibanaCase[]>('PATCH', '', { cases: [{ id: caseId, version, ...changes }] });
    if (!updated) throw new Error(`Kibana returned no case for ${caseId}`);
    return updated;
  }

  async addComment(caseId: string, comment: string): Promise<KibanaCase> {
    const { owner } = await this.getCase(caseId);
    return this.send('POST', `/${caseId}/comments`, { type: 'user', comment, owner });
  }

  /** An alert attached from Kibana's alerts table: the alert document's id and index, and its rule. */
  async addAlert(caseId: string, alert: { alertId: string; index: string; rule: { id: string; name: string } }): Promise<KibanaCase> {
    const { owner } = await this.getCase(caseId);
    return this.send('POST', `/${caseId}/comments`, { type: 'alert', ...alert, owner });
  }

  findCases(query: Record<string, string | string[]> = {}): Promise<FindCasesAnswer> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) for (const one of [value].flat()) params.append(key, one);
    return this.send('GET', `/_find?${params.toString()}`);
  }

  async userActions(caseId: string): Promise<UserAction[]> {
    const answer = await this.send<{ userActions: UserAction[] }>('GET', `/${caseId}/user_actions/_find?perPage=100`);
    return answer.userActions;
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: this.authorization, [KIBANA_USER_HEADER]: 'true', 'kbn-xsrf': 'kibana' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.apiUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
    if (!response.ok) throw new KibanaRequestError(response.status, parsed);
    return parsed as T;
  }
}
