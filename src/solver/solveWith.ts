import { InputError } from '../errors.ts';
import type { Certifier } from './certify.ts';
import { validateInitial } from './initial.ts';
import { Search, type Settings } from './_internals/search.ts';
import { coarseProblem, expandStart, multilevelByDefault, remainingBudget, withCoarseWork } from './multilevel.ts';
import { defaultThreads } from './objective/pool.ts';
import { type SolverProblem, type ValidatedProblem, validateProblem } from './problem.ts';
import type { SolveOptions, SolveResult } from './types.ts';

/**
 * `solve` (src/solver/solver.ts) with another certificate (for tests of the search logic).
 *
 * @example
 * ```ts
 * solveWith(problem, {}, myCertifier);
 * ```
 */
export function solveWith(problem: SolverProblem, options: SolveOptions, certifier: Certifier): SolveResult {
  const p = validateProblem(problem);
  const s = validateOptions(options, p);
  return solveValidated(p, s, certifier, multilevelOption(options, p), options.threads !== undefined);
}

/**
 * The search from a random start or the warm start — or, with the multilevel start
 * (src/solver/multilevel.ts), first the coarse problem (itself multilevel when large enough), then
 * the full search from its expanded answer with the budgets that are left.
 */
function solveValidated(p: ValidatedProblem, s: Settings, certifier: Certifier, multilevel: boolean, explicitThreads: boolean): SolveResult {
  if (!multilevel) return new Search(p, s, certifier).run();
  const t0 = performance.now();
  const small = coarseProblem(p);
  const threads = explicitThreads ? s.threads : threadCount(undefined, small, 1);
  const coarse = solveValidated(small, { ...s, threads, initial: null }, certifier, multilevelByDefault(small), explicitThreads);
  const report = s.onProgress;
  const onProgress: Settings['onProgress'] = report === null ? null
    : (q) => report({ ...q, iterations: q.iterations + coarse.iterations, escapes: q.escapes + coarse.escapes, seconds: q.seconds + coarse.seconds });
  const fine = new Search(p, { ...remainingBudget(s, coarse), onProgress, initial: expandStart(coarse, p) }, certifier).run();
  return withCoarseWork(fine, coarse, (performance.now() - t0) / 1000);
}

/** `multilevel`: a boolean or absent (then by size, see multilevelByDefault); not with `initial`, which also chooses the start. */
function multilevelOption(o: SolveOptions, p: ValidatedProblem): boolean {
  const m = o.multilevel;
  if (m === undefined) return o.initial === undefined && multilevelByDefault(p);
  if (typeof m !== 'boolean') throw new InputError('multilevel', 'must be true or false (or absent: by size)', `got ${String(m)}`);
  if (m && o.initial !== undefined) throw new InputError('multilevel', 'cannot be true together with initial (both choose the start)');
  return m;
}

/** Defaults and range checks of {@link SolveOptions}. */
function validateOptions(o: SolveOptions, p: ValidatedProblem): Settings {
  const K = p.layout.K;
  const positive = (v: number | undefined, name: string, fallback: number): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new InputError(name, 'must be a finite number > 0', `got ${String(v)}`);
    return v;
  };
  const count = (v: number | undefined, name: string, fallback: number, min: number): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new InputError(name, `must be an integer ≥ ${min}`, `got ${String(v)}`);
    return v;
  };
  const seed = o.seed ?? 0;
  if (typeof seed !== 'number' && typeof seed !== 'string') throw new InputError('seed', 'must be a number or a string', `got ${String(seed)}`);
  return {
    seed: String(seed),
    tolerance: positive(o.tolerance, 'tolerance', 1e-10),
    certificateTolerance: positive(o.certificateTolerance, 'certificateTolerance', 1e-6),
    gapTolerance: positive(o.gapTolerance, 'gapTolerance', 1e-8),
    maxIterations: count(o.maxIterations, 'maxIterations', 50_000, 0),
    maxEscapes: count(o.maxEscapes, 'maxEscapes', 4 * K + 20, 0),
    maxRestarts: count(o.maxRestarts, 'maxRestarts', 5, 0),
    maxSeconds: positive(o.maxSeconds, 'maxSeconds', 120),
    workingDimension: count(o.workingDimension, 'workingDimension', Math.ceil(1.25 * K), 1),
    memory: count(o.memory, 'memory', 5, 1),
    threads: threadCount(o.threads, p, count(o.threads, 'threads', 1, 1)),
    onProgress: progressCallback(o.onProgress),
    initial: validateInitial(o.initial, p),
  };
}

/**
 * Multiply-adds of one evaluation (K·N·⌈1.25 K⌉, the products W H, G Hᵀ, Wᵀ G) from which the
 * default thread count applies: below it (≲ 15 ms per evaluation) starting the workers (≈ 0.5 s
 * each, once per process) and one synchronisation per pass cost more than they save.
 */
export const PARALLEL_MIN_WORK = 10_000_000;

/** An explicit `threads` is used as given; by default {@link defaultThreads} for large problems, else 1. */
function threadCount(requested: number | undefined, p: ValidatedProblem, validated: number): number {
  if (requested !== undefined) return validated;
  const { K, N } = p.layout;
  return K * N * Math.ceil(1.25 * K) >= PARALLEL_MIN_WORK ? defaultThreads() : 1;
}

/** `onProgress`: a function or absent. */
function progressCallback(f: SolveOptions['onProgress']): Settings['onProgress'] {
  if (f === undefined) return null;
  if (typeof f !== 'function') throw new InputError('onProgress', 'must be a function (or absent)', `got ${typeof f}`);
  return f;
}
