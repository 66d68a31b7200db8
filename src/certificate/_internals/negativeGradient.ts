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
}

/**
 * −∇L(Y) and L(Y). For cross-entropy (matched by `loss.name`), column i of G is
 * (e_{y_i} − softmax(y_i))/N computed without cancellation: the true-class entry is Σ_{k≠y} p_k / N
 * rather than (1 − p_y)/N, so that gradients of well-classified samples (p_y = 1 − 1e-12, say) keep
 * full relative accuracy — the certificate's ratio is 1 to 1e-12 at the closed form only with this.
 * log Σ_j exp(y_j) is max + log1p(Σ_{j ≠ argmax} exp(y_j − max)), so small losses are accurate too.
 * Other losses go through `loss.evaluate` with a gradient buffer.
 */
export function negativeGradient(Y: Dense, layout: ClassLayout, loss: Loss): NegativeGradient {
  const G = zeros(Y.rows, Y.cols);
  if (loss.name !== 'cross-entropy') {
    const value = loss.evaluate(Y, layout, G);
    for (let i = 0; i < G.data.length; i++) G.data[i] = -G.data[i];
    return { value, G };
  }
  const { rows: K, cols: N, data: y } = Y;
  const g = G.data;
  const labels = layout.labels;
  let total = 0;
  for (let i = 0; i < N; i++) {
    const label = labels[i];
    let top = 0;
    for (let k = 1; k < K; k++) if (y[k * N + i] > y[top * N + i]) top = k;
    const max = y[top * N + i];
    let rest = 0;
    for (let k = 0; k < K; k++) if (k !== top) rest += Math.exp(y[k * N + i] - max);
    const logSum = max + Math.log1p(rest);
    total += logSum - y[label * N + i];
    let others = 0;
    for (let k = 0; k < K; k++) {
      if (k === label) continue;
      const p = Math.exp(y[k * N + i] - logSum);
      g[k * N + i] = -p / N;
      others += p;
    }
    g[label * N + i] = others / N;
  }
  return { value: total / N, G };
}
