import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jestRunId } from '../../reliability/support/process-watch';

/**
 * The figures of the attacks tried, written by the suite to `reports/security.md` (ignored by git, so a test
 * run changes nothing tracked). Each attack appends a line to a JSON-lines file of the current jest run
 * (workers share nothing else); the report is rewritten from everything recorded so far in that run.
 */

/** The defences of SECURITY.md, in its order. */
const AREAS = {
  token: 'Bot token exfiltration (import download)',
  oracle: 'The cluster as an oracle (query charts)',
  admin: 'Admin-only paths',
  mentions: 'Mentions and spoofing',
  exhaustion: 'CPU and memory exhaustion (input caps)',
  secrets: 'Secrets in logs, exports and replies',
} as const;
export type Area = keyof typeof AREAS;

interface Attack {
  area: Area;
  attack: string;
  outcome: string;
  /** How many inputs the attack tried (a property test's runs), 1 for a single crafted request. */
  tries: number;
}

export const REPORT_FILE = path.resolve(__dirname, '../../../reports/security.md');
const runFile = () => path.join(os.tmpdir(), `caseops-security-run-${jestRunId()}.jsonl`);

export function recordAttack(area: Area, attack: string, outcome: string, tries = 1): void {
  fs.appendFileSync(runFile(), `${JSON.stringify({ area, attack, outcome, tries } satisfies Attack)}\n`);
  const attacks = fs
    .readFileSync(runFile(), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Attack);
  fs.mkdirSync(path.dirname(REPORT_FILE), { recursive: true });
  const temporary = `${REPORT_FILE}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, render(attacks));
  fs.renameSync(temporary, REPORT_FILE);
}

function render(attacks: Attack[]): string {
  const lines = [
    '# Security figures',
    '',
    `Written by \`tests/security/\`; last run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}.`,
    `${attacks.length} attacks recorded, ${attacks.reduce((sum, attack) => sum + attack.tries, 0).toLocaleString('en-US')} inputs tried in all. Every one is a passing test: the outcome is what caseops did.`,
  ];
  for (const [area, title] of Object.entries(AREAS)) {
    const mine = attacks.filter((attack) => attack.area === area);
    if (mine.length === 0) continue;
    lines.push('', `## ${title}`, '', '| attack | tries | outcome |', '| --- | ---: | --- |');
    for (const attack of mine) lines.push(`| ${cell(attack.attack)} | ${attack.tries.toLocaleString('en-US')} | ${cell(attack.outcome)} |`);
  }
  return `${lines.join('\n')}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
