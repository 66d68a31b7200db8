import { type Dense, frobeniusSquared, matmul } from '../linalg/dense.ts';
import type { Loss } from '../loss/loss.ts';
import { crossEntropy } from '../loss/crossEntropy.ts';
import type { ClassLayout } from './layout.ts';

/** Regularisation strengths of the UFM objective. */
export interface Regularisers {
  /** λ_W, on the classifier. */
  readonly lambdaW: number;
  /** λ_H, on the features. */
  readonly lambdaH: number;
}

/**
 * The UFM objective f(W, H) = L(W H) + (λ_W/2)‖W‖_F² + (λ_H/2)‖H‖_F² (THEORY.md §1, with
 * L the mean cross-entropy unless another loss is given). No bias; the solver handles its own
 * variants.
 *
 * @example
 * ```ts
 * ufmObjective(W, H, classLayout([10, 10, 40, 40]), { lambdaW: 5e-3, lambdaH: 5e-3 });
 * ```
 */
export function ufmObjective(W: Dense, H: Dense, layout: ClassLayout, reg: Regularisers, loss: Loss = crossEntropy): number {
  const Z = matmul(W, H);
  return loss.evaluate(Z, layout) + 0.5 * reg.lambdaW * frobeniusSquared(W) + 0.5 * reg.lambdaH * frobeniusSquared(H);
}
