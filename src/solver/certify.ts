import type { Dense } from '../linalg/dense.ts';
import type { ValidatedProblem } from './problem.ts';

/**
 * The certificate as the solver consumes it (THEORY.md §1b): the ratio ρ = Ω°(G)/sqrt(λ_W λ_H),
 * G = −∇L(Z), as attained by the witness atom u vᵀ (‖u‖ = ‖v‖ = 1, v ≥ 0 for UFM+; a lower
 * bound of ρ, exact when `exact`), a proven upper bound of ρ, and a proven bound on f − f*.
 */
export interface CertificateView {
  readonly kind: 'ufm+' | 'ufm';
  /** ρ attained by the atom (a lower bound of ρ; ρ itself when exact). */
  readonly dualNormRatio: number;
  /** A proven upper bound of ρ. */
  readonly dualNormRatioUpper: number;
  readonly exact: boolean;
  /** A proven bound f − f* ≤ optimalityGap (Fenchel duality), or null where none is available. */
  readonly optimalityGap: number | null;
  readonly atom: { readonly u: ArrayLike<number>; readonly v: ArrayLike<number> } | null;
}

/** A function that certifies (W, H, b) for a problem (the solver never computes this itself). */
export type Certifier = (W: Dense, H: Dense, b: number[] | null, problem: ValidatedProblem) => CertificateView;
