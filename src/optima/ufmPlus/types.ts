import type { Dense } from '../../linalg/dense.ts';
import type { ClassLayout } from '../../problem/layout.ts';
import type { ErrorBounds } from './bounds.ts';

/** An instance of the UFM+ problem with its feature dimension (THEORY.md §1). */
export interface UfmPlusInstance {
  readonly n: readonly number[];
  readonly lambdaW: number;
  readonly lambdaH: number;
  readonly d: number;
}

/**
 * The solver's certified global optimum of a UFM+ instance, with the quantities the claims read
 * (measured through src/metrics) and the proven error bounds of ./bounds.ts. Produced by ./solve.ts,
 * reached by the claims through the claim context's optimum layer (src/optima/optima.ts).
 */
export interface CertifiedOptimum {
  readonly instance: UfmPlusInstance;
  readonly layout: ClassLayout;
  /** K×d classifier. */
  readonly W: Dense;
  /** d×N features, columns grouped by class. */
  readonly H: Dense;
  readonly objective: number;
  /** ρ of THEORY.md §1b at the returned point. */
  readonly dualNormRatio: number;
  readonly kktResidual: number;
  readonly certified: boolean;
  readonly escapes: number;
  readonly restarts: number;
  /** d×K class means h̄_k. */
  readonly classMeans: Dense;
  readonly classMeanNorms: readonly number[];
  readonly classifierNorms: readonly number[];
  readonly withinClassVariation: readonly number[];
  /** s_k = (W h̄_k)_k − max_{j≠k} (W h̄_k)_j, the measured logit margins. */
  readonly margins: readonly number[];
  /** Distances to a global optimum implied by the certificate (./bounds.ts). */
  readonly bounds: ErrorBounds;
}
