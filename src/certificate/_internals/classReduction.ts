/**
 * The class reduction of THEORY.md §1b: G = G_c + E, where G_c has in every column of class k the
 * class average ḡ_k and E holds the within-class deviations. Because E's columns sum to zero within
 * each class and G_c is constant there, G_c Eᵀ = 0, so G Gᵀ = G̃ G̃ᵀ + E Eᵀ with
 * G̃ = [sqrt(n_1) ḡ_1, …, sqrt(n_K) ḡ_K] (K×K); and E v = 0 for every v constant within classes.
 */
import type { Dense } from '../../linalg/dense.ts';
import type { ClassLayout } from '../../problem/layout.ts';

/** The pieces of G that the certificate needs. */
export interface ClassReduction {
  /** G̃ (K×K, row-major): column k is sqrt(n_k) ḡ_k. */
  Gtilde: Float64Array;
  /** ‖E‖_F: zero exactly when the gradient columns are equal within each class (collapsed candidate). */
  residualFrobenius: number;
  /** ‖G‖_F. */
  gradientFrobenius: number;
}

/**
 * G̃ and the size of the within-class residual E, in O(K N).
 *
 * @example
 * ```ts
 * const { Gtilde, residualFrobenius } = reduceByClass(G, classLayout([3, 5]));
 * ```
 */
export function reduceByClass(G: Dense, layout: ClassLayout): ClassReduction {
  const { K, N, offsets, sizes } = layout;
  const g = G.data;
  const Gtilde = new Float64Array(K * K);
  let residual = 0;
  let total = 0;
  for (let r = 0; r < K; r++) {
    for (let k = 0; k < K; k++) {
      let sum = 0;
      for (let i = offsets[k]; i < offsets[k + 1]; i++) sum += g[r * N + i];
      const mean = sum / sizes[k];
      for (let i = offsets[k]; i < offsets[k + 1]; i++) {
        const x = g[r * N + i];
        residual += (x - mean) * (x - mean);
        total += x * x;
      }
      Gtilde[r * K + k] = Math.sqrt(sizes[k]) * mean;
    }
  }
  return { Gtilde, residualFrobenius: Math.sqrt(residual), gradientFrobenius: Math.sqrt(total) };
}

/**
 * E Eᵀ (K×K), E = G − G_c, in O(K² N).
 */
export function residualGram(G: Dense, layout: ClassLayout): Float64Array {
  const { K, N, offsets, sizes } = layout;
  const g = G.data;
  const E = new Float64Array(K * N);
  for (let r = 0; r < K; r++) {
    for (let k = 0; k < K; k++) {
      let sum = 0;
      for (let i = offsets[k]; i < offsets[k + 1]; i++) sum += g[r * N + i];
      const mean = sum / sizes[k];
      for (let i = offsets[k]; i < offsets[k + 1]; i++) E[r * N + i] = g[r * N + i] - mean;
    }
  }
  return rowGram(E, K, N);
}

/** A Aᵀ for A (K×N, row-major). */
export function rowGram(A: Float64Array, K: number, N: number): Float64Array {
  const out = new Float64Array(K * K);
  for (let a = 0; a < K; a++) {
    for (let b = a; b < K; b++) {
      let sum = 0;
      for (let i = 0; i < N; i++) sum += A[a * N + i] * A[b * N + i];
      out[a * K + b] = sum;
      out[b * K + a] = sum;
    }
  }
  return out;
}

/** G̃ᵀ G̃ (K×K) for the K×K matrix G̃. */
export function columnGram(Gtilde: Float64Array, K: number): Float64Array {
  const M = new Float64Array(K * K);
  for (let a = 0; a < K; a++) {
    for (let b = a; b < K; b++) {
      let sum = 0;
      for (let r = 0; r < K; r++) sum += Gtilde[r * K + a] * Gtilde[r * K + b];
      M[a * K + b] = sum;
      M[b * K + a] = sum;
    }
  }
  return M;
}
