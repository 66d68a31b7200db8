import { InputError } from '../errors.ts';
import type { Budget } from '../runner/claim.ts';
import { MAX_SCALE, suiteSettings } from '../runner/settings.ts';
import { type ParsedFlags, parseInteger, parseNumber } from './args.ts';

/**
 * The run settings of `verify` and `power`: `--seed`, `--runs`, `--budget`, each defaulting to its
 * NCVERIFY_* variable (src/runner/settings.ts), validated with the flag named.
 *
 * @throws {@link InputError} naming the flag for a seed that is not an integer, a run multiplier outside (0, MAX_SCALE], a budget other than small/large
 * @example
 * ```ts
 * runFlags(parseFlags(['--runs', '5'], FLAGS)); // { seed: 20240212, scale: 5, budget: 'small' }
 * ```
 */
export function runFlags(flags: ParsedFlags): { seed: number; scale: number; budget: Budget } {
  const env = suiteSettings(process.env);
  const seed = typeof flags.seed === 'string' ? parseInteger(flags.seed, '--seed') : env.seed;
  const scale = typeof flags.runs === 'string' ? parseNumber(flags.runs, '--runs') : env.scale;
  if (!(scale > 0 && scale <= MAX_SCALE)) throw new InputError('--runs', `must be in (0, ${MAX_SCALE}] (a multiplier of the default number of runs)`, `got ${scale}`);
  const budget = typeof flags.budget === 'string' ? flags.budget : env.budget;
  if (budget !== 'small' && budget !== 'large') throw new InputError('--budget', "must be 'small' or 'large'", `got '${budget}'`);
  return { seed, scale, budget };
}
