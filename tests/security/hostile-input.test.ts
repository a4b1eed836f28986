/**
 * CPU and memory on hostile input are bounded by caps, asserted here without timing anything: the import stops
 * reading at its limits and reports nesting instead of recursing, the extractor returns at most MAX_INDICATORS,
 * the command and range parsers refuse or coarsen. The time and memory each takes on 100 kB pathological
 * strings, a million tiny lines and deep nesting are measured by `npm run bench -- hostile` (BENCHMARKS.md).
 */
import { extractIndicators, MAX_INDICATORS } from '../../src/cases/indicators';
import { MAX_BUCKETS, parseRange } from '../../src/charts/range';
import { MAX_QUERY_LENGTH } from '../../src/evidence-es/query-chart-words';
import { importKibanaFile } from '../../src/kibana/import/import-file';
import { parseCaseChartRequest } from '../../src/slack/charts/chart-request';
import { parseCaseCommand } from '../../src/slack/commands/parse';
import { PATHOLOGICAL } from './support/pathological';
import { recordAttack } from './support/security-report';

const origin = { teamId: 'T0SEC', channelId: 'C0SEC', isPrivate: false };

async function importChunks(chunks: Iterable<string>, limits?: { maxObjects?: number; maxBytes?: number }) {
  let yielded = 0;
  async function* source() {
    for (const chunk of chunks) {
      yielded += 1;
      yield chunk;
    }
  }
  const result = await importKibanaFile(source(), { teamId: 'T0SEC', origin, existingCaseIds: async () => new Set(), ...(limits ? { limits } : {}) });
  return { result, codes: result.problems.map((problem) => problem.code), yielded };
}

function* repeated(line: string, times: number, perChunk = 1_000): Generator<string> {
  for (let done = 0; done < times; done += perChunk) yield line.repeat(Math.min(perChunk, times - done));
}

test('a million tiny objects: the import stops at the object limit and reads no further', async () => {
  const { result, codes, yielded } = await importChunks(repeated('{}\n', 1_000_000), { maxObjects: 10_000 });
  expect(codes).toContain('too_many_objects');
  expect(result.units).toEqual([]);
  expect(yielded).toBeLessThan(20);
  recordAttack('exhaustion', '1,000,000 `{}` lines (object limit 10,000)', `stopped after ${yielded} of 1,000 chunks`);
});

test('a file past the byte limit: reading stops at the limit', async () => {
  const { codes, yielded } = await importChunks(repeated(`{"a":"${'x'.repeat(1_000)}"}\n`, 100_000, 100), { maxBytes: 1_000_000 });
  expect(codes).toContain('too_large');
  expect(yielded).toBeLessThan(15);
  recordAttack('exhaustion', '100 MB ndjson (byte limit 1 MB)', `stopped after ${yielded} of 1,000 chunks`);
});

test.each([
  ['arrays nested 1,000,000 deep', ['['.repeat(1_000_000), ']'.repeat(1_000_000)]],
  ['objects nested 100,000 deep', ['{"a":'.repeat(100_000), `1${'}'.repeat(100_000)}`]],
])('%s: one line problem, no stack overflow', async (label, chunks) => {
  const { result, codes } = await importChunks(chunks);
  expect(codes).toEqual(['too_deep']);
  expect(result.units).toEqual([]);
  recordAttack('exhaustion', `ndjson ${label}`, 'reported as too deep');
});

/**
 * Not a timing: each parser simply has to finish. Before the refang fix, 100 kB of spaces took the extractor
 * 218 s (a leading `[ \t]*` retried from every space), far past any test timeout; now milliseconds (BENCHMARKS.md).
 */
test.each(Object.keys(PATHOLOGICAL))('100 kB of %s: the extractor, the command and range parsers all finish', (name) => {
  const text = PATHOLOGICAL[name]!;
  expect(extractIndicators(text).length).toBeLessThanOrEqual(MAX_INDICATORS);
  expect(parseCaseCommand(`new ${text}`)).toHaveProperty('ok');
  expect(parseCaseChartRequest(text.split(/\s+/).slice(0, 10_000).concat(text), new Date('2026-01-01T00:00:00Z'), 'UTC')).toHaveProperty('ok');
  recordAttack('exhaustion', `100 kB of ${name} through the extractor and parsers`, 'finished (times in BENCHMARKS.md)');
});

test('spaces around a bracketed defang still belong to it', () => {
  expect(extractIndicators('beacon to evil \t [.]  example [.] com and bob [at] evil[.]com').map((found) => found.value)).toEqual(['evil.example.com', 'bob@evil.com']);
});

test('100 kB of IPs and domains: at most MAX_INDICATORS indicators', () => {
  const text = Array.from({ length: 7_000 }, (_, index) => `10.${index >> 8}.${index & 255}.1 host${index}.evil.com`).join(' ').slice(0, 100_000);
  expect(extractIndicators(text, { includePrivateIps: true })).toHaveLength(MAX_INDICATORS);
  recordAttack('exhaustion', '100 kB of indicators in one message', `capped at ${MAX_INDICATORS}`);
});

test('a 100 kB query is refused by length; a year by the minute is coarsened to at most MAX_BUCKETS bars; 56 years are refused', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const query = parseCaseChartRequest(['query', `"${'a'.repeat(100_000)}"`], now, 'UTC');
  expect(query).toEqual({ ok: false, error: `Queries are at most ${MAX_QUERY_LENGTH} characters.` });
  const year = parseRange(['last', '365d', 'by', '1m'], { now });
  expect(year.ok && year.range.bucket).toEqual({ count: 2, unit: 'd' });
  expect(parseRange(['from', '1970-01-01T00:00Z', 'to', '2026-01-01T00:00Z', 'by', '1m'], { now })).toMatchObject({ ok: false, error: { code: 'too-long' } });
  recordAttack('exhaustion', '100 kB chart query; a year by the minute (525,600 bars); 56 years', `refused; coarsened to 2d (at most ${MAX_BUCKETS} bars); refused`);
});
