import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { InputError } from '../errors.ts';
import type { Tf } from '../tfjs/backend.ts';
import { type Backbone, makeParam } from './backbone.ts';
import { seededUniform } from './seeded.ts';

/**
 * The exact UFM+ "backbone" (issue 18 item 6): one free feature vector per training sample,
 * h_i = |f_i| ≥ 0 (every H ≥ 0 is reachable; unlike ReLU(f), a coordinate pushed below 0 is not
 * stuck at zero gradient, which killed the smallest classes in a trial), so that the trainer's loop, loss, optimizer and λ conversion are checked
 * against the closed form of THEORY.md §1 with nothing else in between. The input of a sample is
 * its record index (a [B, 1] tensor, see {@link indexInputs}).
 */
export interface FreeFeaturesConfig {
  readonly kind: 'free';
  /** The feature dimension d (≥ K). */
  readonly d: number;
  /**
   * true (default): h = |f|, the UFM+ of THEORY.md §1. false: h = f, features that may go
   * negative (plain UFM) — the "features before ReLU" broken trainer, kept for the checks.
   */
  readonly nonNegative?: boolean;
}

/**
 * Free features for `N` samples, initialised uniform on [0, 2/√d) per coordinate from the seed
 * (‖h_i‖ ≈ 1.15 at the start). The features are parameters without weight decay: their penalty is
 * the UFM's (Nλ_H/2)‖h_i‖² in the loss.
 *
 * @throws {@link InputError} for d or N not a positive integer
 * @example
 * ```ts
 * const net = createFreeFeatures(tf, 3000, { kind: 'free', d: 10 }, 1);
 * net.features(tf.tensor2d([[0], [7]]), true).h; // 2×10, rows 0 and 7 of |F|
 * ```
 */
export function createFreeFeatures(tf: Tf, N: number, config: FreeFeaturesConfig, seed: number | string): Backbone {
  if (!Number.isInteger(config.d) || config.d <= 0) throw new InputError('backbone.d', 'must be a positive integer', `got ${config.d}`);
  if (!Number.isInteger(N) || N <= 0) throw new InputError('N', 'must be a positive integer', `got ${N}`);
  const u = seededUniform(seed, 'free-features');
  const a = 2 / Math.sqrt(config.d);
  const F = makeParam(tf, 'features', Float32Array.from({ length: N * config.d }, () => a * u()), [N, config.d], false);
  const nonNegative = config.nonNegative ?? true;
  return {
    kind: 'free',
    featureDim: config.d,
    inputShape: [1],
    params: [F],
    buffers: [],
    features(x: Tensor) {
      // one-hot(index) · F rather than gather: tfjs-backend-wasm 4.22 has no gradient kernel for gather
      const pick = tf.oneHot(tf.cast(tf.reshape(x, [-1]), 'int32'), N) as Tensor2D;
      const rows = tf.matMul(pick, F.variable as Tensor2D) as Tensor2D;
      return { h: nonNegative ? (tf.abs(rows) as Tensor2D) : rows, updates: [] };
    },
  };
}

/**
 * The inputs of the free-feature backbone: record i's input is the number i ([count, 1], float32,
 * exact for count < 2²⁴).
 *
 * @example
 * ```ts
 * indexInputs(tf, 3); // [[0], [1], [2]]
 * ```
 */
export function indexInputs(tf: Tf, count: number): Tensor2D {
  return tf.tensor2d(Float32Array.from({ length: count }, (_, i) => i), [count, 1]);
}
