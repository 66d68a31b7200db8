import type { Dense } from '../linalg/dense.ts';
import type { ValidatedProblem } from './problem.ts';

/**
 * The certificate as the solver consumes it: the ratio ρ, exactness, an optional gap bound and
 * the witness atom u vᵀ (‖u‖ = ‖v‖ = 1, v ≥ 0 for UFM+) that maximises ⟨u, G v⟩, G = −∇L(Z).
 */
export interface CertificateView {
  readonly kind: 'ufm+' | 'ufm';
  readonly ratio: number;
  readonly exact: boolean;
  readonly objectiveGap: number | null;
  readonly atom: { readonly u: ArrayLike<number>; readonly v: ArrayLike<number> } | null;
}

/** A function that certifies (W, H, b) for a problem (the solver never computes this itself). */
export type Certifier = (W: Dense, H: Dense, b: number[] | null, problem: ValidatedProblem) => CertificateView;
