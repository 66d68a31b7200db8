import { InputError } from '../errors.ts';
import type { Budget } from './claim.ts';

/** The seed `npm test` uses unless NCVERIFY_SEED says otherwise: fixed, so that CI is reproducible. */
export const DEFAULT_SEED = 20240212;

/**
 * The largest run multiplier accepted (NCVERIFY_RUNS, `verify --runs`): 1000 × the default runs is
 * ≈ 2.7 million generated instances, days of solving; anything larger is a typo.
 */
export const MAX_SCALE = 1000;

/** How the property suite is run, read from the environment. */
export interface SuiteSettings {
  readonly seed: number;
  /** Multiplies every claim's runs (NCVERIFY_RUNS, default 1; nightly e.g. 20). */
  readonly scale: number;
  /** 'small' instances for `npm test`, 'large' under NCVERIFY_BUDGET=large. */
  readonly budget: Budget;
  /** Replays one failure (NCVERIFY_PATH, with NCVERIFY_SEED). */
  readonly path?: string;
}

/**
 * Reads NCVERIFY_SEED, NCVERIFY_RUNS, NCVERIFY_BUDGET and NCVERIFY_PATH.
 *
 * @example
 * ```ts
 * suiteSettings({ NCVERIFY_RUNS: '10' }).scale; // 10
 * ```
 */
export function suiteSettings(env: Readonly<Record<string, string | undefined>>): SuiteSettings {
  const seed = env.NCVERIFY_SEED === undefined ? DEFAULT_SEED : Number(env.NCVERIFY_SEED);
  if (!Number.isSafeInteger(seed)) throw new InputError('NCVERIFY_SEED', 'must be an integer', `got '${env.NCVERIFY_SEED}'`);
  const scale = env.NCVERIFY_RUNS === undefined ? 1 : Number(env.NCVERIFY_RUNS);
  if (!(scale > 0 && scale <= MAX_SCALE)) throw new InputError('NCVERIFY_RUNS', `must be a number in (0, ${MAX_SCALE}] (a multiplier of the default runs)`, `got '${env.NCVERIFY_RUNS}'`);
  const budget = env.NCVERIFY_BUDGET ?? 'small';
  if (budget !== 'small' && budget !== 'large') throw new InputError('NCVERIFY_BUDGET', "must be 'small' or 'large'", `got '${budget}'`);
  if (env.NCVERIFY_PATH && !/^\d+(:\d+)*$/.test(env.NCVERIFY_PATH)) {
    throw new InputError('NCVERIFY_PATH', 'must be a replay path printed by a failure, numbers joined by colons (e.g. 59:2:1:2)', `got '${env.NCVERIFY_PATH}'`);
  }
  return { seed, scale, budget, ...(env.NCVERIFY_PATH ? { path: env.NCVERIFY_PATH } : {}) };
}
