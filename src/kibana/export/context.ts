import type { ProfileUids } from '../users';
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
