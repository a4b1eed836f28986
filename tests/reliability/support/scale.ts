/**
 * How big this run is. CI runs the counts written in the tests; `scripts/soak.ts` sets SOAK=1, which
 * multiplies every count (and the time allowed for it) by SOAK_FACTOR, 10 unless set.
 */
const DEFAULT_SOAK_FACTOR = 10;

function soakFactor(env: NodeJS.ProcessEnv): number {
  if (!env.SOAK || env.SOAK === '0') return 1;
  const factor = Number(env.SOAK_FACTOR ?? DEFAULT_SOAK_FACTOR);
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`SOAK_FACTOR must be a positive integer, not ${env.SOAK_FACTOR}`);
  return factor;
}

export const SOAK_FACTOR = soakFactor(process.env);

/** `ci` or `soak ×10`: written into RELIABILITY.md next to the figures. */
export const RUN_MODE = SOAK_FACTOR === 1 ? 'ci' : `soak ×${SOAK_FACTOR}`;

/** A count of the CI run, scaled for a soak run. */
export const scaled = (ciCount: number): number => ciCount * SOAK_FACTOR;

/** A jest timeout for work whose size is `scaled`. */
export const scaledTimeout = (ciMs: number): number => ciMs * SOAK_FACTOR;

/** fast-check run settings: `numRuns` (scale it first), and the seed of a run to replay when FUZZ_SEED is set. */
export function fuzzRuns(numRuns: number): { numRuns: number; seed?: number } {
  return process.env.FUZZ_SEED ? { numRuns, seed: Number(process.env.FUZZ_SEED) } : { numRuns };
}
