import type { Dense } from '../linalg/dense.ts';
import type { SolverProblem, ValidatedProblem } from '../solver/problem.ts';
import { solve } from '../solver/solver.ts';
import type { SolveCertificate, SolveOptions, SolveResult } from '../solver/types.ts';
import { type LoadedTfjs, loadTfjs } from '../tfjs/backend.ts';
import type { TfSolveOptions } from './options.ts';
import { solveTfjs, type TfSolveResult } from './solve.ts';
import { warmStartRoute } from './route.ts';

export { type WarmStartRoute, warmStartRoute } from './route.ts';

/** Settings of {@link solveMixedPrecision}. */
export interface MixedPrecisionOptions {
  /** The float32 tfjs stage. */
  readonly tfjs?: TfSolveOptions;
  /** Options of the float64 solver, warm-started from the tfjs point (`initial` is set per instance). */
  readonly solver?: Omit<SolveOptions, 'initial'>;
}

/** One instance's certified answer and how it was reached. */
export interface MixedPrecisionResult {
  readonly problem: ValidatedProblem;
  readonly W: Dense;
  readonly H: Dense;
  readonly b: number[] | null;
  /** f in float64. */
  readonly objective: number;
  readonly kktResidual: number;
  /** Certified by the float64 certificate (THEORY.md §1b); false only when the float64 solver's budgets ran out. */
  readonly certified: boolean;
  readonly certificate: SolveCertificate;
  /**
   * How the float64 solver, started from the tfjs point, got there:
   * 'tfjs-warm-start': local solves only (the tfjs basin was the global one);
   * 'tfjs-escape': the tfjs point was in a spurious basin (THEORY.md §2) and certificate-guided
   * escapes left it, without a restart;
   * 'float64-restart': an escape failed and the solver restarted from a random point (seeded).
   */
  readonly route: 'tfjs-warm-start' | 'tfjs-escape' | 'float64-restart';
  /** The float64 solver's local iterations, escapes and restarts. */
  readonly iterations: number;
  readonly escapes: number;
  readonly restarts: number;
  /** The tfjs stage's answer (float32) for this instance. */
  readonly tfjs: TfSolveResult;
  /** The warm-started float64 solve in full (history, evaluations, working dimension). */
  readonly float64: SolveResult;
  /** Wall time (s): the instance's share of the tfjs stage, the warm-started float64 solve, and their sum. */
  readonly seconds: { readonly tfjs: number; readonly float64: number; readonly total: number };
  /** The tfjs backend, device and (webgpu) adapter that ran the float32 stage. */
  readonly backend: string;
  readonly device: string;
  readonly adapter: TfSolveResult['adapter'];
}

/**
 * Mixed precision: float32 tfjs finds the basin for every instance (batched; on a GPU with
 * tfjs-node-gpu), then the float64 CPU solver starts from each answer (`SolveOptions.initial`) and
 * certifies it, so every certificate is float64. An instance whose tfjs basin is not the global
 * one gets the float64 solver's certificate-guided escapes from there (no re-solve from scratch).
 *
 * @param loaded - a backend from `loadTfjs` (default: `await loadTfjs()`)
 * @throws {@link InputError} for an invalid problem or option
 * @example
 * ```ts
 * const [r] = await solveMixedPrecision([{ n: [10, 10, 40, 40], lambdaW: 5e-3, lambdaH: 5e-3, d: 8 }]);
 * r.certified; // true
 * r.route;     // 'tfjs-warm-start', 'tfjs-escape' or 'float64-restart'
 * ```
 */
export async function solveMixedPrecision(
  problems: readonly SolverProblem[], options: MixedPrecisionOptions = {}, loaded?: LoadedTfjs,
): Promise<MixedPrecisionResult[]> {
  const env = loaded ?? (await loadTfjs());
  const staged = await solveTfjs(problems, options.tfjs, env);
  return staged.map((t, i) => {
    const r = solve(problems[i], { ...options.solver, initial: { W: t.W, H: t.H, b: t.b } });
    const route = warmStartRoute(r);
    return {
      problem: t.problem, W: r.W, H: r.H, b: r.b, objective: r.objective, kktResidual: r.kktResidual,
      certified: r.certified, certificate: r.certificate, route,
      iterations: r.iterations, escapes: r.escapes, restarts: r.restarts,
      tfjs: t, float64: r, backend: t.backend, device: t.device, adapter: t.adapter,
      seconds: { tfjs: t.seconds, float64: r.seconds, total: t.seconds + r.seconds },
    };
  });
}
