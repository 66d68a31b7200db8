import seedrandom from 'seedrandom';
import type { Tf } from '../tfjs/backend.ts';
import type { TfBatch } from './batch.ts';
import type { TfPoint } from './objective.ts';

/**
 * A seeded random start for every instance of a batch, drawn in JavaScript (so it is the same
 * on every backend): W uniform in ±a_W, H uniform in [0, a_H) (UFM+) or ±a_H (plain UFM), bias 0,
 * padded rows 0 — the rule of the float64 solver's `randomStart`: balanced scales
 * λ_W a_W² = λ_H a_H² with a_W a_H = 1/√d, so the first logits are O(1) whatever d.
 * Instance b uses the seedrandom stream `seeds[b]` (so a start does not depend on which batch,
 * or which position in it, the instance was given).
 *
 * @example
 * ```ts
 * const x0 = randomStartBatch(tf, batch, ['run-1/0', 'run-1/1']);
 * ```
 */
export function randomStartBatch(tf: Tf, batch: TfBatch, seeds: readonly string[]): TfPoint {
  const { B, K, d, N } = batch;
  const w = new Float32Array(B * K * d);
  const h = new Float32Array(B * N * d);
  batch.problems.forEach((p, b) => {
    const rng = seedrandom(seeds[b]);
    const tau = d ** -0.25;
    const aW = tau * (p.lambdaH / p.lambdaW) ** 0.25;
    const aH = tau * (p.lambdaW / p.lambdaH) ** 0.25;
    for (let t = 0; t < K * d; t++) w[b * K * d + t] = aW * (2 * rng() - 1);
    const rows = p.layout.N * d;
    for (let t = 0; t < rows; t++) h[b * N * d + t] = p.nonNegative ? aH * rng() : aH * (2 * rng() - 1);
  });
  return {
    W: tf.tensor3d(w, [B, K, d]),
    Ht: tf.tensor3d(h, [B, N, d]),
    b: batch.bias ? tf.zeros([B, 1, K]) : null,
  };
}

/**
 * Releases the tensors of a point.
 *
 * @example
 * ```ts
 * disposePoint(x);
 * ```
 */
export function disposePoint(x: TfPoint): void {
  x.W.dispose();
  x.Ht.dispose();
  x.b?.dispose();
}
