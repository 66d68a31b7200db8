import type { Dense } from '../linalg/dense.ts';
import type { ClassLayout } from '../problem/layout.ts';
import type { ErrorBounds } from './tolerance.ts';

/** Raised when the solver could not certify an instance inside the theorem's assumptions. */
export class UncertifiedError extends Error {
  override readonly name = 'UncertifiedError';
}

/** An instance of the UFM+ problem with its feature dimension. */
export interface SolvedInstance {
  readonly n: readonly number[];
  readonly lambdaW: number;
  readonly lambdaH: number;
  readonly d: number;
}

/**
 * The solver's certified global optimum of an instance, with the quantities the claims read.
 * Produced by {@link ./solveInstance.ts}; the claims never call the solver themselves.
 */
export interface CertifiedOptimum {
  readonly instance: SolvedInstance;
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
  /** Distances to a global optimum implied by the certificate (src/runner/tolerance.ts). */
  readonly bounds: ErrorBounds;
}
