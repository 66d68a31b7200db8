import type { Tf } from '../tfjs/backend.ts';
import type { TfBatch } from './batch.ts';
import { evaluateBatch, kktResidualBatch, type TfPoint } from './objective.ts';

type Tensor = import('@tensorflow/tfjs').Tensor;
type Tensor3D = import('@tensorflow/tfjs').Tensor3D;

/** Settings of {@link projectedAdam}. */
export interface AdamOptions {
  /** Iterations (gradient evaluations) at most. */
  readonly maxIterations: number;
  /** Peak step, in units of each block's natural scale (see blockSettings). */
  readonly learningRate: number;
  /** The step decays (cosine) to learningRate · finalFraction at maxIterations. */
  readonly finalFraction: number;
  /** Stop early when every instance's KKT residual (float32) is at most this. */
  readonly tolerance: number;
  /** Read the residuals back (one device sync) every this many iterations. */
  readonly checkEvery: number;
  /**
   * Also stop when, for every instance, the best f improved by less than this (relative) over the
   * last check window — the basin is found even if Adam's residual is not yet small.
   */
  readonly stallTolerance: number;
  /**
   * Fraction of maxIterations spent on a class-balanced warm-up: the sample weights move linearly
   * from 1/(K n_k) (every class weighs the same) to the objective's 1/N. 0: none.
   */
  readonly balancedWarmup: number;
  /** Which instances of the batch take the warm-up (default: all). */
  readonly warmupInstances?: readonly boolean[];
}

/** What {@link projectedAdam} returns: the final point (caller disposes it) and a trace. */
export interface AdamRun {
  readonly x: TfPoint;
  readonly iterations: number;
  /** f per instance at the returned point (float32). */
  readonly objective: Float32Array;
  /** KKT residual per instance at the returned point (float32). */
  readonly residual: Float32Array;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

/**
 * Per-instance step scales and ε (B×1×1 each). Scales: σ_W = (λ_H/λ_W)^{1/4}, σ_H = (λ_W/λ_H)^{1/4}
 * — the balance λ_W‖W‖² = λ_H‖H‖² holds at every stationary point of the factorised problem
 * (W → tW, H → H/t leaves Z unchanged), so these are the relative sizes of W and H there. ε of H
 * is ε/N_b because ∂f/∂h_i is O(1/N) (Adam's ε must stay below the gradient's scale).
 */
function blockSettings(tf: Tf, batch: TfBatch): { scaleW: Tensor3D; scaleH: Tensor3D; epsilonH: Tensor3D } {
  return tf.tidy(() => {
    const ratio = tf.pow(tf.div(batch.lambdaH, batch.lambdaW), 0.25) as Tensor3D;
    return { scaleW: ratio, scaleH: tf.reciprocal(ratio) as Tensor3D, epsilonH: tf.div(EPSILON, batch.sampleCounts) as Tensor3D };
  });
}

/**
 * Projected Adam (Kingma & Ba 2015) on every instance of a batch at once, in float32:
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², x ← P(x − η_t σ m̂/(√v̂ + ε)), P = projection onto
 * H ≥ 0 for UFM+ (identity for the plain UFM), σ and ε per block and instance (see
 * blockSettings). Adam's per-coordinate normalisation copes with the very different curvatures
 * of W and H; it is used only to reach the basin — the float64 solver polishes and certifies.
 * The bias corrections are folded into scalars, so one step costs 11 elementwise ops per block.
 *
 * `x0` is left to the caller; the returned point is new (caller disposes it). Every iteration
 * runs in one `tf.tidy`; the residuals are read back every `checkEvery` iterations only.
 *
 * @example
 * ```ts
 * const run = await projectedAdam(tf, batch, x0, {
 *   maxIterations: 2000, learningRate: 0.03, finalFraction: 1e-3, tolerance: 1e-5, stallTolerance: 1e-6, checkEvery: 100, balancedWarmup: 0,
 * });
 * ```
 */
export async function projectedAdam(tf: Tf, batch: TfBatch, x0: TfPoint, o: AdamOptions): Promise<AdamRun> {
  const settings = blockSettings(tf, batch);
  const blocks: Block[] = [
    { key: 'W', scale: settings.scaleW, epsilon: EPSILON, project: false },
    { key: 'Ht', scale: settings.scaleH, epsilon: settings.epsilonH, project: batch.nonNegative },
  ];
  if (x0.b !== null) blocks.push({ key: 'b', scale: 1, epsilon: EPSILON, project: false });
  let state: BlockState[] = blocks.map((blk) => {
    const t = x0[blk.key] as Tensor3D;
    return { x: tf.clone(t), m: tf.zerosLike(t), v: tf.zerosLike(t) };
  });
  const point = (): TfPoint => ({ W: state[0].x, Ht: state[1].x, b: state[2]?.x ?? null });
  let objective = new Float32Array(batch.B).fill(NaN);
  let residual = new Float32Array(batch.B).fill(NaN);
  let best = new Float32Array(batch.B).fill(Infinity);
  let t = 0;
  const warmup = Math.floor(o.balancedWarmup * o.maxIterations);
  let done = false;
  const warmMask = tf.tensor3d(Array.from({ length: batch.B }, (_, b) => (o.warmupInstances?.[b] ?? true ? 1 : 0)), [batch.B, 1, 1]);
  try {
    for (t = 1; t <= o.maxIterations; t++) {
      const c1 = 1 - BETA1 ** t;
      const c2 = Math.sqrt(1 - BETA2 ** t);
      const step = (o.learningRate * schedule(t, o) * c2) / c1;
      const alpha = warmup > 0 && t <= warmup ? 1 - t / warmup : 0;
      // No checks during the warm-up: the objective there is not f.
      const check = alpha === 0 && (t % o.checkEvery === 0 || t === o.maxIterations);
      const next = tf.tidy(() => {
        const weights =
          alpha > 0 ? (tf.add(batch.weights, tf.mul(tf.mul(alpha, warmMask), tf.sub(batch.balancedWeights, batch.weights))) as Tensor3D) : batch.weights;
        const ev = evaluateBatch(tf, batch, point(), true, weights);
        const g = ev.grad!;
        // tf.tidy keeps the tensors it finds in plain arrays and objects (not in a Map).
        const out: Tensor[] = [];
        blocks.forEach((blk, j) => {
          const s = state[j];
          const gk = g[blk.key] as Tensor3D;
          const m = tf.add(s.m, tf.mul(1 - BETA1, tf.sub(gk, s.m)));
          const v = tf.add(s.v, tf.mul(1 - BETA2, tf.sub(tf.square(gk), s.v)));
          // m̂/(√v̂ + ε) = (c2/c1) m / (√v + c2 ε), c1 = 1 − β₁ᵗ, c2 = √(1 − β₂ᵗ)
          const denominator = tf.add(tf.sqrt(v), tf.mul(blk.epsilon, c2));
          let x = tf.sub(s.x, tf.div(tf.mul(m, tf.mul(blk.scale, step)), denominator));
          if (blk.project) x = tf.relu(x);
          out.push(x, m, v);
        });
        if (check) out.push(tf.stack([ev.value, kktResidualBatch(tf, batch, point(), g)]));
        return out;
      });
      for (const s of state) { s.x.dispose(); s.m.dispose(); s.v.dispose(); }
      state = blocks.map((_, j) => ({ x: next[3 * j] as Tensor3D, m: next[3 * j + 1] as Tensor3D, v: next[3 * j + 2] as Tensor3D }));
      if (check) {
        const stats = next[3 * blocks.length];
        // Asynchronous read: webgpu has no dataSync under Node, and its guard checks Dawn's errors here.
        const flat = (await stats.data().finally(() => stats.dispose())) as Float32Array;
        objective = flat.slice(0, batch.B);
        residual = flat.slice(batch.B);
        if (residual.every((r) => r <= o.tolerance)) break;
        const stalled = objective.every((f, b) => !(best[b] - f > o.stallTolerance * Math.abs(f)));
        best = best.map((f, b) => Math.min(f, objective[b]));
        if (stalled) break;
      }
    }
    // f and the residual at the point returned (the checks saw the point before the last step).
    const stats = tf.tidy(() => {
      const ev = evaluateBatch(tf, batch, point(), true);
      return tf.stack([ev.value, kktResidualBatch(tf, batch, point(), ev.grad!)]);
    });
    const flat = (await stats.data().finally(() => stats.dispose())) as Float32Array;
    objective = flat.slice(0, batch.B);
    residual = flat.slice(batch.B);
    done = true;
  } finally {
    settings.scaleW.dispose();
    settings.scaleH.dispose();
    settings.epsilonH.dispose();
    warmMask.dispose();
    for (const s of state) { s.m.dispose(); s.v.dispose(); }
    if (!done) for (const s of state) s.x.dispose(); // an exception: nothing is returned
  }
  return { x: point(), iterations: Math.min(t, o.maxIterations), objective, residual };
}

interface Block {
  readonly key: 'W' | 'Ht' | 'b';
  readonly scale: Tensor3D | number;
  readonly epsilon: Tensor3D | number;
  readonly project: boolean;
}

interface BlockState {
  x: Tensor3D;
  m: Tensor3D;
  v: Tensor3D;
}

/** Cosine decay from 1 to finalFraction over maxIterations. */
function schedule(t: number, o: AdamOptions): number {
  const c = 0.5 * (1 + Math.cos((Math.PI * (t - 1)) / Math.max(1, o.maxIterations - 1)));
  return o.finalFraction + (1 - o.finalFraction) * c;
}
