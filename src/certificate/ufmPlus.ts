/**
 * The certificate of global optimality for the UFM+ problem (H ≥ 0), THEORY.md §1b; it does not use
 * the closed form of §1, so it applies to any (W, H), any d, any K, and to the solver's iterates.
 *
 *     min_{W, H ≥ 0} f(W, H) = L(W H [+ b 1ᵀ]) + (λ_W/2)‖W‖_F² + (λ_H/2)‖H‖_F²
 *
 * f(W, H) ≥ F(Z) = L(Z) + μ Ω(Z) at Z = W H (μ = sqrt(λ_W λ_H), Ω the gauge with atoms u vᵀ,
 * ‖u‖ = 1, v ≥ 0, ‖v‖ = 1), F is convex, and Z minimises F iff ρ = Ω°(G)/μ ≤ 1 with G = −∇L(Z)
 * (and ⟨G, Z⟩ = μ Ω(Z)). A candidate with ρ ≤ 1 and f = F(Z) is a global minimiser. When ρ > 1 the
 * maximising atom u vᵀ is a direction of descent for F: the witness the solver adds to escape.
 */
import type { Dense } from '../linalg/dense.ts';
import type { ClassLayout } from '../problem/layout.ts';
import type { Regularisers } from '../problem/objective.ts';
import { evaluateCandidate, type CandidateOptions } from './_internals/candidate.ts';
import { fenchelBound, orthantDualNormOfReduction } from './_internals/fenchel.ts';
import { nonnegativeDualNorm, type NonnegativeDualNorm } from './gauge.ts';

/** The certificate of a UFM+ candidate. */
export interface UfmPlusCertificate {
  /**
   * ρ = Ω°(G)/sqrt(λ_W λ_H) as attained by `atom` (ρ = ‖G v‖/μ): always a valid LOWER bound of ρ,
   * and ρ itself (to 1e-9 relative) when `exact`. ρ > 1 proves the candidate is not optimal.
   */
  dualNormRatio: number;
  /** A proven UPPER bound of ρ (up to rounding). ≤ 1 (with f = F(Z)) proves global optimality. */
  dualNormRatioUpper: number;
  /** true when dualNormRatioUpper − dualNormRatio ≤ 1e-9 · dualNormRatioUpper. */
  exact: boolean;
  /** What `dualNormRatio` is: 'exact', or a 'lower' bound (then see `dualNormRatioUpper`). */
  bound: 'exact' | 'lower';
  /** Gradient columns equal within each class: ‖G − G_c‖_F ≤ 1e-8 ‖G‖_F (G_c = class averages). */
  collapsed: boolean;
  /** The maximising atom u vᵀ: u (K, unit), v (N, ≥ 0, unit), classWeights β_k = ‖v on class k‖. */
  atom: { u: Float64Array; v: Float64Array; classWeights: Float64Array };
  /** f(W, H[, b]), including (λ_b/2)‖b‖² when a regularised bias is given. */
  objective: number;
  /** L(W H [+ b 1ᵀ]). */
  loss: number;
  /**
   * f(W, H) − [L(WH) + μ Σ_r ‖W e_r‖ ‖H_{r,:}‖] ≥ 0: the AM–GM slack, 0 iff every coordinate is
   * balanced (λ_W ‖W e_r‖² = λ_H ‖H_{r,:}‖²). The bracket is an upper bound of F(WH), so this is a
   * LOWER bound of f − F(WH); it is not a bound on f − f* (use `optimalityGap`).
   */
  amGmSlack: number;
  /**
   * A proven lower bound of the optimal value f* (any d), by Fenchel duality (see lowerBound.ts):
   * cross-entropy: always; another loss: unless the bias is free (λ_b = 0) — it assumes L convex
   * with inf L ≥ 0 (true of MSE).
   * Tight (= f) at a global minimiser.
   */
  lowerBound: number | null;
  /** objective − lowerBound ≥ f − f* ≥ 0: how far from optimal the candidate can be. */
  optimalityGap: number | null;
  /** ‖G 1‖ when a bias is given (at bias-stationarity: 0 for a free bias, λ_b ‖b‖ otherwise), else null. */
  biasResidual: number | null;
  /** The K×K support search: method ('branch-and-bound', 'enumeration', 'ascent-only'), eigenproblems, exactness. */
  search: NonnegativeDualNorm['search'];
}

/** Options of {@link certifyUfmPlus}. */
export interface UfmPlusCertifyOptions extends CandidateOptions {
  /**
   * Decision mode for the solver: settle only whether ρ exceeds this ratio (e.g. 1). Faster on hard
   * K×K instances; `exact` may then be false while dualNormRatio/dualNormRatioUpper still decide.
   */
  decideAt?: number;
  /** Eigenproblem budget of the K×K support search (default 4000). */
  nodeBudget?: number;
}

/**
 * Certifies (or refutes) global optimality of a UFM+ candidate (W ≥ anything, H ≥ 0), THEORY.md §1b.
 * See {@link UfmPlusCertificate} for what each number guarantees, and gauge.ts/orthantRayleigh.ts
 * for when ρ is exact (always for collapsed candidates with K ≤ 12; for larger K whenever the
 * branch and bound closes within its budget — measured: every stationary point tried).
 *
 * @param W - K×d classifier
 * @param H - d×N features, ≥ 0, columns grouped by class as in `layout`
 * @throws {@link InputError} on bad shapes, non-finite entries, negative features or λ ≤ 0
 * @example
 * ```ts
 * const layout = classLayout([10, 10, 40, 40]);
 * const cert = certifyUfmPlus(W, H, layout, { lambdaW: 5e-3, lambdaH: 5e-3 });
 * if (cert.dualNormRatio > 1 + 1e-9) addAtom(cert.atom); // escape a spurious point
 * isCertified(cert); // true at a global minimiser
 * ```
 */
export function certifyUfmPlus(
  W: Dense,
  H: Dense,
  layout: ClassLayout,
  reg: Regularisers,
  options: UfmPlusCertifyOptions = {},
): UfmPlusCertificate {
  const c = evaluateCandidate(W, H, layout, reg, options, true);
  const level = options.decideAt === undefined ? undefined : options.decideAt * c.mu;
  const dual = nonnegativeDualNorm(c.G, layout, { level, nodeBudget: options.nodeBudget });
  const lowerBound = fenchelBound(c, layout, dual.upper, options.bias !== undefined, orthantDualNormOfReduction);
  const exact = dual.exact;
  return {
    dualNormRatio: dual.lower / c.mu,
    dualNormRatioUpper: dual.upper / c.mu,
    exact,
    bound: exact ? 'exact' : 'lower',
    collapsed: dual.collapsed,
    atom: { u: dual.u, v: dual.v, classWeights: dual.classWeights },
    objective: c.objective,
    loss: c.lossValue,
    amGmSlack: c.objective - c.balancedBound,
    lowerBound,
    optimalityGap: lowerBound === null ? null : c.objective - lowerBound,
    biasResidual: c.biasResidual,
    search: dual.search,
  };
}

/**
 * true when the certificate proves the candidate globally optimal to within `tolerance`
 * (relative to max(1, |f|)): optimalityGap ≤ tolerance when a lower bound exists; otherwise
 * ρ's upper bound ≤ 1 + tolerance, the AM–GM slack ≤ tolerance and (with a free bias, the only case
 * without a lower bound) ‖G 1‖ ≤ tolerance.
 *
 * @example
 * ```ts
 * isCertified(certifyUfmPlus(W, H, layout, reg), 1e-8);
 * ```
 */
export function isCertified(
  cert: Pick<UfmPlusCertificate, 'optimalityGap' | 'objective' | 'dualNormRatioUpper' | 'amGmSlack' | 'biasResidual'>,
  tolerance = 1e-8,
): boolean {
  const scale = Math.max(1, Math.abs(cert.objective));
  if (cert.optimalityGap !== null) return cert.optimalityGap <= tolerance * scale;
  return (
    cert.dualNormRatioUpper <= 1 + tolerance &&
    cert.amGmSlack <= tolerance * scale &&
    (cert.biasResidual === null || cert.biasResidual <= tolerance)
  );
}
