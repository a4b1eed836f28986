import Database from 'better-sqlite3';
import { ATTACHMENT_TYPES, type Case } from '../../../src/cases/model';
import type { CaseStore } from '../../../src/cases/store';
import { SqliteCaseStore } from '../../../src/storage/sqlite/sqlite-store';

/** Far more than any test writes: "everything" for the store's paged reads. */
const EVERYTHING = 1_000_000;

export interface StoreAudit {
  cases: Case[];
  userActions: number;
  attachments: number;
  /** Each broken invariant, in words; empty when the store is consistent. */
  problems: string[];
}

/**
 * Reads a caseops SQLite store as the app does (SqliteCaseStore) and checks what must hold whatever happened
 * to the process: every case has its one create_case action, its per-type totals equal its attachments,
 * numbers are unique and below the team's counter; and, in SQL, that no action or attachment lost its case
 * and the file itself is sound.
 */
export async function auditStore(dataDir: string): Promise<StoreAudit> {
  const store = new SqliteCaseStore(dataDir);
  await store.init();
  try {
    const audit = await auditCases(store, teamsIn(store.file));
    return { ...audit, problems: [...auditFile(store.file), ...audit.problems] };
  } finally {
    await store.close();
  }
}

/** What holds on any store, read through the CaseStore port: the checks of auditStore that need no SQL. */
export async function auditCases(store: CaseStore, teams: readonly string[]): Promise<StoreAudit> {
  const problems: string[] = [];
  const cases: Case[] = [];
  let userActions = 0;
  let attachments = 0;
  for (const teamId of teams) {
    const page = await store.findCases({ teamId, limit: EVERYTHING });
    cases.push(...page.cases);
    problems.push(...duplicateNumbers(teamId, page.cases));
    for (const theCase of page.cases) {
      const actions = await store.listUserActions(theCase.id, { limit: EVERYTHING });
      const stored = await store.listAttachments(theCase.id, { limit: EVERYTHING });
      userActions += actions.length;
      attachments += stored.length;
      const creations = actions.filter((action) => action.type === 'create_case').length;
      if (creations !== 1) problems.push(`case #${theCase.number} has ${creations} create_case user actions`);
      for (const type of ATTACHMENT_TYPES) {
        const counted = stored.filter((attachment) => attachment.type === type).length;
        if (theCase.totals[type] !== counted) problems.push(`case #${theCase.number} counts ${theCase.totals[type]} ${type} attachments but has ${counted}`);
      }
    }
  }
  return { cases, userActions, attachments, problems };
}

/** What only SQL can see: orphans, a counter behind the numbers it handed out, a damaged file. */
function auditFile(file: string): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const problems: string[] = [];
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const foreignKeys = db.pragma('foreign_key_check') as unknown[];
    if (foreignKeys.length) problems.push(`foreign_key_check: ${JSON.stringify(foreignKeys)}`);
    const orphanActions = count('SELECT COUNT(*) AS n FROM user_actions u LEFT JOIN cases c ON c.id = u.case_id WHERE c.id IS NULL');
    if (orphanActions) problems.push(`${orphanActions} user actions belong to no case`);
    const orphanAttachments = count('SELECT COUNT(*) AS n FROM attachments a LEFT JOIN cases c ON c.id = a.case_id WHERE c.id IS NULL');
    if (orphanAttachments) problems.push(`${orphanAttachments} attachments belong to no case`);
    const behind = db
      .prepare('SELECT c.team_id AS team, MAX(c.number) AS top, n.last_number AS counter FROM cases c LEFT JOIN case_numbers n ON n.team_id = c.team_id GROUP BY c.team_id')
      .all() as { team: string; top: number; counter: number | null }[];
    for (const row of behind.filter((r) => r.counter === null || r.counter < r.top)) {
      problems.push(`team ${row.team}: the number counter (${row.counter}) is behind case #${row.top}, so the next case would collide`);
    }
    return problems;
  } finally {
    db.close();
  }
}

function teamsIn(file: string): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT DISTINCT team_id FROM cases').all() as { team_id: string }[]).map((row) => row.team_id);
  } finally {
    db.close();
  }
}

function duplicateNumbers(teamId: string, cases: Case[]): string[] {
  const seen = new Set<number>();
  const repeated = cases.filter((theCase) => seen.size === seen.add(theCase.number).size);
  return repeated.map((theCase) => `team ${teamId}: case number #${theCase.number} is used more than once`);
}
