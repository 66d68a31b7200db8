import { InputError } from '../errors.ts';
import { crossEntropy } from '../loss/crossEntropy.ts';
import type { Loss } from '../loss/loss.ts';
import { type ClassLayout, classLayout } from '../problem/layout.ts';
import type { UfmInstance } from '../problem/instance.ts';
import { checkSolverSize } from './limits.ts';
import { validateClassSizes, validateDimension, validateRegulariser } from '../problem/validate.ts';

/**
 * One instance of the full (uncollapsed) unconstrained-feature problem the solver works on:
 *
 *     min_{W, H [≥ 0], b}  f = L(W H [+ b 1ᵀ]) + (λ_W/2)‖W‖_F² + (λ_H/2)‖H‖_F² [+ (λ_b/2)‖b‖²]
 *
 * with W ∈ R^{K×d}, H ∈ R^{d×N} (all N columns are variables), L the mean loss
 * (cross-entropy by default; THEORY.md §1 for UFM+, §3 for the plain UFM).
 *
 * @example
 * ```ts
 * const p: SolverProblem = { n: [10, 10, 40, 40], lambdaW: 5e-3, lambdaH: 5e-3, d: 8 };
 * ```
 */
export interface SolverProblem extends UfmInstance {
  /** d: the feature dimension, a positive integer (d < K is allowed but lies outside THEORY.md §1). */
  readonly d: number;
  /** true (default): UFM+, H ≥ 0 (features after a ReLU). false: the plain UFM, H free. */
  readonly nonNegative?: boolean;
  /** true: logits W H + b 1ᵀ with a classifier bias b ∈ R^K (default false). */
  readonly bias?: boolean;
  /** λ_b ≥ 0, the weight decay on the bias (default 0: a free bias). */
  readonly lambdaB?: number;
  /** The data-fit term (default cross-entropy). */
  readonly loss?: Loss;
}

/** A {@link SolverProblem} after validation, with its class layout. */
export interface ValidatedProblem {
  readonly layout: ClassLayout;
  readonly lambdaW: number;
  readonly lambdaH: number;
  readonly lambdaB: number;
  readonly d: number;
  readonly nonNegative: boolean;
  readonly bias: boolean;
  readonly loss: Loss;
}

/**
 * Validates a {@link SolverProblem}: every bad field is an {@link InputError} naming it.
 *
 * @example
 * ```ts
 * validateProblem({ n: [5, 10], lambdaW: 1e-2, lambdaH: 1e-2, d: 0 }); // throws "d: must be a positive integer (got 0)"
 * ```
 */
export function validateProblem(p: SolverProblem): ValidatedProblem {
  const sizes = validateClassSizes(p.n);
  const lambdaW = validateRegulariser(p.lambdaW, 'lambdaW');
  const lambdaH = validateRegulariser(p.lambdaH, 'lambdaH');
  const K = sizes.length;
  const d = validateDimension(p.d, K, false);
  const N = sizes.reduce((a, b) => a + b, 0);
  checkSolverSize(K, N, d, 'n, d'); // before the layout allocates its N labels
  const layout = classLayout(sizes);
  const lambdaB = p.lambdaB ?? 0;
  if (typeof lambdaB !== 'number' || !Number.isFinite(lambdaB) || lambdaB < 0) {
    throw new InputError('lambdaB', 'must be a finite number ≥ 0 (0 = free bias)', `got ${String(p.lambdaB)}`);
  }
  if (p.nonNegative !== undefined && typeof p.nonNegative !== 'boolean') {
    throw new InputError('nonNegative', 'must be true (UFM+) or false (plain UFM)', `got ${String(p.nonNegative)}`);
  }
  if (p.bias !== undefined && typeof p.bias !== 'boolean') {
    throw new InputError('bias', 'must be a boolean', `got ${String(p.bias)}`);
  }
  if (p.lambdaB !== undefined && p.bias !== true) {
    throw new InputError('lambdaB', 'only applies with bias: true');
  }
  return {
    layout, lambdaW, lambdaH, lambdaB, d,
    nonNegative: p.nonNegative ?? true,
    bias: p.bias ?? false,
    loss: p.loss ?? crossEntropy,
  };
}
