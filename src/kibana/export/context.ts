import type { ProfileUids } from '../users';
import type { CaseUsers } from './case-users';
import type { CaseComments } from './comment-attributes';
import type { KeyOrder } from './key-order';
import type { TargetProfile } from './versions';

/** Something exported differently from how caseops holds it (a dropped attribute, an invalid attachment). */
export interface ExportWarning {
  caseId: string;
  objectId?: string;
  message: string;
}

/** What every domain → saved-object conversion of one export needs. */
export interface ExportContext {
  readonly profile: TargetProfile;
  readonly profileUids: ProfileUids;
  warn(warning: ExportWarning): void;
}

/** The context of one case's conversion: the export's, the comments made so far for this case, its users and its key order. */
export interface CaseExportContext extends ExportContext {
  readonly comments: CaseComments;
  readonly users: CaseUsers;
  readonly keyOrder: KeyOrder;
}
