import type { Dense } from '../linalg/dense.ts';
import type { ValidatedProblem } from '../solver/problem.ts';

/** The unit round-off of IEEE float32 (round to nearest): u = 2⁻²⁴. */
export const FLOAT32_UNIT_ROUNDOFF = 2 ** -24;

/**
 * γ_m = m u / (1 − m u), the classic bound on the relative error of a sum or dot product of m
 * terms in any order (Higham, *Accuracy and Stability of Numerical Algorithms*, §3.1):
 * |fl(Σ a_i) − Σ a_i| ≤ γ_{m−1} Σ |a_i|.
 *
 * @example
 * ```ts
 * gamma32(1000); // ≈ 5.96e-5
 * ```
 */
export function gamma32(m: number): number {
  const mu = m * FLOAT32_UNIT_ROUNDOFF;
  return mu < 1 ? mu / (1 - mu) : Infinity;
}

/**
 * Worst-case bounds on |tfjs float32 − exact| for f and every gradient entry, at a point whose
 * coordinates are float32 numbers (so only the arithmetic differs). Layout of the gradient
 * bounds as in the float64 solver: W (K×d), H (d×N), b (K).
 */
export interface Float32ErrorBounds {
  readonly value: number;
  readonly W: Float64Array;
  readonly H: Float64Array;
  readonly b: Float64Array | null;
}

/**
 * Rounding-error bounds of `evaluateBatch` in float32 (forward error analysis, first order plus
 * explicit slack), from exact (float64) values at the point:
 *
 * 1. logits: z_ki is a (d+1)-term dot product, so |δz_ki| ≤ Δ_i := γ_{d+1} max_k (Σ_j |W_kj||H_ji| + |b_k|);
 * 2. softmax: δ log p_k = δz_k − Σ_l p_l δz_l, so every p_k — and every entry of G = w(p − e_y), the
 *    label entry being −Σ_{k≠y} p_k — has relative error ε_i ≤ expm1(2Δ_i) + (2K + 8)u
 *    (exp, the K-term sums and the division, a few ulps each, with slack);
 * 3. ∇_W = Gᵀ Hᵀ + λ_W W sums N + 1 terms: |δ| ≤ Σ_i (ε_i + γ_{N+2}(1 + ε_i)) |G_ik||H_ji| + (γ_{N+2} + 3u) λ_W |W_kj|;
 *    ∇_H sums K + 1 terms (γ_{K+2}), ∇_b sums N + 1 (γ_{N+2}), the same way;
 * 4. CE_i = a + log1p((E_y − 1) + q): |δCE_i| ≤ 4Δ_i + (K + 6)u (1 + CE_i); the weighted sum over N
 *    samples adds γ_N L, each regulariser (γ_{m+1} + 4u) times itself (m its entry count), the final
 *    additions 3u f.
 *
 * These are rigorous worst-case bounds (errors grow like m u); measured errors are typically
 * √m u (random-walk accumulation), so they are far from tight — but a wrong formula is off by
 * O(1) relatively and always fails them.
 *
 * @example
 * ```ts
 * const bound = float32ErrorBounds(problem, W, H, null);
 * Math.abs(f32 - f64) <= bound.value; // true
 * ```
 */
export function float32ErrorBounds(problem: ValidatedProblem, W: Dense, H: Dense, b: readonly number[] | null): Float32ErrorBounds {
  const { K, N, labels } = problem.layout;
  const d = W.cols;
  const u = FLOAT32_UNIT_ROUNDOFF;
  const w = W.data;
  const h = H.data;
  const gN = gamma32(N + 2);
  const gK = gamma32(K + 2);
  const absG = new Float64Array(K * N);
  const eps = new Float64Array(N);
  let ceBound = 0;
  let loss = 0;
  const z = new Float64Array(K);
  for (let i = 0; i < N; i++) {
    let deltaScale = 0;
    for (let k = 0; k < K; k++) {
      let s = b === null ? 0 : b[k];
      let a = b === null ? 0 : Math.abs(b[k]);
      for (let j = 0; j < d; j++) {
        s += w[k * d + j] * h[j * N + i];
        a += Math.abs(w[k * d + j] * h[j * N + i]);
      }
      z[k] = s;
      deltaScale = Math.max(deltaScale, a);
    }
    const delta = gamma32(d + 1) * deltaScale;
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, z[k]);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(z[k] - m);
    const y = labels[i];
    const ce = m + Math.log(sum) - z[y];
    let off = 0;
    for (let k = 0; k < K; k++) {
      if (k === y) continue;
      const g = Math.exp(z[k] - m) / sum / N;
      absG[k * N + i] = g;
      off += g;
    }
    absG[y * N + i] = off;
    eps[i] = Math.expm1(2 * delta) + (2 * K + 8) * u;
    loss += ce / N;
    ceBound += (4 * delta + (K + 6) * u * (1 + ce)) / N;
  }
  const bW = new Float64Array(K * d);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += (eps[i] + gN * (1 + eps[i])) * absG[k * N + i] * Math.abs(h[j * N + i]);
      bW[k * d + j] = s + (gN + 3 * u) * problem.lambdaW * Math.abs(w[k * d + j]);
    }
  }
  const bH = new Float64Array(d * N);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (eps[i] + gK * (1 + eps[i])) * absG[k * N + i] * Math.abs(w[k * d + j]);
      bH[j * N + i] = s + (gK + 3 * u) * problem.lambdaH * Math.abs(h[j * N + i]);
    }
  }
  let bb: Float64Array | null = null;
  if (b !== null) {
    bb = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += (eps[i] + gN * (1 + eps[i])) * absG[k * N + i];
      bb[k] = s + (gN + 3 * u) * problem.lambdaB * Math.abs(b[k]);
    }
  }
  const half = (lambda: number, a: ArrayLike<number>) => {
    let s = 0;
    for (let t = 0; t < a.length; t++) s += a[t] * a[t];
    return 0.5 * lambda * s;
  };
  const regW = half(problem.lambdaW, w);
  const regH = half(problem.lambdaH, h);
  const regB = b === null ? 0 : half(problem.lambdaB, b);
  const f = loss + regW + regH + regB;
  const value =
    ceBound * (1 + gamma32(N)) + gamma32(N) * loss +
    (gamma32(K * d + 1) + 4 * u) * regW + (gamma32(d * N + 1) + 4 * u) * regH + (gamma32(K + 1) + 4 * u) * regB + 3 * u * f;
  return { value, W: bW, H: bH, b: bb };
}
