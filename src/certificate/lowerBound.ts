/**
 * A numeric lower bound on the optimal value f* of the UFM / UFM+ problem from any candidate, by
 * Fenchel duality on the convex lower bound F of THEORY.md §1b. This turns the certificate into an
 * optimality gap f(W, H) − lowerBound ≥ f(W, H) − f* ≥ 0.
 *
 * Derivation. Let μ = sqrt(λ_W λ_H) and Ω the gauge (UFM+: atoms u vᵀ, ‖u‖ = 1, v ≥ 0, ‖v‖ = 1;
 * plain UFM: nuclear norm), Ω° its dual. Both are symmetric (−u vᵀ is an atom) and finite everywhere.
 * 1. For every d and every (W, H): f(W, H) ≥ F(WH) = L(WH) + μ Ω(WH) (AM–GM per coordinate, §1b).
 * 2. For every Λ with Ω°(Λ) ≤ μ: μ Ω(Z) ≥ ⟨Λ, Z⟩ (polar inequality), so
 *    F(Z) ≥ L(Z) − ⟨Λ, Z⟩ ≥ inf_Y [L(Y) − ⟨Λ, Y⟩] = −L*(Λ).
 *    With an unregularised bias, Z + b1ᵀ replaces Z in L, and the same holds if Λ 1 = 0
 *    (otherwise the infimum over b is −∞).
 * 3. Hence f* ≥ −L*(Λ). Take Λ = ∇L(Y)/s = −G/s with s = max(1, Ω°(G)/μ), Ω°(G) replaced by any
 *    proven upper bound of it; this is dual feasible, and at an optimal candidate s = 1 and the bound
 *    equals L(Y) + ⟨G, Y⟩ = F(Z) (Fenchel–Young equality), which equals f at a stationary
 *    balanced factorisation: the bound is tight at the optimum.
 * Cross-entropy, L(Y) = (1/N) Σ_i CE(y_i, c_i): L*(Λ) = (1/N) Σ_i Σ_k q_ik log q_ik with
 * q_i = N λ_i + e_{c_i}, finite iff every q_i lies in the probability simplex. For Λ = −G/s,
 * q_i = p_i/s + (1 − 1/s) e_{c_i} (p_i = softmax(y_i)), so f* ≥ (1/N) Σ_i Entropy(q_i).
 * With a bias, Λ 1 = 0 means Σ_i q_i = n (class counts). Off bias-stationarity Σ_i p_i = P ≠ n, so
 * the candidate's p are mixed: q_i = α p_i + (1 − α) c/N with α = min(1, min_j n_j/P_j) and
 * c = (n − α P)/(1 − α) ≥ 0 (Σ c = N), which gives Σ_i q_i = n; then Λ = (Q − Y_onehot)/(N s) with
 * s = max(1, [α Ω°(G) + (1 − α) Ω°(C)]/μ), C the collapsed matrix with class-k columns
 * (c/N − e_k)/N (triangle inequality for Ω°).
 * With a regularised bias, (λ_b/2)‖b‖² in f, step 2 gives instead
 *    F(Z) + (λ_b/2)‖b‖² ≥ [L(Y) − ⟨Λ, Y⟩] + [bᵀΛ1 + (λ_b/2)‖b‖²] ≥ −L*(Λ) − ‖Λ 1‖²/(2λ_b),
 *    so no mixing is needed: with Λ = −G/s the bound is the one above minus ‖G 1‖²/(2 λ_b s²), and it
 *    is again tight at the optimum (there G 1 = λ_b b).
 * Any other convex loss with inf L ≥ 0 (MSE): −L*(Λ/s) ≥ (1/s)(−L*(Λ)) + (1 − 1/s) inf L
 * ≥ (L(Y) + ⟨G, Y⟩)/s by convexity of L*, with Λ = ∇L(Y); no conjugate formula needed. With a free
 * bias it would need G 1 = 0 exactly, so it is not offered then; with a regularised one it is, minus
 * ‖G 1‖²/(2 λ_b s²).
 */
import type { Dense } from '../linalg/dense.ts';
import type { ClassLayout } from '../problem/layout.ts';

/** What {@link crossEntropyLowerBound} needs besides the logits. */
export interface CrossEntropyBoundInput {
  /** The logits Y = W H (+ b 1ᵀ), K×N. */
  logits: Dense;
  layout: ClassLayout;
  /** μ = sqrt(λ_W λ_H). */
  mu: number;
  /** A proven upper bound of the dual norm of G = −∇L(Y) (Ω°(G) for UFM+, ‖G‖₂ for UFM). */
  dualNormUpper: number;
  /**
   * Present when the model has an (unregularised) bias: a proven upper bound of the dual norm of the
   * collapsed matrix whose class-k column is sqrt(n_k)(c/N − e_k)/N, given as its K×K reduction
   * (row-major, column k for class k).
   */
  collapsedDualNormUpper?: (reduction: Float64Array) => number;
  /** log softmax of the logits if already computed (K×N, row-major). */
  logSoftmax?: Float64Array | null;
  /**
   * A regularised bias: λ_b > 0 and ‖G 1‖. Then no mixing is done (collapsedDualNormUpper is ignored)
   * and ‖G 1‖²/(2 λ_b s²) is subtracted.
   */
  regularisedBias?: { lambdaB: number; residual: number };
}

/**
 * The Fenchel lower bound on f* for cross-entropy (derivation in the module comment):
 * f* ≥ (1/N) Σ_i Entropy(q_i), q_i = p_i/s + (1 − 1/s) e_{c_i}, s = max(1, Ω°(G)/μ) — with the
 * mixing correction when there is a bias. Computed in the log domain (log-softmax, log1p) so that it
 * is accurate to ≈ 1e-16 even when p_{c_i} is within 1e-12 of 1.
 *
 * @example
 * ```ts
 * // At Z = 0 with every n_k ≤ T, (0, 0) is optimal, s = 1 and the bound is log K = f*
 * crossEntropyLowerBound({ logits: zeros(3, 6), layout: classLayout([2, 2, 2]), mu: 1, dualNormUpper: 0.1 }); // log 3
 * ```
 */
export function crossEntropyLowerBound(input: CrossEntropyBoundInput): number {
  const { logits: Y, layout, mu, dualNormUpper } = input;
  const { K, N } = layout;
  const logP = input.logSoftmax ?? logSoftmax(Y);
  let alpha = 1;
  let c: Float64Array | null = null;
  let dual = dualNormUpper;
  if (input.collapsedDualNormUpper !== undefined && input.regularisedBias === undefined) {
    const mixing = biasMixing(logP, layout);
    alpha = mixing.alpha;
    c = mixing.c;
    if (alpha < 1) dual = alpha * dualNormUpper + (1 - alpha) * input.collapsedDualNormUpper(collapsedReduction(c, layout));
  }
  const s = Math.max(1, dual / mu);
  const logS = Math.log(s);
  let total = 0;
  for (let i = 0; i < N; i++) {
    const label = layout.labels[i];
    let others = 0;
    let entropy = 0;
    for (let k = 0; k < K; k++) {
      if (k === label) continue;
      const lp = logP[k * N + i];
      let r = Math.exp(lp);
      let logR = lp;
      if (c !== null && alpha < 1) {
        r = alpha * r + ((1 - alpha) * c[k]) / N;
        logR = Math.log(r);
      }
      others += r;
      if (r > 0) entropy -= (r / s) * (logR - logS);
    }
    const qLabel = 1 - others / s;
    if (qLabel > 0) entropy -= qLabel * Math.log1p(-others / s);
    total += entropy;
  }
  return total / N - biasCorrection(input.regularisedBias, s);
}

/** ‖G 1‖²/(2 λ_b s²) for a regularised bias, else 0. */
function biasCorrection(bias: { lambdaB: number; residual: number } | undefined, s: number): number {
  return bias === undefined ? 0 : (bias.residual * bias.residual) / (2 * bias.lambdaB * s * s);
}

/**
 * The Fenchel lower bound for any convex loss with inf L ≥ 0, no bias or a regularised one:
 * f* ≥ (L(Y) + ⟨G, Y⟩)/s − ‖G 1‖²/(2 λ_b s²), s = max(1, dualNormUpper/μ) (module comment, last
 * paragraph).
 *
 * @example
 * ```ts
 * genericLowerBound(0.5, 0.1, 0.02, 0.01); // s = 2: (0.5 + 0.1)/2 = 0.3
 * ```
 */
export function genericLowerBound(
  lossValue: number,
  innerGY: number,
  dualNormUpper: number,
  mu: number,
  regularisedBias?: { lambdaB: number; residual: number },
): number {
  const s = Math.max(1, dualNormUpper / mu);
  return (lossValue + innerGY) / s - biasCorrection(regularisedBias, s);
}

/** log softmax of every column of Y (K×N), with log1p for the normaliser. */
function logSoftmax(Y: Dense): Float64Array {
  const { rows: K, cols: N, data: y } = Y;
  const out = new Float64Array(K * N);
  for (let i = 0; i < N; i++) {
    let top = 0;
    for (let k = 1; k < K; k++) if (y[k * N + i] > y[top * N + i]) top = k;
    const max = y[top * N + i];
    let rest = 0;
    for (let k = 0; k < K; k++) if (k !== top) rest += Math.exp(y[k * N + i] - max);
    const logSum = max + Math.log1p(rest);
    for (let k = 0; k < K; k++) out[k * N + i] = y[k * N + i] - logSum;
  }
  return out;
}

/** α = min(1, min_j n_j / P_j) and c = (n − α P)/(1 − α), clipped at 0 and rescaled to sum N. */
function biasMixing(logP: Float64Array, layout: ClassLayout): { alpha: number; c: Float64Array } {
  const { K, N, sizes } = layout;
  const P = new Float64Array(K);
  for (let k = 0; k < K; k++) for (let i = 0; i < N; i++) P[k] += Math.exp(logP[k * N + i]);
  let alpha = 1;
  for (let k = 0; k < K; k++) if (P[k] > 0) alpha = Math.min(alpha, sizes[k] / P[k]);
  const c = new Float64Array(K);
  if (alpha >= 1) return { alpha: 1, c };
  let sum = 0;
  for (let k = 0; k < K; k++) {
    c[k] = Math.max(0, (sizes[k] - alpha * P[k]) / (1 - alpha));
    sum += c[k];
  }
  for (let k = 0; k < K; k++) c[k] *= N / sum;
  return { alpha, c };
}

/** The K×K reduction of the collapsed matrix with class-k columns (c/N − e_k)/N: column k scaled by sqrt(n_k). */
function collapsedReduction(c: Float64Array, layout: ClassLayout): Float64Array {
  const { K, N, sizes } = layout;
  const R = new Float64Array(K * K);
  for (let r = 0; r < K; r++) {
    for (let k = 0; k < K; k++) R[r * K + k] = (Math.sqrt(sizes[k]) * (c[r] / N - (r === k ? 1 : 0))) / N;
  }
  return R;
}
