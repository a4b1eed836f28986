/**
 * Where the stand-in keeps cases, as Kibana does: saved objects in one index (`.kibana_alerting_cases`), each
 * in one space. Every write gives the object a new `version`, Kibana's encoding of the document's
 * Elasticsearch `[_seq_no, _primary_term]` as base64 JSON (`WzEsMV0=` is `[1,1]`); one shard, so `_seq_no`
 * grows by one per write across the whole index.
 */
import type { CaseAttributes, CaseComment, UserAction } from './types';

export interface StoredCase {
  id: string;
  version: string;
  /** Creation order, to keep equal sort keys in a stable order. */
  seqNo: number;
  attributes: CaseAttributes;
}

/** One space's cases, with each case's comments and user actions, oldest first. */
export class SpaceCases {
  readonly cases = new Map<string, StoredCase>();
  readonly comments = new Map<string, CaseComment[]>();
  readonly userActions = new Map<string, UserAction[]>();
  /**
   * Kibana deletes a case's user actions with it and only writes the deletion to its audit log
   * (`case_user_action_delete_case`); the stand-in keeps each deletion here, as a `delete_case` user action.
   */
  readonly deletions: UserAction[] = [];

  commentsOf(caseId: string): CaseComment[] {
    return this.comments.get(caseId) ?? [];
  }

  userActionsOf(caseId: string): UserAction[] {
    return this.userActions.get(caseId) ?? [];
  }

  remove(caseId: string): void {
    this.cases.delete(caseId);
    this.comments.delete(caseId);
    this.userActions.delete(caseId);
  }
}

export class CasesIndex {
  private seqNo = 0;
  private readonly spaces = new Map<string, SpaceCases>();

  constructor(spaceIds: string[]) {
    for (const id of new Set(['default', ...spaceIds])) this.spaces.set(id, new SpaceCases());
  }

  space(id: string): SpaceCases | undefined {
    return this.spaces.get(id);
  }

  /** The version of the next write, and its `_seq_no`. */
  nextWrite(): { version: string; seqNo: number } {
    this.seqNo += 1;
    return { version: Buffer.from(JSON.stringify([this.seqNo, 1])).toString('base64'), seqNo: this.seqNo };
  }
}
