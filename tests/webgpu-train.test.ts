/**
 * Training on webgpu matches the pure-JS `cpu` backend: the same seeded MLP and reduced-width
 * ResNet18 (src/train/mlp.ts, resnet18.ts; width 4), the same batch, the trainer's objective
 * (src/train/ufmLoss.ts, THEORY.md §5) and optimizer (src/train/optimizer.ts), a few Adam steps;
 * the loss before and after each step must agree.
 *
 * Tolerance (first-order forward-error analysis, float32 unit round-off u = 2⁻²⁴): a layer whose
 * outputs are dot products of length m (its fan-in) adds a relative error ≤ γ_m ≈ m·u to them
 * whatever the summation order (Higham, Accuracy and Stability of Numerical Algorithms, §3.1);
 * ReLU, pooling and batch norm (scale-invariant) do not amplify relative error to first order, so
 * two float32 backends' losses differ by at most u·Σ_l m_l·|loss| over the layers l of the network
 * (≈ 2·10⁻⁴ relative for these networks). The Adam steps in between see the same gradients up to
 * the same relative error; a step moves each weight by at most lr, so the difference they add to the
 * next loss is of the same order. A wrong kernel changes the loss by O(1)·|loss|. Measured when
 * written (lavapipe): MLP losses 29.07 → 3.49 over 3 steps, |Δ| ≤ 4e-6 (1.3e-7 relative) against a
 * bound of 5e-3.
 *
 * Sizes: ResNet18 width 8 takes ~2 s per step (batch 16) on lavapipe and ~40 s on cpu, whose
 * Conv2DBackpropFilter is a scalar loop (slow/README.md); width 4, batch 4, one step keeps the pair at
 * ~7 s here (width 8, batch 8 took ~80 s), and the loss bound scales with the width's fan-ins.
 * Without a WebGPU adapter the file prints one line and its tests count as skipped.
 */
import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadTfjs, type Tf } from '../src/tfjs/backend.ts';
import type { Backbone } from '../src/train/backbone.ts';
import { disposeBackbone } from '../src/train/backbone.ts';
import { createMlp } from '../src/train/mlp.ts';
import { createOptimizer } from '../src/train/optimizer.ts';
import { createResNet18, resnet18FanIns } from '../src/train/resnet18.ts';
import { seededNormal, seededSymmetricUniform } from '../src/train/seeded.ts';
import { minibatchObjective } from '../src/train/ufmLoss.ts';
import { webgpuOrSkip } from './_helpers/webgpu.ts';

const gpu = await webgpuOrSkip('tests/webgpu-train.test.ts');

const U = 2 ** -24;
const K = 4;
const REG = { lambdaW: 5e-3, lambdaH: 5e-4, weightDecay: 5e-4 };
/** N, the training-set size in the objective's λ_H scaling (THEORY.md §5). */
const N_TRAIN = 3000;

interface Case {
  readonly name: string;
  readonly make: (tf: Tf) => Backbone;
  readonly inputShape: readonly number[];
  readonly batch: number;
  readonly steps: number;
  /** Σ_l m_l: the fan-ins of the layers on the path to the loss, classifier included. */
  readonly fanIns: number;
}


const CASES: Case[] = [
  { name: 'MLP 3072-64-32', make: (tf) => createMlp(tf, 3072, { kind: 'mlp', hidden: [64, 32] }, 5), inputShape: [3072], batch: 16, steps: 3, fanIns: 3072 + 64 + 32 },
  { name: 'ResNet18 width 4', make: (tf) => createResNet18(tf, { kind: 'resnet18', width: 4 }, 5), inputShape: [32, 32, 3], batch: 4, steps: 1, fanIns: resnet18FanIns(4) },
];

/** The loss before each of `steps` Adam steps and after the last (`steps` + 1 values). */
async function losses(tf: Tf, c: Case): Promise<number[]> {
  const net = c.make(tf);
  const d = net.featureDim;
  const W = tf.variable(tf.tensor(seededSymmetricUniform(K * d, 1 / Math.sqrt(d), 5, 'classifier'), [K, d], 'float32'));
  const vars: Variable[] = [...net.params.map((p) => p.variable), W];
  const optimizer = createOptimizer(tf, { kind: 'adam', lr: 1e-3 }, vars);
  const size = c.inputShape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(seededNormal(c.batch * size, 1, 5, 'inputs'), [c.batch, ...c.inputShape], 'float32');
  const oneHot = tf.oneHot(tf.tensor1d(Int32Array.from({ length: c.batch }, (_, i) => i % K), 'int32'), K) as Tensor2D;
  const decayed = net.params.filter((p) => p.decay).map((p) => p.variable);
  const out: number[] = [];
  // Steps must not leak (the set-up's own initial tensors are src/train's business: tf.variable copies them).
  const tensors: number[] = [];
  try {
    for (let s = 0; s <= c.steps; s++) {
      const value = tf.tidy(() => {
        let updates: { variable: Variable; value: Tensor }[] = [];
        const { value: v, grads } = tf.variableGrads(() => {
          const f = net.features(x, true);
          updates = f.updates.map((u) => ({ variable: u.variable, value: tf.keep(u.value) }));
          return minibatchObjective(tf, f.h, W, oneHot, N_TRAIN, REG, decayed);
        }, vars);
        if (s < c.steps) {
          optimizer.apply(vars.map((u) => grads[u.name]), 1e-3);
          for (const u of updates) u.variable.assign(u.value);
        }
        for (const u of updates) u.value.dispose();
        return v;
      });
      out.push((await value.data())[0]);
      value.dispose();
      tensors.push(tf.memory().numTensors);
    }
  } finally {
    tf.dispose([x, oneHot, W]);
    optimizer.dispose();
    disposeBackbone(net);
  }
  expect(new Set(tensors).size).toBe(1);
  return out;
}

describe.skipIf(gpu === null)('training on webgpu = training on cpu within float32 error', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.steps} Adam step(s), batch ${c.batch}`, async () => {
      const onGpu = await losses((await loadTfjs('webgpu')).tf, c);
      const onCpu = await losses((await loadTfjs('cpu')).tf, c);
      await loadTfjs('webgpu');
      expect(onGpu.length).toBe(c.steps + 1);
      onGpu.forEach((l, s) => {
        const bound = U * c.fanIns * Math.abs(onCpu[s]);
        expect(Math.abs(l - onCpu[s]), `loss ${s}: webgpu ${l}, cpu ${onCpu[s]}, bound ${bound}`).toBeLessThanOrEqual(bound);
      });
      // The steps changed the loss by more than the bound, so the comparison covers the gradients too.
      expect(Math.abs(onCpu[c.steps] - onCpu[0])).toBeGreaterThan(U * c.fanIns * Math.abs(onCpu[0]));
    }, 600_000); // the cpu ResNet18 step: ~75 s on an idle 2-core machine, more under load
  }
});
