/**
 * A few ResNet18 training steps for the GPU check (scripts/gpu-check/check.ts): the trainer's
 * objective (src/train/ufmLoss.ts, THEORY.md §5) and Adam (src/train/optimizer.ts) on a seeded
 * batch, timed per step; the first loss is recomputed on the `cpu` backend (forward only) and
 * compared within u·Σ_l m_l·|loss| (the fan-in bound derived in tests/webgpu-train.test.ts).
 */
import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs';
import { type LoadedTfjs, loadTfjs, type Tf } from '../../src/tfjs/backend.ts';
import { disposeBackbone } from '../../src/train/backbone.ts';
import { createOptimizer } from '../../src/train/optimizer.ts';
import { createResNet18, resnet18FanIns } from '../../src/train/resnet18.ts';
import { seededNormal, seededSymmetricUniform } from '../../src/train/seeded.ts';
import { minibatchObjective } from '../../src/train/ufmLoss.ts';

const K = 10;
const REG = { lambdaW: 5e-3, lambdaH: 5e-4, weightDecay: 5e-4 };
const N_TRAIN = 3000;

/** Losses of `steps` Adam steps (`forwardOnly`: the first loss only) and seconds per step. */
async function run(tf: Tf, width: number, batch: number, steps: number, forwardOnly: boolean) {
  const net = createResNet18(tf, { kind: 'resnet18', width }, 11);
  const d = net.featureDim;
  const W = tf.variable(tf.tensor(seededSymmetricUniform(K * d, 1 / Math.sqrt(d), 11, 'classifier'), [K, d], 'float32'));
  const vars: Variable[] = [...net.params.map((p) => p.variable), W];
  const optimizer = createOptimizer(tf, { kind: 'adam', lr: 1e-3 }, vars);
  const x = tf.tensor(seededNormal(batch * 3072, 1, 11, 'inputs'), [batch, 32, 32, 3], 'float32');
  const oneHot = tf.oneHot(tf.tensor1d(Int32Array.from({ length: batch }, (_, i) => i % K), 'int32'), K) as Tensor2D;
  const decayed = net.params.filter((p) => p.decay).map((p) => p.variable);
  const losses: number[] = [];
  const seconds: number[] = [];
  try {
    for (let s = 0; s < (forwardOnly ? 1 : steps); s++) {
      const t0 = performance.now();
      const value = tf.tidy(() => {
        if (forwardOnly) return minibatchObjective(tf, net.features(x, true).h, W, oneHot, N_TRAIN, REG, decayed);
        let updates: { variable: Variable; value: Tensor }[] = [];
        const { value: v, grads } = tf.variableGrads(() => {
          const f = net.features(x, true);
          updates = f.updates.map((u) => ({ variable: u.variable, value: tf.keep(u.value) }));
          return minibatchObjective(tf, f.h, W, oneHot, N_TRAIN, REG, decayed);
        }, vars);
        optimizer.apply(vars.map((u) => grads[u.name]), 1e-3);
        for (const u of updates) { u.variable.assign(u.value); u.value.dispose(); }
        return v;
      });
      losses.push((await value.data())[0]);
      value.dispose();
      seconds.push((performance.now() - t0) / 1000);
    }
  } finally {
    tf.dispose([x, oneHot, W]);
    optimizer.dispose();
    disposeBackbone(net);
  }
  return { losses, seconds };
}

/**
 * ResNet18 steps on `env` (webgpu), the first loss checked on cpu.
 *
 * @example
 * ```ts
 * const r = await resnetSteps(env, { width: 8, batch: 8, steps: 1 }); // r.firstLossError ≤ r.firstLossBound
 * ```
 */
export async function resnetSteps(env: LoadedTfjs, o: { width: number; batch: number; steps: number }) {
  const gpu = await run(env.tf, o.width, o.batch, o.steps, false);
  const t0 = performance.now();
  const cpu = await run((await loadTfjs('cpu')).tf, o.width, o.batch, 1, true);
  const cpuSeconds = (performance.now() - t0) / 1000;
  await loadTfjs(env.backend as 'webgpu');
  return {
    ...o,
    losses: gpu.losses,
    secondsPerStep: gpu.seconds,
    cpuFirstLoss: cpu.losses[0],
    cpuForwardSeconds: cpuSeconds,
    firstLossError: Math.abs(gpu.losses[0] - cpu.losses[0]),
    firstLossBound: 2 ** -24 * resnet18FanIns(o.width) * Math.abs(cpu.losses[0]),
  };
}
