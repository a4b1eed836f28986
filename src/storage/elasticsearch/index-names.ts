/** caseops' indices on a cluster, all named from one prefix (CASEOPS_INDEX_PREFIX). */
export interface IndexNames {
  cases: string;
  attachments: string;
  userActions: string;
  counters: string;
  drafts: string;
  outbox: string;
  outboxLeases: string;
  outboxGivenUp: string;
  requestClaims: string;
  digestSchedules: string;
  installations: string;
}

export function indexNames(prefix: string): IndexNames {
  return {
    cases: `${prefix}-cases`,
    attachments: `${prefix}-attachments`,
    userActions: `${prefix}-user-actions`,
    counters: `${prefix}-counters`,
    drafts: `${prefix}-drafts`,
    outbox: `${prefix}-outbox`,
    outboxLeases: `${prefix}-outbox-leases`,
    outboxGivenUp: `${prefix}-outbox-given-up`,
    requestClaims: `${prefix}-request-claims`,
    digestSchedules: `${prefix}-digest-schedules`,
    installations: `${prefix}-installations`,
  };
}

export function allIndices(names: IndexNames): string[] {
  return [names.cases, names.attachments, names.userActions, names.counters, names.drafts, names.outbox, names.outboxLeases, names.outboxGivenUp, names.requestClaims, names.digestSchedules, names.installations];
}
