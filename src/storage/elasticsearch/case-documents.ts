import type { Case } from '../../cases/model';
import { searchWords } from '../../cases/search-words';
import type { CaseGeneration } from './child-documents';
import type { Versioned } from './document-io';

/**
 * The case document (`<prefix>-cases`, id = case id). A committed document keeps the case whole in `case`
 * (not indexed) beside the fields the UI queries, and `commit`: the operation that wrote it, the children
 * (attachments, user actions) that operation staged, and where the case's current generation began. A `pending` document is a creation claim: it reserves the
 * case id while the case is being created and is never shown.
 */

export interface CommitRecord {
  op: string;
  /** The version at which the case's current generation began: its creation, or the last replaceCase. */
  since_version: number;
  attachment_ids: string[];
  user_action_ids: string[];
  /** The last effect the case's writes recorded (outbox.ts): the head of the chain of its effects. Absent: none yet. */
  effect_tail?: string | null;
  /** The same for the case's Kibana lane (outbox.ts `streamOfEffect`): each lane is a chain of its own. */
  kibana_tail?: string | null;
}

/** The heads of a case's effect chains, one per lane. */
export type EffectTails = Pick<CommitRecord, 'effect_tail' | 'kibana_tail'>;

export type StoredCase = Omit<Case, 'version'>;

export interface CommittedCaseSource {
  state: 'committed';
  team_id: string;
  number: number;
  status: Case['status'];
  severity: Case['severity'];
  tags: string[];
  assignees: string[];
  channel_id: string;
  is_private: boolean;
  /** Its war room's channel, when it has one. */
  room_channel_id?: string;
  owner: Case['owner'];
  activity_at: string;
  created_at: string;
  title: string;
  title_words: string[];
  version: number;
  case: StoredCase;
  commit: CommitRecord;
}

export interface CaseClaimSource {
  state: 'pending';
  pending: { op: string; at: string };
}

/**
 * What fencing a case that does not exist leaves: a creation that staged its children and has not committed yet
 * can never commit over it (its create finds the id taken). A later creation of the id takes it over like an
 * abandoned claim; the repair pass leaves it, since deleting it would lift the fence.
 */
export interface CaseFenceSource {
  state: 'fenced';
  pending: { op: string; at: string };
}

export type CaseSource = CommittedCaseSource | CaseClaimSource | CaseFenceSource;

/** The case document as read in real time: the head every write to the case starts from and conditions on. */
export type CaseHead = Versioned<CaseSource>;

export function committedCaseSource(theCase: Case, commit: CommitRecord): CommittedCaseSource {
  const { version, ...stored } = theCase;
  return {
    state: 'committed',
    team_id: theCase.teamId,
    number: theCase.number,
    status: theCase.status,
    severity: theCase.severity,
    tags: [...new Set(theCase.tags)],
    assignees: [...new Set(theCase.assignees)],
    channel_id: theCase.origin.channelId,
    is_private: theCase.origin.isPrivate,
    ...(theCase.room?.channelId ? { room_channel_id: theCase.room.channelId } : {}),
    owner: theCase.owner,
    activity_at: theCase.updatedAt ?? theCase.createdAt,
    created_at: theCase.createdAt,
    title: theCase.title,
    title_words: [...new Set(searchWords(theCase.title))],
    version,
    case: stored,
    commit,
  };
}

export function claimSource(op: string, at: Date): CaseClaimSource {
  return { state: 'pending', pending: { op, at: at.toISOString() } };
}

export function fenceSource(op: string, at: Date): CaseFenceSource {
  return { state: 'fenced', pending: { op, at: at.toISOString() } };
}

export function caseFromSource(source: CommittedCaseSource): Case {
  return { ...source.case, version: source.version };
}

/** The committed case a head holds, or null for a missing case, a creation claim or a fence. */
export function committedCase(head: CaseHead | null): CommittedCaseSource | null {
  return head?.source.state === 'committed' ? head.source : null;
}

/** What readers need to see the case's children: its last commit and current generation (nothing: no case). */
export function generationOf(head: CaseHead | null): CaseGeneration {
  const commit = committedCase(head)?.commit;
  return commit ? { op: commit.op, since: commit.since_version } : { op: null, since: Number.POSITIVE_INFINITY };
}
