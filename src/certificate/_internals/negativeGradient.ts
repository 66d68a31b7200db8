/**
 * G = −∇L(Y) at the logits Y (K×N), the matrix the certificate of THEORY.md §1b tests.
 */
import { type Dense, zeros } from '../../linalg/dense.ts';
import type { Loss } from '../../loss/loss.ts';
import type { ClassLayout } from '../../problem/layout.ts';

/** L(Y) and G = −∇L(Y). */
export interface NegativeGradient {
  /** L(Y), the mean loss. */
  value: number;
  /** G = −∇L(Y), K×N. */
  G: Dense;
  /** For cross-entropy: log softmax of every column of Y (K×N, row-major); else null. */
  logSoftmax: Float64Array | null;
}

/**
 * −∇L(Y) and L(Y). For cross-entropy (matched by `loss.name`), column i of G is
 * (e_{y_i} − softmax(y_i))/N computed without cancellation: the true-class entry is Σ_{k≠y} p_k / N
 * rather than (1 − p_y)/N, so that gradients of well-classified samples (p_y = 1 − 1e-12, say) keep
 * full relative accuracy — the certificate's ratio is 1 to 1e-12 at the closed form only with this.
 * log Σ_j exp(y_j) is max + log1p(Σ_{j ≠ argmax} exp(y_j − max)), so small losses are accurate too.
 * The passes run along rows (row-major storage) for speed. Other losses go through `loss.evaluate`
 * with a gradient buffer.
 */
export function negativeGradient(Y: Dense, layout: ClassLayout, loss: Loss): NegativeGradient {
  const G = zeros(Y.rows, Y.cols);
  if (loss.name !== 'cross-entropy') {
    const value = loss.evaluate(Y, layout, G);
    for (let i = 0; i < G.data.length; i++) G.data[i] = -G.data[i];
    return { value, G, logSoftmax: null };
  }
  const { rows: K, cols: N, data: y } = Y;
  const top = new Int32Array(N);
  for (let k = 1; k < K; k++) {
    for (let i = 0; i < N; i++) if (y[k * N + i] > y[top[i] * N + i]) top[i] = k;
  }
  const max = new Float64Array(N);
  for (let i = 0; i < N; i++) max[i] = y[top[i] * N + i];
  const rest = new Float64Array(N);
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < N; i++) if (top[i] !== k) rest[i] += Math.exp(y[k * N + i] - max[i]);
  }
  const logSum = new Float64Array(N);
  for (let i = 0; i < N; i++) logSum[i] = max[i] + Math.log1p(rest[i]);
  const logP = new Float64Array(K * N);
  const g = G.data;
  const labels = layout.labels;
  const others = new Float64Array(N);
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < N; i++) {
      const lp = y[k * N + i] - logSum[i];
      logP[k * N + i] = lp;
      if (labels[i] === k) continue;
      const p = Math.exp(lp);
      g[k * N + i] = -p / N;
      others[i] += p;
    }
  }
  let total = 0;
  for (let i = 0; i < N; i++) {
    g[labels[i] * N + i] = others[i] / N;
    total -= logP[labels[i] * N + i];
  }
  return { value: total / N, G, logSoftmax: logP };
}
