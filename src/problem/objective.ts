import { type Dense, frobeniusSquared, matmul } from '../linalg/dense.ts';
import type { Loss } from '../loss/loss.ts';
import { crossEntropy } from '../loss/crossEntropy.ts';
import { InputError } from '../errors.ts';
import type { ClassLayout } from './layout.ts';
import { validateRegulariser } from './validate.ts';

/** Regularisation strengths of the UFM objective. */
export interface Regularisers {
  /** λ_W, on the classifier. */
  readonly lambdaW: number;
  /** λ_H, on the features. */
  readonly lambdaH: number;
}

/** W must be K×d and H d×N for the layout, each holding rows·cols entries (InputError naming W or H). */
function checkShapes(W: Dense, H: Dense, layout: ClassLayout): void {
  for (const [A, name] of [[W, 'W'], [H, 'H']] as const) {
    if (!Number.isInteger(A?.rows) || !Number.isInteger(A?.cols) || A.rows < 0 || A.cols < 0 || A.data?.length !== A.rows * A.cols) {
      throw new InputError(name, 'must be a Dense matrix whose data holds rows·cols entries', `got ${A?.rows}×${A?.cols} with ${A?.data?.length} entries`);
    }
  }
  if (W.rows !== layout.K) throw new InputError('W', `must have K = ${layout.K} rows (one per class)`, `got ${W.rows}×${W.cols}`);
  if (H.cols !== layout.N) throw new InputError('H', `must have N = ${layout.N} columns (one per sample)`, `got ${H.rows}×${H.cols}`);
  if (W.cols !== H.rows) throw new InputError('H', `must have d = ${W.cols} rows (the columns of W)`, `got ${H.rows}×${H.cols}`);
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
  checkShapes(W, H, layout);
  validateRegulariser(reg?.lambdaW, 'lambdaW');
  validateRegulariser(reg?.lambdaH, 'lambdaH');
  const Z = matmul(W, H);
  return loss.evaluate(Z, layout) + 0.5 * reg.lambdaW * frobeniusSquared(W) + 0.5 * reg.lambdaH * frobeniusSquared(H);
}
