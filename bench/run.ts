import fs from 'node:fs';
import path from 'node:path';
import { runChartBench } from './charts';
import { runStoreBench } from './elasticsearch-store';
import { runEndToEndBench } from './end-to-end';
import { runEvidenceBench } from './evidence-es';
import { runHostileInputBench } from './hostile-input';
import { runHttpBench } from './http';
import { runKibanaBench } from './kibana';
import { runKibanaStoresBench } from './kibana-stores';
import { runKibanaSyncBench } from './kibana-sync';
import { runOutboxBench } from './outbox';
import { runPickerBench } from './picker';
import { describeMachine } from './machine';

/**
 * `npm run bench [-- <section> …]`: runs the benches (all, or the named sections) and writes their results
 * into BENCHMARKS.md, replacing the sections that ran and keeping the others.
 */
const SECTIONS: Record<string, () => Promise<string>> = {
  http: runHttpBench,
  picker: runPickerBench,
  charts: runChartBench,
  kibana: runKibanaBench,
  export: runKibanaStoresBench,
  'kibana-sync': runKibanaSyncBench,
  store: runStoreBench,
  e2e: runEndToEndBench,
  evidence: runEvidenceBench,
  hostile: runHostileInputBench,
  outbox: runOutboxBench,
};

const FILE = path.resolve(__dirname, '..', 'BENCHMARKS.md');

/** Splits BENCHMARKS.md into its `## ` sections, keyed by the bench name stored in a marker comment. */
function readSections(): Map<string, string> {
  const sections = new Map<string, string>();
  if (!fs.existsSync(FILE)) return sections;
  for (const match of fs.readFileSync(FILE, 'utf8').matchAll(/<!-- bench:([\w-]+) -->\n([\s\S]*?)(?=<!-- bench:|$)/g)) {
    if (match[1] && match[2]) sections.set(match[1], match[2].trimEnd());
  }
  return sections;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !(name in SECTIONS));
  if (unknown.length) throw new Error(`unknown bench section(s): ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}`);
  const sections = readSections();
  for (const name of wanted.length ? wanted : Object.keys(SECTIONS)) {
    process.stderr.write(`bench: ${name}…\n`);
    const started = Date.now();
    const body = await SECTIONS[name]!();
    const stamp = `_Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${describeMachine()} with \`npm run bench -- ${name}\` (${((Date.now() - started) / 1000).toFixed(0)} s)._`;
    sections.set(name, `${body.trimEnd()}\n\n${stamp}`);
    process.stdout.write(`${body}\n`);
  }
  const ordered = Object.keys(SECTIONS).filter((name) => sections.has(name));
  const header = '# caseops benchmarks\n\nWritten by `npm run bench` (all sections) or `npm run bench -- <section>` (' + Object.keys(SECTIONS).join(', ') + '). Ratios compare against a baseline measured in the same run.\n\n';
  fs.writeFileSync(FILE, header + ordered.map((name) => `<!-- bench:${name} -->\n${sections.get(name)}\n`).join('\n'));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
