/**
 * Issue 18 item 4: why the smoke run's classifier rows are not centred. The cross-entropy's
 * gradient in the logits sums to 0 over the classes (softmax − one-hot), so
 * Σ_k ∂f/∂w_k = λ_W Σ_k w_k exactly: plain or heavy-ball SGD started from a centred W keeps
 * Σ_k w_k = 0 up to float32 rounding, whereas Adam's per-coordinate scaling (features H ≥ 0, so the
 * coordinates' gradient magnitudes differ by class) breaks the cancellation and un-centres W.
 * Reproduced with the trainer's own loss (minibatchObjective) and optimizer on fixed ReLU-like
 * features (H ≥ 0), so only the classifier moves.
 */
import type { Tensor2D } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { CIFAR10_CLASSES } from '../src/data/cifar10.ts';
import type { Dense } from '../src/linalg/dense.ts';
import { centredRows, classifierCentring } from '../src/metrics/paperChecks.ts';
import { loadTfjs } from '../src/tfjs/backend.ts';
import { createOptimizer, type OptimizerConfig } from '../src/train/optimizer.ts';
import { seededNormal, seededPermutation, seededUniform } from '../src/train/seeded.ts';
import { minibatchObjective } from '../src/train/ufmLoss.ts';

const { tf } = await loadTfjs('wasm');
const K = CIFAR10_CLASSES;
const d = 16;
const N = 120;
const B = 20;
const STEPS = 150;
const reg = { lambdaW: 1e-2, lambdaH: 1e-4, weightDecay: 0 };
/** float32 unit roundoff. */
const EPS32 = 2 ** -24;

/** Non-negative features: class k's samples are uniform noise plus a bump on coordinate k mod d. */
function features(): { h: Float32Array; labels: Int32Array } {
  const u = seededUniform('centring', 'features');
  const labels = Int32Array.from({ length: N }, (_, i) => i % K);
  const h = new Float32Array(N * d);
  for (let i = 0; i < N; i++) for (let r = 0; r < d; r++) h[i * d + r] = u() + (r === labels[i] % d ? 2 : 0);
  return { h, labels };
}

function centredInit(): Float32Array {
  const W: Dense = { rows: K, cols: d, data: Float64Array.from(seededNormal(K * d, 0.3, 'centring', 'W')) };
  return Float32Array.from(centredRows(W).data);
}

async function train(config: OptimizerConfig): Promise<number> {
  const { h, labels } = features();
  const H = tf.tensor2d(h, [N, d]);
  const Y = tf.oneHot(tf.tensor1d(labels, 'int32'), K) as Tensor2D;
  const W = tf.variable(tf.tensor2d(centredInit(), [K, d]));
  const opt = createOptimizer(tf, config, [W]);
  for (let s = 0; s < STEPS; s++) {
    const idx = seededPermutation(N, 'centring', `batch-${s}`).subarray(0, B);
    tf.tidy(() => {
      const hb = tf.gather(H, tf.tensor1d(idx, 'int32')) as Tensor2D;
      const yb = tf.gather(Y, tf.tensor1d(idx, 'int32')) as Tensor2D;
      const { grads } = tf.variableGrads(() => minibatchObjective(tf, hb, W, yb, N, reg, []), [W]);
      opt.apply([grads[W.name]], config.lr);
    });
  }
  const w = Float64Array.from((await W.data()) as Float32Array);
  opt.dispose();
  W.dispose();
  H.dispose();
  Y.dispose();
  return classifierCentring({ rows: K, cols: d, data: w });
}

describe('classifier centring under SGD and Adam (issue 18 item 4)', () => {
  it('Σ_k ∂f/∂w_k = λ_W Σ_k w_k exactly: the cross-entropy part cancels over the classes', () => {
    const { h, labels } = features();
    const W = tf.variable(tf.tensor2d(seededNormal(K * d, 0.3, 'centring', 'uncentred'), [K, d]));
    const g = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => minibatchObjective(tf, tf.tensor2d(h, [N, d]), W, tf.oneHot(tf.tensor1d(labels, 'int32'), K) as Tensor2D, N, reg, []), [W]);
      return tf.sub(tf.sum(grads[W.name], 0), tf.mul(tf.sum(W, 0), reg.lambdaW));
    });
    const residual = Math.max(...Array.from(g.dataSync()).map(Math.abs));
    // float32: the K per-class gradients are O(1) (softmax − one-hot ≤ 1 times h ≤ 3) and summed
    // over K rows, so the cancellation leaves at most ≈ K · 3 · ε32 per term; 100 ε32 bounds it.
    expect(residual).toBeLessThan(100 * EPS32);
    g.dispose();
    W.dispose();
  });

  it('SGD (with momentum) from a centred W stays centred to float32 rounding; Adam un-centres it by orders of magnitude more', async () => {
    const sgd = await train({ kind: 'sgd', lr: 0.05, momentum: 0.9 });
    const adam = await train({ kind: 'adam', lr: 0.05 });
    console.log(`classifier centring ‖Σ w_k‖/rms‖w_k‖ after ${STEPS} steps from a centred W: SGD ${sgd.toExponential(2)}, Adam ${adam.toExponential(2)} (random rows: ≈ √K = ${Math.sqrt(K).toFixed(2)})`);
    // Rounding bound for SGD: each step adds at most ≈ K ε32 |update| to Σ w_k, and the updates
    // are below the rows' size, so after STEPS steps the relative residue is ≤ STEPS · K · ε32 ≈ 9e-5.
    expect(sgd).toBeLessThan(STEPS * K * EPS32);
    expect(adam).toBeGreaterThan(1e-2);
    expect(adam).toBeGreaterThan(100 * sgd);
  });
});
