/**
 * The finite-dimensional core of the UFM+ certificate (THEORY.md §1b): for a collapsed candidate,
 * Ω°(G)² = max_{β ≥ 0, ‖β‖ = 1} ‖G̃β‖² = max_{β ≥ 0, ‖β‖ = 1} βᵀ M β with M = G̃ᵀG̃ (K×K).
 */
import { symmetricEigen } from '../linalg/symmetricEigen.ts';
import { orthantAscent } from './_internals/orthantAscent.ts';
import { branchAndBound, enumerateSupports, type SearchOutcome } from './_internals/orthantSearch.ts';
import { MAX_MASK_K, SupportEigen } from './_internals/supportEigen.ts';

/** Result of {@link maxOrthantRayleigh}. */
export interface OrthantRayleigh {
  /** βᵀMβ at `beta`: attained, so always a lower bound of the maximum. */
  value: number;
  /** A proven upper bound of the maximum (up to floating-point rounding, ≈ 1e-15 K · max_k M_kk). */
  upper: number;
  /** true when upper − value ≤ 1e-12 · max_k M_kk: `value` is the maximum. */
  exact: boolean;
  /** The maximiser found: β ≥ 0, ‖β‖ = 1 (the class weights of the witness atom). */
  beta: Float64Array;
  /** How the exact answer was sought: enumeration of all supports, branch and bound, or none (K > 30). */
  method: 'enumeration' | 'branch-and-bound' | 'ascent-only';
  /** Eigenproblems solved (a cost measure). */
  nodes: number;
}

/** Options of {@link maxOrthantRayleigh}. */
export interface OrthantRayleighOptions {
  /**
   * When K ≤ this (default 12) and the branch and bound has not closed within 2^K eigenproblems, all
   * supports are enumerated instead (≤ 2^K more), so the answer is always exact for such K.
   */
  enumerationMaxK?: number;
  /** Most eigenproblems the branch and bound may solve before giving up exactness (default 4 000, ≈ 0.1 s at K = 20). */
  nodeBudget?: number;
  /**
   * Decision mode: settle only whether the maximum exceeds `level` (same units as M). The search
   * prunes everything below `level` and stops once a feasible β exceeds it, so `exact` may be false
   * while `value`/`upper` still decide the question. Default: find the maximum.
   */
  level?: number;
  /** Most subgradient steps of the relaxation bound per node (default 100). */
  boundSteps?: number;
  /** Most subgradient steps of the relaxation bound at the root (default 2000). */
  rootBoundSteps?: number;
}

/**
 * `exact` means upper − value ≤ EXACT_TOLERANCE · max_k M_kk. The maximum is ≥ max_k M_kk, so this is a
 * relative tolerance ≤ 1e-10 on Ω°(G)² (5e-11 on ρ); eigenvalue rounding is ≈ 1e-15 K in these units.
 */
const EXACT_TOLERANCE = 1e-10;
/** Nodes whose bound is within this of the incumbent are pruned (normalised units; < EXACT_TOLERANCE). */
const PRUNE_SLACK = 1e-11;

/**
 * max_{β ≥ 0, ‖β‖ = 1} βᵀ M β for a symmetric positive semi-definite K×K matrix M (row-major).
 *
 * Method (THEORY.md §1b, "support enumeration", made fast). (1) An incumbent from projected power
 * ascent started at every vertex e_k and at the two sign-parts of M's top eigenvector, each polished
 * on its support. (2) An exact search over supports S: only supports connected in the graph of M's
 * positive off-diagonal entries can be minimal maximisers, and on each the answer is λ_max(M_SS) when
 * its eigenvector is one-signed. The search is a branch and bound (bounds: λ_max(M_AA) by interlacing,
 * then the doubly-non-negative relaxation of DnnBound); for K ≤ `enumerationMaxK` it falls back to
 * enumerating all 2^K − 1 supports if the branch and bound has not closed within 2^K eigenproblems.
 *
 * **When `value` is exact** (to 1e-10 relative, `exact: true`): always for K ≤ 12 (enumeration);
 * for 12 < K ≤ 30 whenever the branch and bound closes within `nodeBudget`. Measured with the default
 * budget: at once on matrices with few positive couplings, which is what stationary points give
 * (a dead class has uniform softmax, hence negative couplings; the closed form and the spurious
 * points of THEORY.md §2 take ≈ 2K eigenproblems); on dense random softmax columns (logit scale
 * 3–10), 27 of 40 instances with K = 16–20 closed, the other 13 stopped with upper − value ≤ 5e-6
 * relative, in ≤ 0.3 s. Unless `exact`, `value` is a lower bound (attained by `beta`) and `upper`
 * a proven upper bound. For K > 30 only the ascent runs and `upper` = min(λ_max(M), λ_max(M⁺)),
 * M⁺ = M with its negative off-diagonal entries set to 0.
 * Degenerate top eigenspaces that could not be resolved are covered by `upper` as well.
 *
 * @param M - K×K, symmetric PSD (a Gram matrix G̃ᵀG̃); not modified
 * @param K - the order
 * @example
 * ```ts
 * // columns g̃_1 = (1, 0), g̃_2 = (−1, 1): M = [[1, −1], [−1, 2]]; max over β ≥ 0 is at β = e_2
 * const r = maxOrthantRayleigh(new Float64Array([1, -1, -1, 2]), 2);
 * // r.value = 2, r.beta = [0, 1], r.exact = true
 * ```
 */
export function maxOrthantRayleigh(M: ArrayLike<number>, K: number, options: OrthantRayleighOptions = {}): OrthantRayleigh {
  const { enumerationMaxK = 12, nodeBudget = 4_000, boundSteps = 100, rootBoundSteps = 2000, level = -Infinity } = options;
  let scale = 0;
  for (let k = 0; k < K; k++) scale = Math.max(scale, M[k * K + k]);
  if (!(scale > 0)) {
    const beta = new Float64Array(K);
    beta[0] = 1;
    return { value: 0, upper: 0, exact: true, beta, method: 'enumeration', nodes: 0 };
  }
  const Ms = new Float64Array(K * K);
  for (let i = 0; i < K * K; i++) Ms[i] = M[i] / scale;
  const top = symmetricEigen(Ms, K);
  const topVector = new Float64Array(K);
  for (let i = 0; i < K; i++) topVector[i] = top.vectors[i * K + K - 1];
  const lambdaMax = top.values[K - 1];
  const supports = K <= MAX_MASK_K ? new SupportEigen(Ms, K) : null;
  const start = orthantAscent(Ms, K, supports, [topVector]);
  const ascentEvaluations = supports?.evaluations ?? 0;
  let outcome: SearchOutcome;
  let method: OrthantRayleigh['method'];
  if (supports === null) {
    outcome = { ...start, upper: Math.min(lambdaMax, positivePartBound(Ms, K)), nodes: 0 };
    method = 'ascent-only';
  } else {
    const small = K <= enumerationMaxK;
    const budget = small ? Math.min(nodeBudget, 2 ** K) : nodeBudget;
    outcome = branchAndBound(Ms, K, supports, start, { nodeBudget: budget, boundSteps, rootBoundSteps, slack: PRUNE_SLACK, level: level / scale });
    method = 'branch-and-bound';
    const decided = outcome.value > level / scale || outcome.upper <= level / scale;
    if (small && outcome.upper - outcome.value > EXACT_TOLERANCE && !(level > -Infinity && decided)) {
      const enumerated = enumerateSupports(Ms, K, supports, outcome);
      outcome = { ...enumerated, nodes: outcome.nodes + enumerated.nodes };
      method = 'enumeration';
    }
  }
  const upper = Math.min(Math.max(outcome.upper, outcome.value), lambdaMax);
  return {
    value: outcome.value * scale,
    upper: Math.max(upper, outcome.value) * scale,
    exact: upper - outcome.value <= EXACT_TOLERANCE,
    beta: outcome.beta,
    method,
    nodes: 1 + ascentEvaluations + outcome.nodes,
  };
}

/** λ_max(M⁺), M⁺ = M with negative off-diagonal entries replaced by 0. */
function positivePartBound(M: Float64Array, K: number): number {
  const P = M.map((x, idx) => (x < 0 && Math.floor(idx / K) !== idx % K ? 0 : x));
  const ws = symmetricEigen(P, K);
  return ws.values[K - 1];
}
