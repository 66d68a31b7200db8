import { describe, expect, it } from 'vitest';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { CIFAR10_PIXELS, type Cifar10Set } from '../src/data/cifar10.ts';
import { isInputError } from '../src/errors.ts';
import { fromRows, type Dense } from '../src/linalg/dense.ts';
import { classLayout } from '../src/problem/layout.ts';
import { ufmObjective } from '../src/problem/objective.ts';
import { loadTfjs } from '../src/tfjs/backend.ts';
import { learningRate } from '../src/train/config.ts';
import { channelStatistics, normalisedInputs } from '../src/train/dataset.ts';
import { linear } from '../src/train/linear.ts';
import { disposeBackbone } from '../src/train/backbone.ts';
import { createMlp } from '../src/train/mlp.ts';
import { createOptimizer } from '../src/train/optimizer.ts';
import { metricSvg, runHtml } from '../src/train/plot.ts';
import { createProgress, progressText } from '../src/train/progress.ts';
import { createResNet18 } from '../src/train/resnet18.ts';
import { seededNormal, seededPermutation, seededUniform } from '../src/train/seeded.ts';
import { convertPaperLambdas, minibatchObjective } from '../src/train/ufmLoss.ts';

const { tf } = await loadTfjs('wasm');

/** A random non-negative d×N feature matrix and a K×d classifier (seeded). */
function randomProblem(d: number, n: number[], seed: number): { H: Dense; W: Dense } {
  const u = seededUniform(seed, 'problem');
  const N = n.reduce((a, b) => a + b, 0);
  const H = fromRows(Array.from({ length: d }, () => Array.from({ length: N }, () => 2 * u())));
  const W = fromRows(Array.from({ length: n.length }, () => Array.from({ length: d }, () => u() - 0.5)));
  return { H, W };
}

/** Column i of H as a 1×d row-major tensor batch, for the columns in `cols`. */
function batchOf(H: Dense, cols: number[]): Tensor2D {
  const out = new Float32Array(cols.length * H.rows);
  cols.forEach((c, b) => {
    for (let r = 0; r < H.rows; r++) out[b * H.rows + r] = H.data[r * H.cols + c];
  });
  return tf.tensor2d(out, [cols.length, H.rows]);
}

describe('convertPaperLambdas (Dang et al. 2024 code → THEORY.md scaling)', () => {
  it('twice the paper loss averaged over the batches of a partition equals f(W, H) with the converted λ', () => {
    const n = [3, 5, 8];
    const layout = classLayout(n);
    const { H, W } = randomProblem(4, n, 1);
    const B = 4; // N = 16: four full batches
    const paper = { lambdaW: 3e-2, lambdaH: 7e-3, batchSize: B, N: layout.N };
    const conv = convertPaperLambdas(paper);
    const perm = Array.from(seededPermutation(layout.N, 1, 'partition'));
    let wsq = 0;
    for (const v of W.data) wsq += v * v;
    // The paper's per-batch loss written from its definition, in float64: CE/2 + (λ'_W/2)‖W‖² + (λ'_H/2)Σ_batch‖h‖².
    let mean = 0;
    for (let s = 0; s < layout.N; s += B) {
      const cols = perm.slice(s, s + B);
      let ce = 0;
      let hsq = 0;
      for (const c of cols) {
        const z = Array.from({ length: W.rows }, (_, k) => Array.from({ length: H.rows }, (_, r) => W.data[k * W.cols + r] * H.data[r * H.cols + c]).reduce((a, b) => a + b, 0));
        const m = Math.max(...z);
        ce += m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0)) - z[layout.labels[c]];
        for (let r = 0; r < H.rows; r++) hsq += H.data[r * H.cols + c] ** 2;
      }
      mean += (0.5 * (ce / B) + (paper.lambdaW / 2) * wsq + (paper.lambdaH / 2) * hsq) / (layout.N / B);
    }
    const f = ufmObjective(W, H, layout, conv);
    // float64 sums of 16 terms of size ~10: agreement to ~1e-14 relative; 1e-12 leaves room.
    expect(Math.abs(conv.objectiveScale * mean - f)).toBeLessThan(1e-12 * Math.abs(f));
  });

  it('gives λ_W = 2λ′_W and λ_H = 2Bλ′_H/N on the paper setting', () => {
    const c = convertPaperLambdas({ lambdaW: 1e-4, lambdaH: 1e-5, batchSize: 256, N: 3000 });
    expect(c.lambdaW).toBeCloseTo(2e-4, 18);
    expect(c.lambdaH).toBeCloseTo((2 * 256 * 1e-5) / 3000, 18);
    expect(c.note).toContain('λ_H = 2Bλ\'_H/N');
  });

  it('rejects a non-positive batch size', () => {
    try {
      convertPaperLambdas({ lambdaW: 1e-4, lambdaH: 1e-5, batchSize: 0, N: 3000 });
      expect.unreachable();
    } catch (e) {
      expect(isInputError(e)).toBe(true);
    }
  });
});

describe('minibatchObjective (THEORY.md §5 scaling)', () => {
  const n = [2, 3, 5];
  const layout = classLayout(n);
  const { H, W } = randomProblem(6, n, 2);
  const reg = { lambdaW: 0.03, lambdaH: 0.02, weightDecay: 0 };
  const Wt = tf.tensor2d(Float32Array.from(W.data), [W.rows, W.cols]);
  const lossOf = (cols: number[]) =>
    tf.tidy(() => minibatchObjective(tf, batchOf(H, cols), Wt, tf.oneHot(tf.tensor1d(cols.map((c) => layout.labels[c]), 'int32'), layout.K) as Tensor2D, layout.N, reg, []).dataSync()[0]);
  const f = ufmObjective(W, H, layout, reg);
  // float32 evaluation of O(10)-sized sums: relative error ≲ 1e-6; 1e-5 leaves a margin.
  const tol = 1e-5 * Math.abs(f);

  it('on the full batch equals f(W, H) = (1/N)ΣCE + (λ_W/2)‖W‖² + (λ_H/2)‖H‖²', () => {
    expect(Math.abs(lossOf(Array.from({ length: layout.N }, (_, i) => i)) - f)).toBeLessThan(tol);
  });

  it('averaged over the batches of a partition equals f(W, H) (an unbiased estimate)', () => {
    const perm = Array.from(seededPermutation(layout.N, 3, 'partition'));
    const batches = [perm.slice(0, 5), perm.slice(5)];
    const mean = batches.reduce((s, b) => s + lossOf(b), 0) / batches.length;
    expect(Math.abs(mean - f)).toBeLessThan(tol);
    // …while one batch alone does not (the check can fail)
    expect(Math.abs(lossOf(batches[0]) - f)).toBeGreaterThan(tol);
  });

  it('adds (weightDecay/2)Σ‖θ‖² for the decayed tensors', () => {
    const theta = tf.tensor1d([3, 4]);
    const cols = Array.from({ length: layout.N }, (_, i) => i);
    const withDecay = tf.tidy(() =>
      minibatchObjective(tf, batchOf(H, cols), Wt, tf.oneHot(tf.tensor1d(cols.map((c) => layout.labels[c]), 'int32'), layout.K) as Tensor2D, layout.N, { ...reg, weightDecay: 0.1 }, [theta]).dataSync()[0],
    );
    expect(Math.abs(withDecay - f - 0.05 * 25)).toBeLessThan(tol);
  });
});

describe('linear (explicit-transpose gradient)', () => {
  it('has the same value and gradients as tf.matMul', () => {
    const x = tf.tensor2d(seededNormal(5 * 7, 1, 1, 'x'), [5, 7]);
    const A = tf.tensor2d(seededNormal(7 * 3, 1, 1, 'A'), [7, 3]);
    const loss = (f: (a: Tensor2D, b: Tensor2D) => Tensor2D) => (...args: Tensor[]) => tf.sum(tf.square(f(args[0] as Tensor2D, args[1] as Tensor2D)));
    const [gx1, gA1] = tf.grads(loss((a, b) => tf.matMul(a, b)))([x, A]);
    const [gx2, gA2] = tf.grads(loss((a, b) => linear(tf, a, b)))([x, A]);
    // float32 products of 7 terms: relative error ≲ 1e-6
    const close = (p: Float32Array | Int32Array | Uint8Array, q: Float32Array | Int32Array | Uint8Array) =>
      Array.from(p).every((v, i) => Math.abs(v - q[i]) <= 1e-5 * (1 + Math.abs(q[i])));
    expect(close(gx2.dataSync(), gx1.dataSync())).toBe(true);
    expect(close(gA2.dataSync(), gA1.dataSync())).toBe(true);
    const [gx3] = tf.grads(loss((a, b) => linear(tf, a, b, false)))([x, A]);
    expect(Array.from(gx3.dataSync()).every((v) => v === 0)).toBe(true);
  });
});

describe('optimizer', () => {
  /** Float64 Adam on f(θ) = Σ (θ_i − c_i)², the reference. */
  function adamReference(theta: number[], c: number[], steps: number, lr: number): number[] {
    const m = theta.map(() => 0);
    const v = theta.map(() => 0);
    const t = theta.slice();
    for (let s = 1; s <= steps; s++) {
      t.forEach((x, i) => {
        const g = 2 * (x - c[i]);
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.999 * v[i] + 0.001 * g * g;
        t[i] = x - (lr * (m[i] / (1 - 0.9 ** s))) / (Math.sqrt(v[i] / (1 - 0.999 ** s)) + 1e-8);
      });
    }
    return t;
  }

  function run(opt: ReturnType<typeof createOptimizer>, v: ReturnType<typeof tf.variable>, c: number[], steps: number, lr: number): void {
    const target = tf.tensor1d(c);
    for (let s = 0; s < steps; s++) {
      const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.sub(v, target))), [v]);
      opt.apply([grads[v.name]], lr);
      grads[v.name].dispose();
    }
  }

  it('Adam follows the float64 reference update', () => {
    const c = [1, -2, 0.5];
    const v = tf.variable(tf.tensor1d([0, 0, 0]));
    run(createOptimizer(tf, { kind: 'adam', lr: 0.1 }, [v]), v, c, 5, 0.1);
    const ref = adamReference([0, 0, 0], c, 5, 0.1);
    // float32 state: ~1e-7 relative per step, 5 steps, values O(1)
    Array.from(v.dataSync()).forEach((x, i) => expect(Math.abs(x - ref[i])).toBeLessThan(1e-5));
  });

  it('SGD with momentum: u ← μu + g, θ ← θ − lr u', () => {
    const v = tf.variable(tf.tensor1d([0]));
    run(createOptimizer(tf, { kind: 'sgd', lr: 0.1, momentum: 0.5 }, [v]), v, [1], 2, 0.1);
    // step 1: g = −2, u = −2, θ = 0.2; step 2: g = −1.6, u = −2.6, θ = 0.46
    expect(v.dataSync()[0]).toBeCloseTo(0.46, 6);
  });

  it('a restored state continues bit for bit', async () => {
    const c = [0.3, -0.7];
    const a = tf.variable(tf.tensor1d([0, 0]));
    const optA = createOptimizer(tf, { kind: 'adam', lr: 0.05 }, [a]);
    run(optA, a, c, 3, 0.05);
    const saved = { state: await optA.state(), theta: Float32Array.from(a.dataSync()) };
    run(optA, a, c, 4, 0.05);
    const b = tf.variable(tf.tensor1d(saved.theta));
    const optB = createOptimizer(tf, { kind: 'adam', lr: 0.05 }, [b]);
    optB.restore(saved.state);
    run(optB, b, c, 4, 0.05);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
  });

  it('rejects a non-positive learning rate', () => {
    expect(() => createOptimizer(tf, { kind: 'adam', lr: 0 }, [])).toThrow(/lr: must be a finite number > 0/);
  });
});

describe('seeded randomness', () => {
  it('a permutation is reproducible, a permutation, and differs between epochs', () => {
    const p = seededPermutation(50, 7, 'shuffle/epoch-1');
    expect(Array.from(p)).toEqual(Array.from(seededPermutation(50, 7, 'shuffle/epoch-1')));
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(p)).not.toEqual(Array.from(seededPermutation(50, 7, 'shuffle/epoch-2')));
  });

  it('normal samples have mean ≈ 0 and variance ≈ std²', () => {
    const x = seededNormal(20000, 2, 1, 'n');
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length;
    // standard errors: mean 2/sqrt(2e4) ≈ 0.014, variance 4·sqrt(2/2e4) ≈ 0.04; 5 s.e. bounds
    expect(Math.abs(mean)).toBeLessThan(0.07);
    expect(Math.abs(variance - 4)).toBeLessThan(0.2);
  });
});

describe('learning-rate schedules', () => {
  const adam = { kind: 'adam', lr: 1 } as const;
  it('cosine goes from lr at epoch 1 towards minLr', () => {
    expect(learningRate(adam, { kind: 'cosine', minLr: 0.1 }, 1, 10)).toBe(1);
    expect(learningRate(adam, { kind: 'cosine', minLr: 0.1 }, 6, 10)).toBeCloseTo(0.55, 12);
  });
  it('step multiplies by gamma after each milestone', () => {
    const s = { kind: 'step', milestones: [3, 5], gamma: 0.1 } as const;
    expect([3, 4, 5, 6].map((e) => learningRate(adam, s, e, 10))).toEqual([1, 0.1, 0.1, 0.1 * 0.1]);
  });
});

describe('input normalisation', () => {
  const count = 4;
  const pixels = new Uint8Array(count * CIFAR10_PIXELS);
  const u = seededUniform(5, 'pixels');
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(256 * u());
  const set: Cifar10Set = { source: 'synthetic', count, labels: new Uint8Array(count), pixels, classCounts: [count, 0, 0, 0, 0, 0, 0, 0, 0, 0] };

  it('gives each channel mean 0 and standard deviation 1 over the training set', () => {
    const x = normalisedInputs(set, channelStatistics(set), 'chw');
    for (let c = 0; c < 3; c++) {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < count; i++) for (let p = 0; p < 1024; p++) {
        const v = x[i * CIFAR10_PIXELS + c * 1024 + p];
        s += v;
        s2 += v * v;
      }
      const n = count * 1024;
      // float32 storage of O(1) values: mean and variance exact to ~1e-6
      expect(Math.abs(s / n)).toBeLessThan(1e-5);
      expect(Math.abs(s2 / n - 1)).toBeLessThan(1e-4);
    }
  });

  it('NHWC puts channel c of pixel p at p·3 + c', () => {
    const norm = channelStatistics(set);
    const chw = normalisedInputs(set, norm, 'chw');
    const nhwc = normalisedInputs(set, norm, 'nhwc');
    const i = 2;
    const p = 517;
    for (let c = 0; c < 3; c++) expect(nhwc[i * 3072 + p * 3 + c]).toBe(chw[i * 3072 + c * 1024 + p]);
  });
});

describe('backbones', () => {
  it('the MLP gives non-negative d-dimensional features', () => {
    const net = createMlp(tf, 3072, { kind: 'mlp', hidden: [32, 16] }, 1);
    const h = net.features(tf.tensor2d(seededNormal(3 * 3072, 1, 1, 'x'), [3, 3072]), true).h;
    expect(h.shape).toEqual([3, 16]);
    expect(Math.min(...h.dataSync())).toBeGreaterThanOrEqual(0);
    expect(net.params.filter((p) => p.decay).map((p) => p.name)).toEqual(['layer0/kernel', 'layer1/kernel']);
  });

  it('creating and disposing a backbone leaves no tensor behind (makeParam releases its initial tensor)', () => {
    const before = tf.memory().numTensors;
    disposeBackbone(createMlp(tf, 3072, { kind: 'mlp', hidden: [32, 16] }, 1));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('ResNet18 (CIFAR variant): 8·width non-negative features, 20 batch norms, 11.17 M parameters at width 64', async () => {
    const { tf: cpu } = await loadTfjs('cpu');
    const net = createResNet18(cpu, { kind: 'resnet18', width: 2 }, 1);
    const { h, updates } = net.features(cpu.tensor4d(seededNormal(2 * 32 * 32 * 3, 1, 1, 'img'), [2, 32, 32, 3]), true);
    expect(h.shape).toEqual([2, 16]);
    expect(Math.min(...h.dataSync())).toBeGreaterThanOrEqual(0);
    // stem + 8 blocks × 2 + 3 shortcuts = 20 batch norms, each updating running mean and variance
    expect(updates.length).toBe(40);
    expect(net.buffers.length).toBe(40);
    // He et al.'s CIFAR ResNet18 at width 64 has 11,168,832 parameters without the classifier:
    // convs 3·3·(3·64 + 4·64² + 64·128 + 3·128² + 128·256 + 3·256² + 256·512 + 3·512²) + shortcuts
    // (64·128 + 128·256 + 256·512) + BN 2·(64·5 + 128·5 + 256·5 + 512·5); counted here at width 2 by the same formula.
    const count = (w: number) =>
      9 * (3 * w + 4 * w * w + w * 2 * w + 3 * 4 * w * w + 2 * w * 4 * w + 3 * 16 * w * w + 4 * w * 8 * w + 3 * 64 * w * w) +
      (w * 2 * w + 2 * w * 4 * w + 4 * w * 8 * w) +
      2 * 5 * (w + 2 * w + 4 * w + 8 * w);
    expect(count(64)).toBe(11_168_832);
    expect(net.params.reduce((s, p) => s + p.variable.size, 0)).toBe(count(2));
    await loadTfjs('wasm');
  });
});

describe('progress line', () => {
  it('shows epoch, ETA from this session, NC1 and accuracy', () => {
    expect(progressText({ epoch: 3, epochs: 100, sessionSeconds: 6, sessionEpochs: 3, nc1: 0.4, trainAccuracy: 0.5, testAccuracy: 0.25 })).toBe(
      'epoch 3/100  eta 3m14s  NC1 0.400  train 50.0%  test 25.0%',
    );
  });

  it('rewrites one line with \\r on a terminal, prints plain lines elsewhere', () => {
    const info = (epoch: number) => ({ epoch, epochs: 20, sessionSeconds: epoch, sessionEpochs: epoch, nc1: 1, trainAccuracy: 1 });
    const saved = process.env.CI;
    delete process.env.CI;
    try {
      const tty: string[] = [];
      const p = createProgress({ write: (s: string) => tty.push(s), isTTY: true });
      for (let e = 1; e <= 20; e++) p.update(info(e));
      p.done();
      expect(tty).toHaveLength(21);
      expect(tty.slice(0, 20).every((s) => s.startsWith('\r') && !s.includes('\n'))).toBe(true);
      const pipe: string[] = [];
      const q = createProgress({ write: (s: string) => pipe.push(s) }, 10);
      for (let e = 1; e <= 20; e++) q.update(info(e));
      q.done();
      expect(pipe.map((s) => s.split(' ')[1])).toEqual(['1/20', '10/20', '20/20']);
      expect(pipe.every((s) => s.endsWith('\n') && !s.includes('\r'))).toBe(true);
    } finally {
      if (saved !== undefined) process.env.CI = saved;
    }
  });
});

describe('plots', () => {
  const records = [0, 1, 2].map((epoch) => ({ epoch, nc1: 10 ** -epoch, classMeanNorms: Array.from({ length: 10 }, (_, k) => k + epoch) }));
  it('draws one line per class for a per-class metric', () => {
    expect(metricSvg(records, 'classMeanNorms').match(/<path /g)).toHaveLength(10);
  });
  it('puts NC1 on a log scale (tick labels 1, 0.1, 0.01)', () => {
    const svg = metricSvg(records, 'nc1');
    for (const label of ['>1<', '>0.1<', '>0.01<']) expect(svg).toContain(label);
  });
  it('writes a self-contained page with a chart per numeric metric', () => {
    const html = runHtml('r', records, { backend: 'wasm' });
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('"backend": "wasm"');
  });
});

describe('free features (the exact UFM+ backbone)', async () => {
  const { loadTfjs } = await import('../src/tfjs/backend.ts');
  const { createFreeFeatures, indexInputs } = await import('../src/train/freeFeatures.ts');
  const { tf } = await loadTfjs('cpu');
  it('row i of the features belongs to record i; |f| keeps them ≥ 0, nonNegative false does not', () => {
    const pos = createFreeFeatures(tf, 5, { kind: 'free', d: 3 }, 1);
    const raw = createFreeFeatures(tf, 5, { kind: 'free', d: 3, nonNegative: false }, 1);
    raw.params[0].variable.assign(tf.neg(raw.params[0].variable));
    pos.params[0].variable.assign(raw.params[0].variable);
    const x = tf.gather(indexInputs(tf, 5), tf.tensor1d([4, 1], 'int32'));
    const hp = Array.from(pos.features(x, true).h.dataSync());
    const hr = Array.from(raw.features(x, true).h.dataSync());
    const F = raw.params[0].variable.dataSync();
    expect(hr).toEqual([...Array.from(F.subarray(12, 15)), ...Array.from(F.subarray(3, 6))]);
    expect(hr.every((v) => v < 0)).toBe(true);
    expect(hp).toEqual(hr.map(Math.abs));
  });
});
