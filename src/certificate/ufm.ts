/**
 * The certificate of global optimality for the plain UFM (H free, SELI's setting), THEORY.md §1b last
 * paragraph: with H unconstrained the atoms are all unit rank-one matrices, the gauge is the nuclear
 * norm and its dual the spectral norm, so Z = W H minimises F(Z) = L(Z) + μ ‖Z‖_* iff
 * ‖G‖₂ ≤ μ = sqrt(λ_W λ_H), G = −∇L(Z). Always exact: ‖G‖₂ is the top eigenvalue of G Gᵀ (K×K).
 */
import type { Dense } from '../linalg/dense.ts';
import type { ClassLayout } from '../problem/layout.ts';
import type { Regularisers } from '../problem/objective.ts';
import { evaluateCandidate, type CandidateOptions } from './_internals/candidate.ts';
import { fenchelBound, spectralDualNormOfReduction } from './_internals/fenchel.ts';
import { spectralDualNorm } from './gauge.ts';

/** The certificate of a plain-UFM candidate. */
export interface UfmCertificate {
  /** ‖G‖₂ / sqrt(λ_W λ_H), exact up to rounding. ≤ 1 (with f = F(Z)) proves global optimality. */
  dualNormRatio: number;
  /** Always true (kept for symmetry with the UFM+ certificate). */
  exact: true;
  /** The top singular pair of G: the atom u vᵀ to add when dualNormRatio > 1. u: K, v: N, both unit. */
  atom: { u: Float64Array; v: Float64Array };
  /** f(W, H[, b]), including (λ_b/2)‖b‖² when a regularised bias is given. */
  objective: number;
  /** L(W H [+ b 1ᵀ]). */
  loss: number;
  /** f − [L + μ Σ_r ‖W e_r‖ ‖H_{r,:}‖] ≥ 0: the AM–GM slack (a lower bound of f − F(WH)). */
  amGmSlack: number;
  /** A proven lower bound of f* (Fenchel duality, lowerBound.ts); null for a non-CE loss with a free bias. */
  lowerBound: number | null;
  /** objective − lowerBound ≥ f − f* ≥ 0. */
  optimalityGap: number | null;
  /** ‖G 1‖ when a bias is given, else null. */
  biasResidual: number | null;
}

/**
 * Certifies (or refutes) global optimality of a plain-UFM candidate (H of any sign).
 *
 * @param W - K×d classifier
 * @param H - d×N features, columns grouped by class as in `layout`
 * @throws {@link InputError} on bad shapes, non-finite entries or λ ≤ 0
 * @example
 * ```ts
 * const cert = certifyUfm(W, H, classLayout([50, 50, 5]), { lambdaW: 1e-3, lambdaH: 1e-3 });
 * cert.dualNormRatio; // ≤ 1 at a global minimiser
 * ```
 */
export function certifyUfm(W: Dense, H: Dense, layout: ClassLayout, reg: Regularisers, options: CandidateOptions = {}): UfmCertificate {
  const c = evaluateCandidate(W, H, layout, reg, options, false);
  const spectral = spectralDualNorm(c.G);
  const lowerBound = fenchelBound(c, layout, spectral.value, options.bias !== undefined, spectralDualNormOfReduction);
  return {
    dualNormRatio: spectral.value / c.mu,
    exact: true,
    atom: { u: spectral.u, v: spectral.v },
    objective: c.objective,
    loss: c.lossValue,
    amGmSlack: c.objective - c.balancedBound,
    lowerBound,
    optimalityGap: lowerBound === null ? null : c.objective - lowerBound,
    biasResidual: c.biasResidual,
  };
}
