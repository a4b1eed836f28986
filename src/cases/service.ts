import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CaseNotFoundError, InvalidInputError } from './errors';
import { type Actor, type Case, type CaseRef, emptyTotals, NewCaseInput, type Owner, type Severity, type SlackOrigin, type Status, type UserAction } from './model';
import type { VisibilityPolicy } from './policy';
import type { CasePage, CaseStore } from './store';
import { createCaseAction } from './user-actions';

export interface CaseListFilter {
  statuses?: Status[];
  severities?: Severity[];
  tag?: string;
  /** Only cases assigned to the viewer. */
  mine?: boolean;
  limit: number;
  offset?: number;
}

export interface CaseServiceOptions {
  owner: Owner;
  now?: () => Date;
}

/** The use-cases. Knows nothing of Slack or of how a store persists; every read goes through visibility. */
export class CaseService {
  private readonly now: () => Date;

  constructor(
    private readonly store: CaseStore,
    private readonly policy: VisibilityPolicy,
    private readonly options: CaseServiceOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async openCase(actor: Actor, input: NewCaseInput, origin: SlackOrigin): Promise<Case> {
    const fields = parseInput(NewCaseInput, input);
    const at = this.now().toISOString();
    const draft: Omit<Case, 'number' | 'version'> = {
      id: randomUUID(),
      teamId: actor.teamId,
      title: fields.title,
      description: fields.description,
      status: 'open',
      severity: fields.severity,
      tags: unique(fields.tags),
      assignees: unique(fields.assignees),
      owner: this.options.owner,
      settings: { syncAlerts: true },
      createdAt: at,
      createdBy: actor,
      updatedAt: null,
      updatedBy: null,
      closedAt: null,
      closedBy: null,
      duration: null,
      origin,
      totals: emptyTotals(),
    };
    return this.store.createCase(draft, { actions: [createCaseAction(draft, actor, at)] });
  }

  /** The case if it exists and the viewer may see it; otherwise CaseNotFoundError, identical in both cases. */
  async getCase(viewer: Actor, ref: CaseRef): Promise<Case> {
    const found = await this.store.getCase(viewer.teamId, ref);
    if (!found || !(await this.policy.canSee(viewer, found))) throw new CaseNotFoundError(describeRef(ref));
    return found;
  }

  async listCases(viewer: Actor, filter: CaseListFilter): Promise<CasePage> {
    const candidates = await this.store.listPrivateChannelIds(viewer.teamId);
    const visibleTo = await this.policy.listFilter(viewer, candidates);
    return this.store.findCases({
      teamId: viewer.teamId,
      statuses: filter.statuses,
      severities: filter.severities,
      tag: filter.tag,
      assignee: filter.mine ? viewer.userId : undefined,
      visibleTo,
      limit: filter.limit,
      offset: filter.offset,
    });
  }

  async recentHistory(viewer: Actor, ref: CaseRef, limit: number): Promise<UserAction[]> {
    const theCase = await this.getCase(viewer, ref);
    return this.store.listUserActions(theCase.id, { limit });
  }

  /** Remembers the case card's message so later changes edit it in place and reply in its thread. */
  async recordCardMessage(theCase: Case, cardTs: string): Promise<Case> {
    return this.store.updateCase({ ...theCase, origin: { ...theCase.origin, cardTs } }, theCase.version);
  }
}

export function describeRef(ref: CaseRef): string {
  return 'number' in ref ? `#${ref.number}` : ref.id;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** Validates user input against the model, turning the first problem into a message for the user. */
function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data;
}
