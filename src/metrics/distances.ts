import { InputError } from '../errors.ts';
import type { Dense } from '../linalg/dense.ts';
import { checkDense } from './validateInputs.ts';
import { scaledNorm as norm } from '../linalg/vector.ts';

/**
 * ‖A/‖A‖_F − B/‖B‖_F‖_F, the scale-free distance used for NC2 and NC3 (THEORY.md §5). 0-safe: a zero
 * matrix normalises to zero, so two zero matrices are at distance 0 and a zero and a non-zero one at 1.
 * Values lie in [0, 2].
 *
 * @throws InputError when the shapes differ, a row is ragged, or an entry is not finite
 * @example
 * ```ts
 * normalisedFrobeniusDistance([[2, 0], [0, 2]], [[1, 0], [0, 1]]); // 0
 * normalisedFrobeniusDistance([[1, 0]], [[0, 1]]);                 // √2
 * ```
 */
export function normalisedFrobeniusDistance(A: readonly (readonly number[])[], B: readonly (readonly number[])[]): number {
  const a = flatten(A, 'A');
  const b = flatten(B, 'B');
  if (A.length !== B.length || (A.length > 0 && A[0].length !== B[0].length)) {
    throw new InputError('A, B', 'must have the same shape', `got ${shape(A)} and ${shape(B)}`);
  }
  return normalisedDistance(a, b);
}

/**
 * NC2 for ReLU features (THEORY.md §5): the normalised Frobenius distance between the Gram H̄ᵀH̄ of the
 * uncentred class means and a predicted Gram (for UFM+ the diagonal diag(‖h̄_k‖²) of THEORY.md §1).
 *
 * @example
 * ```ts
 * nc2Distance(ncMetrics(H, layout).classMeanGram, predictedGram); // ≈ 0 at the optimum
 * ```
 */
export function nc2Distance(classMeanGram: readonly (readonly number[])[], predictedGram: readonly (readonly number[])[]): number {
  return normalisedFrobeniusDistance(classMeanGram, predictedGram);
}

/**
 * NC3 (THEORY.md §5): the normalised Frobenius distance between a classifier W (K×d) and a prediction of
 * the same shape (for UFM+, {@link scaledCentredMeans}).
 *
 * @throws InputError when the shapes differ or an entry is not finite
 * @example
 * ```ts
 * nc3Distance(W, scaledCentredMeans(classMeans(H, layout), layout.sizes)); // ≈ 0 at the optimum
 * ```
 */
export function nc3Distance(W: Dense, predictedW: Dense): number {
  checkDense(W, 'W');
  checkDense(predictedW, 'predictedW');
  if (W.rows !== predictedW.rows || W.cols !== predictedW.cols) {
    throw new InputError('W, predictedW', 'must have the same shape', `got ${W.rows}×${W.cols} and ${predictedW.rows}×${predictedW.cols}`);
  }
  for (const [M, name] of [[W, 'W'], [predictedW, 'predictedW']] as const) {
    if (!M.data.every(Number.isFinite)) throw new InputError(name, 'every entry must be a finite number');
  }
  return normalisedDistance(W.data, predictedW.data);
}

/**
 * ‖a/‖a‖ − b/‖b‖‖ on flat arrays of equal length (matrices as their data), a zero array normalising to zero.
 * @example
 * ```ts
 * normalisedDistance([2, 0], [0, 3]); // √2
 * ```
 */
export function normalisedDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = norm(a);
  const nb = norm(b);
  const diff = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) diff[i] = (na === 0 ? 0 : a[i] / na) - (nb === 0 ? 0 : b[i] / nb);
  return norm(diff);
}

function flatten(M: readonly (readonly number[])[], name: string): Float64Array {
  if (!Array.isArray(M)) throw new InputError(name, 'must be a matrix given as an array of rows');
  const cols = M.length === 0 ? 0 : M[0].length;
  const out = new Float64Array(M.length * cols);
  M.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== cols) {
      throw new InputError(name, 'every row must have the same length', `row ${i} has ${row?.length} entries, row 0 has ${cols}`);
    }
    row.forEach((x, j) => {
      if (!Number.isFinite(x)) throw new InputError(name, 'every entry must be a finite number', `got ${x} at (${i}, ${j})`);
      out[i * cols + j] = x;
    });
  });
  return out;
}

function shape(M: readonly (readonly number[])[]): string {
  return `${M.length}×${M.length === 0 ? 0 : M[0].length}`;
}
