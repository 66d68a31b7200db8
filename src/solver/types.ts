import type { Dense } from '../linalg/dense.ts';
import type { ValidatedProblem } from './problem.ts';

/**
 * Settings of {@link ../solver/solver.ts | solve}. Every limit is a budget: when one runs out
 * before a certificate is found, the best point is returned with `certified: false` and the
 * reason.
 *
 * @example
 * ```ts
 * const options: SolveOptions = { seed: 7, maxSeconds: 30 };
 * ```
 */
export interface SolveOptions extends Partial<SearchBudget> {
  /** Seed of every random choice (seedrandom); the same seed gives bit-identical results. Default 0. */
  readonly seed?: string | number;
  /** KKT residual (see `kktResidual`) a local solve must reach. Default 1e-10. */
  readonly tolerance?: number;
  /** The attained dual-norm ratio must satisfy ρ ≤ 1 + this (ρ = 1 exactly along alive classes). Default 1e-6. */
  readonly certificateTolerance?: number;
  /**
   * The certificate's proven optimality gap must satisfy f − f* ≤ this · max(1, |f|) (where the
   * certificate gives a gap; otherwise its upper bound of ρ must be ≤ 1 + certificateTolerance). Default 1e-8.
   */
  readonly gapTolerance?: number;
  /**
   * Feature dimension the search starts in before the answer is moved to d (exact: dropping unused
   * coordinates and zero-padding; else compaction, then a re-solve and a new certificate). Default
   * ⌈1.25 K⌉ (measured: about 20 % less time than 2K or 3K; the certificate does not depend on d).
   * When an escape needs more free coordinates the search adds K zero coordinates (exact), up to
   * max(workingDimension, d) + 2K.
   */
  readonly workingDimension?: number;
  /** L-BFGS memory (curvature pairs). Default 5 (measured: fewer iterations than 3, less time than 10 or 20). */
  readonly memory?: number;
  /**
   * Threads that share each evaluation's column blocks (worker_threads; the caller is one of them).
   * Results are bit-identical whatever the number (fixed block partition, fixed reduction order).
   * Default: `NCVERIFY_THREADS`, else the available parallelism (at most 8), for problems with
   * K·N·⌈1.25 K⌉ ≥ 10⁷; 1 below (workers cost ≈ 0.5 s to start).
   */
  readonly threads?: number;
  /**
   * Called during the solve (every few local iterations, and after each certificate) — e.g. for a
   * progress line on a terminal. Never changes the result.
   */
  readonly onProgress?: (p: SolveProgress) => void;
  /**
   * A warm start, used instead of the first random start (e.g. a float32 point from the tfjs
   * solver, or a previous solve's answer). It is in the problem's own dimension d and is moved to
   * the working dimension by the same `compact` as answers are (exact when it uses few enough
   * coordinates, else a projection the local solve then corrects; kept in d when even that does
   * not fit). Escapes, certificate and budgets are unchanged; restarts, if any, are random from
   * `seed`, so the same seed and the same initial point give bit-identical results. Not modified.
   * Checked: W is K×d, H is d×N, b (with a bias) has K entries, all finite, else an
   * {@link InputError} naming `initial.W`, `initial.H` or `initial.b`.
   */
  readonly initial?: InitialPoint;
  /**
   * Multilevel start (src/solver/multilevel.ts): first the problem on round(n_k/8) columns per class
   * (λ_H scaled so that repeated columns give the same objective), its answer copied to every class's
   * columns as the start; the full problem's search and certificate decide as for any start.
   * Default: on for problems with K·N·⌈1.25 K⌉ ≥ 10⁷ (MULTILEVEL_MIN_WORK) without `initial`.
   * Not with `initial` (an {@link InputError}).
   */
  readonly multilevel?: boolean;
}

/**
 * The float64 search's budgets (what may be spent before the best point is returned uncertified) —
 * not to be confused with the runner's instance-size `Budget = 'small' | 'large'`.
 */
export interface SearchBudget {
  /** Local (L-BFGS) iterations over the whole solve. Default 50 000. */
  readonly maxIterations: number;
  /** Certificate-guided escapes. Default 4K + 20. */
  readonly maxEscapes: number;
  /** Restarts from fresh random points (a last resort). Default 5. */
  readonly maxRestarts: number;
  /** Wall-clock seconds (when it binds, results depend on the machine's speed). Default 120. */
  readonly maxSeconds: number;
}

/**
 * A start point for {@link SolveOptions.initial}: W ∈ R^{K×d}, H ∈ R^{d×N} (columns laid out by
 * class), b ∈ R^K. Under UFM+ (H ≥ 0) negative entries of H are projected to 0 (the solver's own
 * projection; a float32 point may carry tiny negatives). b is required to be absent or null
 * without a bias, and defaults to 0 with one.
 *
 * @example
 * ```ts
 * const first = solve(problem, { seed: 1 });
 * const again = solve(problem, { seed: 1, initial: { W: first.W, H: first.H, b: first.b } });
 * ```
 */
export interface InitialPoint {
  readonly W: Dense;
  readonly H: Dense;
  readonly b?: readonly number[] | null;
}

/** A snapshot of a running solve ({@link SolveOptions.onProgress}). */
export interface SolveProgress {
  /** Local iterations so far (all local solves). */
  readonly iterations: number;
  /** f at the current iterate. */
  readonly objective: number;
  /** Its KKT residual (live entries). */
  readonly residual: number;
  /** ρ of the last certificate, or null before the first. */
  readonly dualNormRatio: number | null;
  /** Escapes so far. */
  readonly escapes: number;
  /** Wall time since the start. */
  readonly seconds: number;
}

/** The certificate of the returned point, as the solver used it. */
export interface SolveCertificate {
  /** Which test: the UFM+ gauge (H ≥ 0) or the nuclear norm (plain UFM). */
  readonly kind: 'ufm+' | 'ufm';
  /** ρ = Ω°(−∇L(Z)) / sqrt(λ_W λ_H) as attained by the certificate's atom (ρ itself when `exact`); ≤ 1 certifies (THEORY.md §1b). */
  readonly dualNormRatio: number;
  /** A proven upper bound of ρ. */
  readonly dualNormRatioUpper: number;
  /** true when ρ was computed exactly (not only bounded). */
  readonly exact: boolean;
  /** A proven bound f − f* ≤ objectiveGap (the certificate's Fenchel lower bound of f*), or null where none is available (λ_b > 0). */
  readonly objectiveGap: number | null;
}

/** One step of the solve's history (how the answer was reached). */
export interface SolveEvent {
  readonly kind: 'local' | 'certificate' | 'escape' | 'restart' | 'compact' | 'coarse';
  /** f after the step. */
  readonly objective: number;
  /** Working feature dimension during the step. */
  readonly dimension: number;
  /** Local iterations (kind 'local'; kind 'coarse': the coarse problem's in all). */
  readonly iterations?: number;
  /** KKT residual after the step (kind 'local'). */
  readonly residual?: number;
  /** Status of a local solve. */
  readonly status?: string;
  /** ρ = dualNormRatio (kind 'certificate'). */
  readonly dualNormRatio?: number;
  /** @deprecated the same ρ as {@link dualNormRatio} (kept for existing readers of `history`). */
  readonly ratio?: number;
  /** Atoms placed / decrease of f (kind 'escape'). */
  readonly atoms?: number;
  readonly decrease?: number;
  /** What was done (kind 'compact', 'restart', 'coarse'). */
  readonly detail?: string;
}

/**
 * What {@link ../solver/solver.ts | solve} returns: the point (in the problem's dimension d), its
 * objective, KKT residual and certificate, and how it was reached.
 */
export interface SolveResult {
  readonly problem: ValidatedProblem;
  /** K×d classifier. */
  readonly W: Dense;
  /** d×N features (columns laid out by class). */
  readonly H: Dense;
  /** The bias, or null without one. */
  readonly b: number[] | null;
  /** f(W, H [, b]). */
  readonly objective: number;
  /** First-order KKT residual (N-independent scale; see `kktResidual`). */
  readonly kktResidual: number;
  /** true when kktResidual ≤ tolerance, ρ ≤ 1 + certificateTolerance and the certificate proves f − f* small (see SolveOptions.gapTolerance). */
  readonly certified: boolean;
  readonly certificate: SolveCertificate;
  /** Why the point is not certified (null when it is). */
  readonly reason: string | null;
  /** Local iterations in total. */
  readonly iterations: number;
  /** Objective/gradient evaluations in total (the escape line search's cheap loss-only ones included). */
  readonly evaluations: number;
  readonly escapes: number;
  readonly restarts: number;
  /** Wall time. */
  readonly seconds: number;
  /** The working dimension used. */
  readonly workingDimension: number;
  readonly history: readonly SolveEvent[];
}
