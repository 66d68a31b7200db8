import type { Tf } from '../tfjs/backend.ts';
import type { TfBatch } from './batch.ts';
import { evaluateBatch, kktResidualBatch, type TfPoint } from './objective.ts';

type Tensor = import('@tensorflow/tfjs').Tensor;
type Tensor3D = import('@tensorflow/tfjs').Tensor3D;

/** Settings of {@link projectedAdam}. */
export interface AdamOptions {
  /** Iterations (gradient evaluations) at most. */
  readonly maxIterations: number;
  /** Peak step, in units of each block's natural scale (see {@link blockScales}). */
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
}

/** What {@link projectedAdam} returns: the final point (caller disposes it) and a trace. */
export interface AdamRun {
  readonly x: TfPoint;
  readonly iterations: number;
  /** f per instance at the last check (float32). */
  readonly objective: Float32Array;
  /** KKT residual per instance at the last check (float32). */
  readonly residual: Float32Array;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

/**
 * Per-instance step scales (B×1×1): σ_W = (λ_H/λ_W)^{1/4}, σ_H = (λ_W/λ_H)^{1/4} — the balance
 * λ_W‖W‖² = λ_H‖H‖² holds at every stationary point of the factorised problem (rescaling
 * W → tW, H → H/t leaves Z unchanged), so these are the relative sizes of W and H there.
 */
export function blockScales(tf: Tf, batch: TfBatch): { W: Tensor3D; H: Tensor3D } {
  return tf.tidy(() => {
    const ratio = tf.pow(tf.div(batch.lambdaH, batch.lambdaW), 0.25) as Tensor3D;
    return { W: ratio, H: tf.reciprocal(ratio) as Tensor3D };
  });
}

/**
 * Projected Adam (Kingma & Ba 2015) on every instance of a batch at once, in float32:
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², x ← P(x − η_t σ m̂/(√v̂ + ε)), P = projection onto
 * H ≥ 0 for UFM+ (identity for the plain UFM). The H gradient is fed multiplied by N_b (∂f/∂h_i
 * is O(1/N)), so ε acts on comparable scales in both blocks. Adam's per-coordinate
 * normalisation copes with the very different curvatures of W and H; it is used only to reach
 * the basin — the float64 solver polishes and certifies.
 *
 * Consumes nothing: `x0` is left to the caller. Every iteration runs in one `tf.tidy`.
 *
 * @example
 * ```ts
 * const run = projectedAdam(tf, batch, x0, { maxIterations: 2000, learningRate: 0.05, finalFraction: 1e-3, tolerance: 1e-4, checkEvery: 100 });
 * ```
 */
export function projectedAdam(tf: Tf, batch: TfBatch, x0: TfPoint, o: AdamOptions): AdamRun {
  const scales = blockScales(tf, batch);
  const keys = x0.b === null ? (['W', 'Ht'] as const) : (['W', 'Ht', 'b'] as const);
  type Key = (typeof keys)[number];
  const state = new Map<Key, { x: Tensor3D; m: Tensor3D; v: Tensor3D }>();
  for (const k of keys) {
    const t = x0[k] as Tensor3D;
    state.set(k, { x: tf.clone(t), m: tf.zerosLike(t), v: tf.zerosLike(t) });
  }
  const point = (): TfPoint => ({ W: state.get('W')!.x, Ht: state.get('Ht')!.x, b: state.get('b')?.x ?? null });
  let objective = new Float32Array(batch.B).fill(NaN);
  let residual = new Float32Array(batch.B).fill(NaN);
  let t = 0;
  let best = new Float32Array(batch.B).fill(Infinity);
  try {
    for (t = 1; t <= o.maxIterations; t++) {
      const check = t % o.checkEvery === 0 || t === o.maxIterations;
      const lr = o.learningRate * schedule(t, o);
      const next = tf.tidy(() => {
        const ev = evaluateBatch(tf, batch, point(), true);
        const g = ev.grad!;
        // tf.tidy keeps the tensors it finds in plain arrays and objects (not in a Map).
        const out: Tensor[] = [];
        for (const k of keys) {
          const s = state.get(k)!;
          const gk = k === 'Ht' ? tf.mul(g.Ht, batch.sampleCounts) : (g[k] as Tensor3D);
          const m = tf.add(tf.mul(BETA1, s.m), tf.mul(1 - BETA1, gk)) as Tensor3D;
          const v = tf.add(tf.mul(BETA2, s.v), tf.mul(1 - BETA2, tf.square(gk))) as Tensor3D;
          const mHat = tf.div(m, 1 - BETA1 ** t);
          const vHat = tf.div(v, 1 - BETA2 ** t);
          const scale = k === 'W' ? scales.W : k === 'Ht' ? scales.H : 1;
          let x = tf.sub(s.x, tf.mul(tf.mul(lr, scale), tf.div(mHat, tf.add(tf.sqrt(vHat), EPSILON)))) as Tensor3D;
          if (k === 'Ht' && batch.nonNegative) x = tf.relu(x);
          out.push(x, m, v);
        }
        if (check) out.push(tf.stack([ev.value, kktResidualBatch(tf, batch, point(), g)]));
        return out;
      });
      keys.forEach((k, j) => {
        const s = state.get(k)!;
        s.x.dispose(); s.m.dispose(); s.v.dispose();
        const [x, m, v] = next.slice(3 * j, 3 * j + 3) as Tensor3D[];
        state.set(k, { x, m, v });
      });
      if (check) {
        const stats = next[3 * keys.length];
        const flat = stats.dataSync() as Float32Array;
        stats.dispose();
        objective = flat.slice(0, batch.B);
        residual = flat.slice(batch.B);
        if (residual.every((r) => r <= o.tolerance)) break;
        const stalled = objective.every((f, b) => !(best[b] - f > o.stallTolerance * Math.abs(f)));
        best = best.map((f, b) => Math.min(f, objective[b]));
        if (stalled) break;
      }
    }
  } finally {
    scales.W.dispose();
    scales.H.dispose();
    for (const s of state.values()) { s.m.dispose(); s.v.dispose(); }
  }
  return { x: point(), iterations: Math.min(t, o.maxIterations), objective, residual };
}

/** Cosine decay from 1 to finalFraction over maxIterations. */
function schedule(t: number, o: AdamOptions): number {
  const c = 0.5 * (1 + Math.cos((Math.PI * (t - 1)) / Math.max(1, o.maxIterations - 1)));
  return o.finalFraction + (1 - o.finalFraction) * c;
}
