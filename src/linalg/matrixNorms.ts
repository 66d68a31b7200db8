import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { type Dense, frobeniusSquared, matmul, toRows, transpose } from './dense.ts';

/**
 * ‖A‖_F.
 * @example
 * ```ts
 * frobeniusNorm(fromRows([[3, 0], [0, 4]])); // 5
 * ```
 */
export function frobeniusNorm(A: Dense): number {
  return Math.sqrt(frobeniusSquared(A));
}

/**
 * The largest and smallest eigenvalue of a symmetric matrix given by its rows (ml-matrix's symmetric
 * eigendecomposition).
 * @example
 * ```ts
 * symmetricEigenRange([[2, 0], [0, 1]]); // { max: 2, min: 1 }
 * ```
 */
export function symmetricEigenRange(S: readonly (readonly number[])[]): { max: number; min: number } {
  const values = new EigenvalueDecomposition(new Matrix(S.map((r) => [...r])), { assumeSymmetric: true }).realEigenvalues;
  return { max: Math.max(...values), min: Math.min(...values) };
}

/**
 * ‖A‖₂, the largest singular value, via the top eigenvalue of A Aᵀ.
 * @example
 * ```ts
 * spectralNorm(fromRows([[3, 0], [0, 4]])); // 4
 * ```
 */
export function spectralNorm(A: Dense): number {
  return Math.sqrt(Math.max(0, symmetricEigenRange(toRows(matmul(A, transpose(A)))).max));
}
