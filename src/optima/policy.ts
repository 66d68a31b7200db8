/**
 * The one policy every model family of src/optima follows: how an instance gets its solver seed,
 * what gap δ ≥ f − f* a point carries, and which points a claim may read.
 *
 * A claim reads a solver point only through a PROVEN gap δ ≥ f − f* (the certificate's Fenchel lower
 * bound of f*, THEORY.md §1b), never below the rounding of the objective's evaluation
 * ({@link objectiveRoundoff}): every tolerance of every family is derived from δ alone.
 * - Certified by the solver (ρ ≤ 1 + 1e-6, KKT residual and Fenchel gap small): used.
 * - Not certified, but δ ≤ {@link USABLE_GAP}·(1 + |f|) is still proven: used with that (larger) δ.
 *   Near the collapse threshold the optimum is flat to fourth order and a local solve may not reach the
 *   KKT tolerance, yet the Fenchel bound still proves δ (e.g. 1.1e-8 for MSE at n = (2,2,2),
 *   N²λ_Wλ_H = 2 − 1.6e-6); the claims' tolerances grow with δ, so nothing is assumed.
 * - Otherwise, inside the model's assumptions: refused with an {@link UncertifiedError}, which the
 *   runner records as an *inconclusive* input — never a pass, never a fail (src/runner/runClaim.ts).
 * - Outside them (UFM+ with d < K, where no theorem applies): returned with `certified: false`, for
 *   the claims that only record.
 */

/** The unit roundoff of float64. */
export const EPS = 2 ** -52;

/** The largest proven relative gap δ/(1 + |f|) with which an uncertified point may still be used. */
export const USABLE_GAP = 1e-6;

/** The solver did not certify a point that a claim inside the theorem's assumptions needs. */
export class UncertifiedError extends Error {
  override readonly name = 'UncertifiedError';
}

/** True for an {@link UncertifiedError}, also across module copies (tsx, vitest). */
export function isUncertifiedError(e: unknown): e is UncertifiedError {
  return e instanceof Error && e.name === 'UncertifiedError';
}

/**
 * A bound on the rounding error of evaluating f(W, H) in float64: the N·K log-sum-exp (or squared
 * error) terms and the d(K + N) squares are summed in order, so the error is at most about
 * (N·K + d(K + N)) · ε · (|f| + 1).
 *
 * @example
 * ```ts
 * objectiveRoundoff({ N: 100, K: 4, d: 8 }, 1.2); // ≈ 2e-13
 * ```
 */
export function objectiveRoundoff(size: { N: number; K: number; d: number }, objective: number): number {
  return (size.N * size.K + size.d * (size.K + size.N)) * EPS * (Math.abs(objective) + 1);
}

/**
 * δ = max(certificate's gap, rounding): the gap every tolerance is derived from. A missing
 * certificate gap (null) is +∞: nothing is proven.
 *
 * @example
 * ```ts
 * provenGap(1e-16, 2e-13); // 2e-13: no float64 computation certifies below its rounding
 * ```
 */
export function provenGap(certificateGap: number | null, roundoff: number): number {
  return Math.max(certificateGap ?? Infinity, roundoff);
}

/** What the policy says of one solved point. */
export type Admission = 'use' | 'record';

/**
 * Applies the policy (module comment) to a solved point.
 *
 * @param point - whether the solver certified it, its proven gap δ and its objective f
 * @param insideAssumptions - whether a theorem applies to the instance (e.g. d ≥ K for UFM+)
 * @param describe - the instance and the command that replays the solve, for the refusal
 * @throws UncertifiedError inside the assumptions when the point is neither certified nor has δ ≤ USABLE_GAP(1 + |f|)
 * @example
 * ```ts
 * admit({ certified: false, gap: 1e-9, objective: 1.2 }, true, () => 'n = (2,2,2)'); // 'use'
 * ```
 */
export function admit(
  point: { readonly certified: boolean; readonly gap: number; readonly objective: number },
  insideAssumptions: boolean,
  describe: () => string,
): Admission {
  if (point.certified || point.gap <= USABLE_GAP * (1 + Math.abs(point.objective))) return 'use';
  if (!insideAssumptions) return 'record';
  throw new UncertifiedError(`the solver did not certify ${describe()} (proven gap ${point.gap})`);
}

/** What an instance's seed is computed from: its sizes, regularisers and dimension. */
export interface SeedInstance {
  readonly n: readonly number[];
  readonly lambdaW: number;
  readonly lambdaH: number;
  readonly d: number;
}

/**
 * The solver's seed for an instance: FNV-1a of the JSON of (n, λ_W, λ_H, d), xor a family's salt, so
 * that the same instance is always solved from the same start and different instances (or the same
 * sizes in another model) from different ones.
 *
 * @example
 * ```ts
 * instanceSeed({ n: [10, 40], lambdaW: 1e-2, lambdaH: 1e-2, d: 2 }) === instanceSeed({ n: [10, 40], lambdaW: 1e-2, lambdaH: 1e-2, d: 2 }); // true
 * ```
 */
export function instanceSeed(i: SeedInstance, salt = 0): number {
  let h = 0x811c9dc5;
  for (const ch of JSON.stringify([i.n, i.lambdaW, i.lambdaH, i.d])) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h ^ salt) >>> 0;
}

/** The wall-clock budget of one solve for the claims: generous, so that it never decides a verdict on a loaded machine. */
export const CLAIM_SOLVE_SECONDS = 600;

/** How hard a family solve tries: the solver's defaults, or the retry asked for before an input is called inconclusive. */
export interface SolveSettings {
  readonly name: 'default' | 'retry';
  /** Mixed into the instance's seed: the retry starts from a fresh random point. */
  readonly salt: number;
  readonly tolerance?: number;
  readonly gapTolerance?: number;
  readonly maxIterations?: number;
  readonly maxRestarts?: number;
}

/** The solver's defaults (KKT 1e-10, gap 1e-8(1 + |f|), 50 000 iterations, 5 restarts: docs/solver.md). */
export const DEFAULT_SOLVE: SolveSettings = { name: 'default', salt: 0 };

/**
 * Asked for once before an input is called inconclusive (src/runner/runClaim.ts): a KKT residual and a
 * gap 100× smaller than the defaults, 4× the iterations and restarts, from a fresh seed. 1e-12 and 1e-10
 * stay above the float64 floor of both — a gradient entry sums N terms (rounding ≈ N·ε·max|term|, 1e-13
 * at the suite's N ≤ 1000) and the gap can never be proven below the objective's rounding
 * ({@link objectiveRoundoff}, ≈ 1e-13 there) — so the retry asks only for what float64 can deliver.
 */
export const RETRY_SOLVE: SolveSettings = { name: 'retry', salt: 0x5bd1e995, tolerance: 1e-12, gapTolerance: 1e-10, maxIterations: 200_000, maxRestarts: 20 };

/**
 * The solver options of a claim's solve under `settings`: the instance's seed (salted), the claim budget
 * and the settings' tolerances and budgets.
 * @example
 * ```ts
 * claimSolveOptions(RETRY_SOLVE, { n: [10, 40], lambdaW: 1e-2, lambdaH: 1e-2, d: 2 }); // { seed, maxSeconds: 600, tolerance: 1e-12, … }
 * ```
 */
export function claimSolveOptions(settings: SolveSettings, seedOf: SeedInstance, salt = 0): { seed: number; maxSeconds: number; tolerance?: number; gapTolerance?: number; maxIterations?: number; maxRestarts?: number } {
  const { name: _name, salt: extra, ...rest } = settings;
  return { seed: instanceSeed(seedOf, (salt ^ extra) >>> 0), maxSeconds: CLAIM_SOLVE_SECONDS, ...rest };
}
