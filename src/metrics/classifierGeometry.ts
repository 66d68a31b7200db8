import { type Dense, matmul, toRows, zeros } from '../linalg/dense.ts';
import { scaledNorm as norm } from '../linalg/vector.ts';
import { cosine } from './vectors.ts';

/** Classifier-side NC metrics (THEORY.md §1 and §5, NC3). */
export interface ClassifierGeometry {
  /** ‖w_k‖. */
  readonly classifierNorms: number[];
  /** cos(w_k, a_k) with a_k the rows of {@link scaledCentredMeans}. */
  readonly classifierAlignment: number[];
  /** ‖Σ_k w_k‖ (0 at the UFM+ optimum: rows centred). */
  readonly classifierRowSum: number;
  /** W Wᵀ (K×K). */
  readonly classifierGram: number[][];
  /** W H̄ (K×K): column k holds the logits of class mean h̄_k. */
  readonly classMeanLogits: number[][];
}

/**
 * The NC3 target of UFM+ (Dang et al. ICML 2024, THEORY.md §1 "Classifier"): the K×d matrix whose row k is
 * a_k = K sqrt(n_k) h̄_k − Σ_m sqrt(n_m) h̄_m, the scaled-and-centred class mean; the optimal W equals
 * (C/K)·A with C = sqrt(λ_H K/(λ_W (K−1))).
 *
 * @param Hbar - class means, d×K (columns h̄_k)
 * @example
 * ```ts
 * nc3Distance(W, scaledCentredMeans(classMeans(H, layout), layout.sizes)); // 0 at the optimum
 * ```
 */
export function scaledCentredMeans(Hbar: Dense, sizes: readonly number[]): Dense {
  const { rows: d, cols: K, data } = Hbar;
  const A = zeros(K, d);
  const root = sizes.map(Math.sqrt);
  for (let r = 0; r < d; r++) {
    let total = 0;
    for (let m = 0; m < K; m++) total += root[m] * data[r * K + m];
    for (let k = 0; k < K; k++) A.data[k * d + r] = K * root[k] * data[r * K + k] - total;
  }
  return A;
}

/**
 * Norms, NC3 alignments, row sum, Gram W Wᵀ and mean logits W H̄ of a classifier W (K×d, rows w_k).
 * Alignment is zero-safe: 1 when w_k and a_k are both exactly zero, 0 when exactly one is.
 *
 * @example
 * ```ts
 * classifierGeometry(W, classMeans(H, layout), layout.sizes).classifierAlignment; // all 1 at the optimum
 * ```
 */
export function classifierGeometry(W: Dense, Hbar: Dense, sizes: readonly number[]): ClassifierGeometry {
  const { rows: K, cols: d, data } = W;
  const A = scaledCentredMeans(Hbar, sizes);
  const row = (M: Dense, k: number) => M.data.subarray(k * d, (k + 1) * d);
  const sum = new Float64Array(d);
  for (let k = 0; k < K; k++) for (let r = 0; r < d; r++) sum[r] += data[k * d + r];
  const Wt = zeros(d, K);
  for (let k = 0; k < K; k++) for (let r = 0; r < d; r++) Wt.data[r * K + k] = data[k * d + r];
  return {
    classifierNorms: Array.from({ length: K }, (_, k) => norm(row(W, k))),
    classifierAlignment: Array.from({ length: K }, (_, k) => cosine(row(W, k), row(A, k))),
    classifierRowSum: norm(sum),
    classifierGram: toRows(matmul(W, Wt)),
    classMeanLogits: toRows(matmul(W, Hbar)),
  };
}
