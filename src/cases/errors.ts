/**
 * Errors the domain raises. Each carries a short message fit to show a Slack user as it is; the Slack layer
 * maps classes to replies and never shows stack traces.
 */

export class CaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The user's input does not fit the case model; nothing was written. */
export class InvalidInputError extends CaseError {}

/** No such case — or one the user may not see, which must be indistinguishable (DESIGN.md §9). */
export class CaseNotFoundError extends CaseError {
  constructor(readonly ref: string) {
    super(`There is no case ${ref}.`);
  }
}

/** The case changed between read and write; the service retries or reports it, never overwrites. */
export class VersionConflictError extends CaseError {
  constructor(readonly caseId: string) {
    super('Someone else changed this case at the same moment. Please try again.');
  }
}

/** The store cannot be reached or written; nothing was changed. */
export class StoreUnavailableError extends CaseError {
  constructor(readonly reason: string) {
    super('Case storage is unavailable right now; nothing was changed. Please try again shortly.');
  }
}

/** An attachment with this id is already on the case: the repeat of something already done. */
export class DuplicateAttachmentError extends CaseError {
  constructor(readonly attachmentId: string) {
    super('That is already attached to this case.');
  }
}
