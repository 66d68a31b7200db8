import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';

/**
 * Small dense spectral helpers shared by the SELI and MSE theory modules (K×K matrices, K small).
 * Matrices are plain row arrays (`number[][]`), the form the predictions are reported in.
 */

/** A symmetric eigendecomposition A = Σ_i λ_i v_i v_iᵀ, eigenvalues in descending order. */
export interface SymmetricEigen {
  /** λ_1 ≥ λ_2 ≥ … */
  readonly values: number[];
  /** vectors[i] = v_i (unit length). */
  readonly vectors: number[][];
}

/**
 * Eigendecomposition of a symmetric matrix (symmetrised first, (A + Aᵀ)/2, so that round-off
 * asymmetry of the input cannot matter), eigenvalues sorted in descending order.
 *
 * @example
 * ```ts
 * symmetricEigen([[2, 0], [0, 1]]).values; // [2, 1]
 * ```
 */
export function symmetricEigen(A: readonly (readonly number[])[]): SymmetricEigen {
  const S = symmetrise(A);
  const evd = new EigenvalueDecomposition(new Matrix(S), { assumeSymmetric: true });
  const V = evd.eigenvectorMatrix;
  const order = evd.realEigenvalues.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
  return {
    values: order.map(([v]) => v),
    vectors: order.map(([, i]) => V.getColumn(i)),
  };
}

/**
 * The square root A^{1/2} of a symmetric positive semi-definite matrix, by symmetric
 * eigendecomposition with negative round-off eigenvalues clamped to 0.
 *
 * Accuracy: an eigenvalue that is 0 in exact arithmetic comes out as ±ε‖A‖, and its square root
 * √(ε‖A‖) ≈ 1e-8‖A‖^{1/2} would pollute the result. When a unit null vector u of A is known
 * exactly, pass it: the root is then computed as (A + α u uᵀ)^{1/2} − √α u uᵀ with α = tr(A)/K,
 * which is exact in exact arithmetic (u is an eigenvector of both terms) and keeps every eigenvalue
 * that is square-rooted away from 0 (error ~ ε‖A‖ instead of √ε).
 *
 * @param nullVector - optional vector with A u = 0 (need not be normalised)
 * @example
 * ```ts
 * psdSqrt([[4, 0], [0, 9]]); // [[2, 0], [0, 3]]
 * psdSqrt([[1, -1], [-1, 1]], [1, 1]); // [[1/√2, −1/√2], [−1/√2, 1/√2]]
 * ```
 */
export function psdSqrt(A: readonly (readonly number[])[], nullVector?: readonly number[]): number[][] {
  const K = A.length;
  if (nullVector === undefined) return spectralFunction(A, (l) => Math.sqrt(Math.max(l, 0)));
  const norm = Math.hypot(...nullVector);
  const u = nullVector.map((v) => v / norm);
  const alpha = Math.max(trace(A) / K, Number.MIN_VALUE);
  const shifted = A.map((row, i) => row.map((a, j) => a + alpha * u[i] * u[j]));
  const root = spectralFunction(shifted, (l) => Math.sqrt(Math.max(l, 0)));
  const s = Math.sqrt(alpha);
  return root.map((row, i) => row.map((r, j) => r - s * u[i] * u[j]));
}

/** V f(Λ) Vᵀ for a symmetric A = V Λ Vᵀ (result symmetrised). */
function spectralFunction(A: readonly (readonly number[])[], f: (l: number) => number): number[][] {
  const { values, vectors } = symmetricEigen(A);
  const K = A.length;
  const out = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  values.forEach((l, m) => {
    const fl = f(l);
    const v = vectors[m];
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) out[i][j] += fl * v[i] * v[j];
  });
  return symmetrise(out);
}

/** A thin singular value decomposition A = Σ_i σ_i u_i v_iᵀ, σ in descending order. */
export interface ThinSvd {
  /** σ_1 ≥ σ_2 ≥ … ≥ 0, min(rows, cols) of them. */
  readonly values: number[];
  /** left[i] = u_i (length rows). */
  readonly left: number[][];
  /** right[i] = v_i (length cols). */
  readonly right: number[][];
}

/**
 * Thin SVD by ml-matrix (autoTranspose, so wide matrices are fine), sorted in descending order.
 *
 * @example
 * ```ts
 * thinSvd([[3, 0], [0, 4]]).values; // [4, 3]
 * ```
 */
export function thinSvd(A: readonly (readonly number[])[]): ThinSvd {
  const svd = new SingularValueDecomposition(new Matrix(A.map((r) => [...r])), { autoTranspose: true });
  const U = svd.leftSingularVectors;
  const V = svd.rightSingularVectors;
  const order = svd.diagonal.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]);
  return {
    values: order.map(([s]) => s),
    left: order.map(([, i]) => U.getColumn(i)),
    right: order.map(([, i]) => V.getColumn(i)),
  };
}

/** (A + Aᵀ)/2 as fresh rows. */
export function symmetrise(A: readonly (readonly number[])[]): number[][] {
  return A.map((row, i) => row.map((a, j) => (a + A[j][i]) / 2));
}

/** The trace of a square matrix. */
export function trace(A: readonly (readonly number[])[]): number {
  return A.reduce((s, row, i) => s + row[i], 0);
}

/**
 * Cosine matrix of a Gram matrix G: C_kl = G_kl / √(G_kk G_ll). An entry involving a zero vector
 * (G_kk = 0) is NaN: the angle is undefined.
 *
 * @example
 * ```ts
 * gramToCosines([[4, -2], [-2, 4]]); // [[1, -0.5], [-0.5, 1]]
 * ```
 */
export function gramToCosines(G: readonly (readonly number[])[]): number[][] {
  return G.map((row, k) =>
    row.map((g, l) => {
      const d = Math.sqrt(G[k][k] * G[l][l]);
      return d > 0 ? g / d : Number.NaN;
    }),
  );
}
