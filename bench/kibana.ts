/**
 * Kibana export/import bench: exports of 10,000 and 1,000,000 saved objects streamed from an in-memory
 * generator of domain cases to a file (time, throughput, RSS sampled along the way to show memory stays
 * flat), and the import (parse + migrate + to-domain) of a 10,000-object file. Each scenario runs in a
 * fresh process so its peak RSS is its own. Returns a Markdown section for BENCHMARKS.md.
 *
 *   npx tsx -e "require('./bench/kibana').runKibanaBench().then(console.log)"
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Actor, Attachment, Case, UserAction } from '../src/cases/model';
import type { CaseExportInput } from '../src/kibana/export/case-objects';
import { exportLines } from '../src/kibana/export/export-stream';
import { ndjsonChunks } from '../src/kibana/export/ndjson';
import { importKibanaFile } from '../src/kibana/import/import-file';
import { inChild } from './in-child';

/** Every generated case makes this many objects: the case, 4 attachments, 5 user actions. */
const OBJECTS_PER_CASE = 10;
const TEAM = 'T0BENCH';

interface ExportRun {
  objects: number;
  seconds: number;
  megabytes: number;
  /** RSS (MB) when 0, 10, 20 … 100 % of the cases were written. */
  rssAlong: number[];
  maxRssMb: number;
}

interface ImportRun {
  objects: number;
  megabytes: number;
  seconds: number;
  cases: number;
  maxRssMb: number;
}

export async function runKibanaBench(): Promise<string> {
  const small = inChild<ExportRun>(__filename, 'measureExport(10000)');
  const large = inChild<ExportRun>(__filename, 'measureExport(1000000)');
  const imported = inChild<ImportRun>(__filename, 'measureImport(10000)');
  const row = (run: ExportRun) =>
    `| ${run.objects.toLocaleString('en-US')} | ${run.seconds.toFixed(1)} s | ${Math.round(run.objects / run.seconds).toLocaleString('en-US')} | ${run.megabytes.toFixed(0)} MB | ${run.maxRssMb.toFixed(0)} MB |`;
  return [
    '## Kibana export and import',
    '',
    `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, Node ${process.version}. Export target Kibana 8.11 (the default), ` +
      `${OBJECTS_PER_CASE} objects per case (the case, a comment, an alert, an indicator, a Slack message, five user actions), ` +
      'generated in memory and streamed to a file on disk with back-pressure; each run in a fresh process.',
    '',
    '| objects exported | time | objects/s | file | peak RSS |',
    '| --- | --- | --- | --- | --- |',
    row(small),
    row(large),
    '',
    `- RSS during the 1,000,000-object export, at 0, 10, 20 … 100 % of the cases: ${large.rssAlong.map((mb) => mb.toFixed(0)).join(', ')} MB — flat: one case is in memory at a time.`,
    `- Import of a ${imported.objects.toLocaleString('en-US')}-object file (${imported.megabytes.toFixed(1)} MB; parse, migrate, to domain, ${imported.cases.toLocaleString('en-US')} cases): ` +
      `${(imported.seconds * 1000).toFixed(0)} ms, peak RSS ${imported.maxRssMb.toFixed(0)} MB (the file is first generated in the same process).`,
  ].join('\n');
}

/** Runs one scenario of this module in a fresh Node process (tsx for the TypeScript sources). */
export async function measureExport(objects: number): Promise<ExportRun> {
  const caseCount = objects / OBJECTS_PER_CASE;
  const file = path.join(os.tmpdir(), `caseops-bench-${process.pid}.ndjson`);
  const rssAlong = [rssMb()];
  const started = performance.now();
  const lines = exportLines(syntheticCases(caseCount), {
    onProgress: (written) => {
      if ((written / OBJECTS_PER_CASE) % (caseCount / 10) === 0) rssAlong.push(rssMb());
    },
  });
  await writeAll(ndjsonChunks(lines), file);
  const seconds = (performance.now() - started) / 1000;
  const megabytes = fs.statSync(file).size / 1024 / 1024;
  fs.rmSync(file);
  return { objects, seconds, megabytes, rssAlong, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

export async function measureImport(objects: number): Promise<ImportRun> {
  let text = '';
  for await (const chunk of ndjsonChunks(exportLines(syntheticCases(objects / OBJECTS_PER_CASE)))) text += chunk;
  const bytes = Buffer.from(text);
  async function* download() {
    for (let start = 0; start < bytes.length; start += 64 * 1024) yield bytes.subarray(start, start + 64 * 1024);
  }
  const started = performance.now();
  const result = await importKibanaFile(download(), {
    teamId: TEAM,
    origin: { teamId: TEAM, channelId: 'C0IMPORT', isPrivate: false },
    existingCaseIds: async () => new Set(),
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.units.length !== objects / OBJECTS_PER_CASE) throw new Error(`imported ${result.units.length} cases`);
  return { objects, megabytes: bytes.length / 1024 / 1024, seconds, cases: result.units.length, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** Writes chunks to a file, waiting whenever the stream asks to (as an upload would). */
async function writeAll(chunks: AsyncIterable<string>, file: string): Promise<void> {
  const stream = fs.createWriteStream(file);
  for await (const chunk of chunks) {
    if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

function rssMb(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

/** Distinct, valid-looking UUIDs from a counter. */
function uuid(kind: number, index: number): string {
  const hex = index.toString(16).padStart(12, '0');
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`;
}

async function* syntheticCases(count: number): AsyncGenerator<CaseExportInput> {
  for (let index = 0; index < count; index += 1) yield syntheticCase(index);
}

function syntheticCase(index: number): CaseExportInput {
  const analyst: Actor = { userId: `U0${(index % 50).toString().padStart(4, '0')}`, teamId: TEAM, name: `Analyst ${index % 50}` };
  const at = new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString();
  const caseId = uuid(1, index);
  const theCase: Case = {
    id: caseId,
    teamId: TEAM,
    number: index + 1,
    title: `Suspicious login #${index}`,
    description: `Login from an unusual country for user ${index % 997}.`,
    status: index % 3 === 0 ? 'closed' : 'open',
    severity: (['low', 'medium', 'high', 'critical'] as const)[index % 4] ?? 'low',
    tags: ['login', `batch-${index % 20}`],
    assignees: [analyst.userId],
    owner: 'securitySolution',
    settings: { syncAlerts: true },
    createdAt: at,
    createdBy: analyst,
    updatedAt: at,
    updatedBy: analyst,
    closedAt: null,
    closedBy: null,
    duration: null,
    origin: { teamId: TEAM, channelId: 'C0SOC', channelName: 'soc', isPrivate: false, cardTs: `${1767225600 + index}.000100` },
    totals: { user: 1, event: 1, alert: 1, indicator: 1, visualization: 0, timeline: 0, unknown: 0 },
    version: 1,
  };
  const attachment = (n: number, type: Attachment['type'], data: Record<string, unknown>): Attachment => ({
    id: uuid(2 + n, index),
    caseId,
    type,
    data,
    createdAt: at,
    createdBy: analyst,
    updatedAt: null,
    updatedBy: null,
    owner: 'securitySolution',
  });
  const attachments = [
    attachment(0, 'user', { comment: 'Checked with the user: not them.' }),
    attachment(1, 'alert', { alertId: `alert-${index}`, index: '.alerts-security.alerts-default', rule: { id: 'rule-1', name: 'Unusual login' } }),
    attachment(2, 'indicator', { value: `198.51.100.${index % 256}`, type: 'ipv4', feedName: 'AbuseCH', documentId: `ti-${index}`, source: 'message' }),
    attachment(3, 'event', {
      message: {
        teamId: TEAM,
        channel: { id: 'C0SOC', name: 'soc', isPrivate: false },
        ts: `${1767225600 + index}.000200`,
        author: { id: analyst.userId, name: analyst.name },
        text: `Login from 198.51.100.${index % 256} at ${at}`,
        permalink: `https://acme.slack.com/archives/C0SOC/p${1767225600 + index}000200`,
        files: [],
        edited: false,
      },
    }),
  ];
  const action = (n: number, type: UserAction['type'], verb: UserAction['action'], payload: Record<string, unknown>, attachmentId?: string): UserAction => ({
    id: uuid(10 + n, index),
    caseId,
    type,
    action: verb,
    payload,
    createdAt: at,
    createdBy: analyst,
    owner: 'securitySolution',
    ...(attachmentId ? { attachmentId } : {}),
  });
  const userActions = [
    action(0, 'create_case', 'create', { title: theCase.title, description: theCase.description, status: 'open', severity: theCase.severity, tags: theCase.tags, assignees: theCase.assignees, settings: theCase.settings, owner: 'securitySolution' }),
    ...attachments.map((added, n) =>
      action(1 + n, 'comment', 'create', { comment: added.type === 'user' ? { type: 'user', ...added.data, owner: 'securitySolution' } : { type: added.type, data: added.data, owner: 'securitySolution' } }, added.id),
    ),
  ];
  return { case: theCase, attachments, userActions };
}
