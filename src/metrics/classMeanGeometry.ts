import type { Dense } from '../linalg/dense.ts';

/** The geometry of the uncentred class means (THEORY.md §1: orthogonal, disjoint supports, zero if collapsed). */
export interface ClassMeanGeometry {
  /** H̄ᵀH̄ (K×K). */
  readonly classMeanGram: number[][];
  /** ‖h̄_k‖. */
  readonly classMeanNorms: number[];
  /** max_{j≠k} |cos(h̄_j, h̄_k)|, pairs with a zero mean counting 0. */
  readonly maxClassMeanCosine: number;
  /** Classes k with ‖h̄_k‖ ≤ cutoff · max_m ‖h̄_m‖. */
  readonly zeroClassMeans: number[];
}

/**
 * Gram, norms, largest |cosine| and zero flags of the class means H̄ (d×K, columns h̄_k, uncentred).
 * A class whose mean norm is at most `zeroMeanRelativeCutoff` times the largest is flagged (the minority-
 * collapse indicator of THEORY.md §1) and contributes cosine 0 — never NaN.
 *
 * @example
 * ```ts
 * classMeanGeometry(classMeans(H, layout), 1e-6).maxClassMeanCosine; // 0 for disjoint supports
 * ```
 */
export function classMeanGeometry(Hbar: Dense, zeroMeanRelativeCutoff: number): ClassMeanGeometry {
  const G = gramOfColumns(Hbar);
  const K = Hbar.cols;
  const norms = G.map((row, k) => Math.sqrt(row[k]));
  const largest = Math.max(0, ...norms);
  const zero = norms.flatMap((nk, k) => (nk <= zeroMeanRelativeCutoff * largest ? [k] : []));
  const isZero = new Set(zero);
  let maxCos = 0;
  for (let j = 0; j < K; j++) {
    for (let k = j + 1; k < K; k++) {
      if (isZero.has(j) || isZero.has(k)) continue;
      maxCos = Math.max(maxCos, Math.min(1, Math.abs(G[j][k]) / (norms[j] * norms[k])));
    }
  }
  return { classMeanGram: G, classMeanNorms: norms, maxClassMeanCosine: maxCos, zeroClassMeans: zero };
}

/**
 * AᵀA for A (rows×cols) as nested arrays.
 * @example
 * ```ts
 * gramOfColumns(fromRows([[1, 0], [1, 2]])); // [[2, 2], [2, 4]]
 * ```
 */
export function gramOfColumns(A: Dense): number[][] {
  const { rows, cols, data } = A;
  const G = Array.from({ length: cols }, () => new Array<number>(cols).fill(0));
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) {
      const a = data[o + j];
      if (a === 0) continue;
      for (let k = j; k < cols; k++) G[j][k] += a * data[o + k];
    }
  }
  for (let j = 0; j < cols; j++) for (let k = 0; k < j; k++) G[j][k] = G[k][j];
  return G;
}
