import type { Dense } from '../linalg/dense.ts';
import type { SolverProblem, ValidatedProblem } from '../solver/problem.ts';
import { solve } from '../solver/solver.ts';
import type { SolveCertificate, SolveOptions } from '../solver/types.ts';
import { type LoadedTfjs, loadTfjs } from '../tfjs/backend.ts';
import type { TfSolveOptions } from './options.ts';
import { POLISH_DEFAULTS, type PolishTolerances, polishAndCertify } from './polish.ts';
import { solveTfjs, type TfSolveResult } from './solve.ts';

/** Settings of {@link solveMixedPrecision}. */
export interface MixedPrecisionOptions {
  /** The float32 tfjs stage. */
  readonly tfjs?: TfSolveOptions;
  /** Thresholds of the float64 polish (defaults: the float64 solver's). */
  readonly polish?: Partial<PolishTolerances>;
  /** Options of the float64 solver when it has to start from scratch (the fallback). */
  readonly solver?: SolveOptions;
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
  /** Certified by the float64 certificate (THEORY.md §1b); false only if the fallback failed too. */
  readonly certified: boolean;
  readonly certificate: SolveCertificate;
  /**
   * 'tfjs-warm-start': the tfjs point, polished in float64, was certified;
   * 'float64-from-scratch': it was not (a spurious basin, THEORY.md §2), and the float64
   * solver (with its escapes) solved the instance from a random start.
   */
  readonly route: 'tfjs-warm-start' | 'float64-from-scratch';
  /** The tfjs stage's answer (float32) for this instance. */
  readonly tfjs: TfSolveResult;
  /** Wall time (s): the instance's share of the tfjs stage, the float64 polish, the fallback, and their sum. */
  readonly seconds: { readonly tfjs: number; readonly polish: number; readonly fromScratch: number; readonly total: number };
  /** The tfjs backend and device that ran the float32 stage. */
  readonly backend: string;
  readonly device: string;
}

/**
 * Mixed precision: float32 tfjs finds the basin for every instance (batched; on a GPU with
 * tfjs-node-gpu), then the float64 CPU solver polishes each answer and certifies it, so every
 * certificate is float64. An instance whose tfjs basin is not the global one falls back to the
 * float64 solver from scratch (with its certificate-guided escapes).
 *
 * @param loaded - a backend from `loadTfjs` (default: `await loadTfjs()`)
 * @throws {@link InputError} for an invalid problem or option
 * @example
 * ```ts
 * const [r] = await solveMixedPrecision([{ n: [10, 10, 40, 40], lambdaW: 5e-3, lambdaH: 5e-3, d: 8 }]);
 * r.certified; // true
 * r.route;     // 'tfjs-warm-start' or 'float64-from-scratch'
 * ```
 */
export async function solveMixedPrecision(
  problems: readonly SolverProblem[], options: MixedPrecisionOptions = {}, loaded?: LoadedTfjs,
): Promise<MixedPrecisionResult[]> {
  const env = loaded ?? (await loadTfjs());
  const staged = await solveTfjs(problems, options.tfjs, env);
  const tolerances = { ...POLISH_DEFAULTS, ...options.polish };
  return staged.map((t, i) => {
    const tfjsSeconds = t.seconds;
    const polished = polishAndCertify(t.problem, t.W, t.H, t.b, Math.min(t.workingDimension, 2 * t.problem.layout.K), tolerances);
    const common = { problem: t.problem, tfjs: t, backend: t.backend, device: t.device };
    if (polished.certified) {
      return {
        ...common, ...pick(polished), route: 'tfjs-warm-start' as const,
        seconds: { tfjs: tfjsSeconds, polish: polished.seconds, fromScratch: 0, total: tfjsSeconds + polished.seconds },
      };
    }
    const r = solve(problems[i], options.solver);
    return {
      ...common, ...pick(r), route: 'float64-from-scratch' as const,
      seconds: { tfjs: tfjsSeconds, polish: polished.seconds, fromScratch: r.seconds, total: tfjsSeconds + polished.seconds + r.seconds },
    };
  });
}

function pick(r: { W: Dense; H: Dense; b: number[] | null; objective: number; kktResidual: number; certified: boolean; certificate: SolveCertificate }) {
  return { W: r.W, H: r.H, b: r.b, objective: r.objective, kktResidual: r.kktResidual, certified: r.certified, certificate: r.certificate };
}
