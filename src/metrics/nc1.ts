import { Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import type { Dense } from '../linalg/dense.ts';
import type { ClassLayout } from '../problem/layout.ts';
import { classMeans, withinClassVariationAbout } from './classMeans.ts';
import { PINV_RELATIVE_CUTOFF } from './convention.ts';
import { checkFeatures } from './validateInputs.ts';

/** NC1 and the between-class spectrum it used. */
export interface Nc1Result {
  /** (1/K) tr(Σ_W Σ_B†) in the convention of {@link describeConvention}. */
  readonly nc1: number;
  /** How many eigen-directions of Σ_B the truncated pseudo-inverse kept (≤ K−1). */
  readonly betweenClassRank: number;
  /** The eigenvalues of Σ_B kept, largest first. */
  readonly betweenClassEigenvalues: number[];
}

/** 8 ε: error allowance, relative to the feature scale, for deciding that Σ_B or Σ_W is exactly zero. */
const ROUNDING = 8 * Number.EPSILON;

/**
 * Papyan et al.'s NC1 = (1/K) tr(Σ_W Σ_B†) (THEORY.md §5) for features H (d×N, grouped by class).
 *
 * Computed without any d×d matrix: with M = [h̄_k − h_G] (d×K) = U S Vᵀ (via a thin QR of M), Σ_B = (1/K) M Mᵀ has eigenpairs
 * (s_j²/K, u_j), so (1/K) tr(Σ_W Σ_B†) = Σ_{j kept} q_j / s_j², q_j = u_jᵀ Σ_W u_j = (1/N) Σ_i (u_jᵀ(h_i − h̄_{y_i}))².
 * Cost O(d K² + d N r), r ≤ K−1 kept directions; one pass over H for the means, one for the within-class
 * variation and one for the projections.
 *
 * @param pinvRelativeCutoff - eigenvalues of Σ_B below this times the largest are dropped
 * @example
 * ```ts
 * nc1(H, classLayout([10, 10, 40, 40])).nc1; // 0 at a collapsed H
 * ```
 */
export function nc1(H: Dense, layout: ClassLayout, pinvRelativeCutoff = PINV_RELATIVE_CUTOFF): Nc1Result {
  const scale = checkFeatures(H, layout);
  const Hbar = classMeans(H, layout);
  return nc1FromMeans(H, layout, Hbar, withinClassVariationAbout(H, layout, Hbar), scale, pinvRelativeCutoff);
}

/**
 * {@link nc1} from already computed class means H̄, within-class variations and max_{r,i} |H_{r,i}| (`scale`).
 * @example
 * ```ts
 * const Hbar = classMeans(H, layout);
 * nc1FromMeans(H, layout, Hbar, withinClassVariationAbout(H, layout, Hbar), maxAbs, 1e-10).nc1;
 * ```
 */
export function nc1FromMeans(
  H: Dense,
  layout: ClassLayout,
  Hbar: Dense,
  withinVariation: readonly number[],
  scale: number,
  pinvRelativeCutoff: number,
): Nc1Result {
  const { K, N, sizes } = layout;
  const d = H.rows;
  const { s, leftVector } = leftSingularPairs(centredMeans(Hbar, sizes, N));
  // Entries of M are differences of numbers ≤ scale in magnitude: below this, s is rounding noise.
  const zero = ROUNDING * Math.sqrt(d * K) * scale;
  const kept: number[] = [];
  for (let j = 0; j < Math.min(K - 1, s.length); j++) {
    if (s[j] > zero && s[j] * s[j] >= pinvRelativeCutoff * s[0] * s[0]) kept.push(j);
  }
  const eigenvalues = kept.map((j) => (s[j] * s[j]) / K);
  if (kept.length === 0) {
    const traceSigmaW = withinVariation.reduce((acc, v, k) => acc + sizes[k] * v * v, 0) / N;
    const zeroW = Math.sqrt(traceSigmaW) <= ROUNDING * Math.sqrt(d) * scale;
    return { nc1: zeroW ? 0 : Number.POSITIVE_INFINITY, betweenClassRank: 0, betweenClassEigenvalues: [] };
  }
  const q = projectedWithinVariance(H, layout, Hbar, kept.map(leftVector));
  let value = 0;
  kept.forEach((j, t) => (value += q[t] / (s[j] * s[j])));
  return { nc1: value, betweenClassRank: kept.length, betweenClassEigenvalues: eigenvalues };
}

/**
 * Singular values of M (d×K), largest first, and its left singular vectors on demand. For d ≥ K: thin
 * Householder QR M = Q R, then the SVD of the K×K factor R = U_R S V_Rᵀ, so u_j = Q U_R e_j — O(d K²), and
 * as accurate as an SVD of M (ml-matrix's SVD of a tall d×K matrix is ~20× slower at d = 512). For d < K:
 * ml-matrix's SVD of M directly.
 */
function leftSingularPairs(M: Matrix): { s: number[]; leftVector: (j: number) => number[] } {
  if (M.rows < M.columns) {
    const svd = new SingularValueDecomposition(M, { computeRightSingularVectors: false, autoTranspose: true });
    return { s: svd.diagonal, leftVector: (j) => svd.leftSingularVectors.getColumn(j) };
  }
  const qr = new QrDecomposition(M);
  const Q = qr.orthogonalMatrix;
  const svd = new SingularValueDecomposition(qr.upperTriangularMatrix, { computeRightSingularVectors: false });
  return { s: svd.diagonal, leftVector: (j) => Q.mmul(svd.leftSingularVectors.getColumnVector(j)).getColumn(0) };
}

/** M = [h̄_k − h_G] (d×K), h_G = Σ_k (n_k/N) h̄_k the sample-weighted global mean. */
function centredMeans(Hbar: Dense, sizes: readonly number[], N: number): Matrix {
  const { rows: d, cols: K, data } = Hbar;
  const M = new Matrix(d, K);
  for (let r = 0; r < d; r++) {
    let g = 0;
    for (let k = 0; k < K; k++) g += sizes[k] * data[r * K + k];
    g /= N;
    for (let k = 0; k < K; k++) M.set(r, k, data[r * K + k] - g);
  }
  return M;
}

/** q_t = (1/N) Σ_i (u_tᵀ (h_i − h̄_{y_i}))² for unit vectors u_t; one row-major pass over H. */
function projectedWithinVariance(H: Dense, layout: ClassLayout, Hbar: Dense, us: number[][]): number[] {
  const { rows: d, cols: N, data: h } = H;
  const { K, labels } = layout;
  const R = us.length;
  const acc = new Float64Array(R * N);
  const centred = new Float64Array(N);
  for (let r = 0; r < d; r++) {
    const row = r * N;
    const meanRow = r * K;
    for (let i = 0; i < N; i++) centred[i] = h[row + i] - Hbar.data[meanRow + labels[i]];
    for (let t = 0; t < R; t++) {
      const c = us[t][r];
      if (c === 0) continue;
      const o = t * N;
      for (let i = 0; i < N; i++) acc[o + i] += c * centred[i];
    }
  }
  return us.map((_, t) => {
    let s = 0;
    for (let i = t * N; i < (t + 1) * N; i++) s += acc[i] * acc[i];
    return s / N;
  });
}
