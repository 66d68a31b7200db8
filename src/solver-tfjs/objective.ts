import type { Tf } from '../tfjs/backend.ts';
import type { TfBatch } from './batch.ts';

type Tensor1D = import('@tensorflow/tfjs').Tensor1D;
type Tensor3D = import('@tensorflow/tfjs').Tensor3D;

/**
 * A point of a {@link TfBatch}: W (B×K×d), Hᵀ (B×N×d: row i is the feature h_i of sample i),
 * and the bias (B×1×K) or null.
 */
export interface TfPoint {
  readonly W: Tensor3D;
  readonly Ht: Tensor3D;
  readonly b: Tensor3D | null;
}

/** f per instance (B) and, when asked, ∇f at the same point (same shapes as the point). */
export interface TfEvaluation {
  readonly value: Tensor1D;
  readonly grad?: TfPoint;
}

/**
 * The UFM / UFM+ objective with cross-entropy (THEORY.md §1, §3), for every instance of a batch at
 * once, and its gradient, written once on tfjs ops (so it runs unchanged on tfjs-node-gpu,
 * tfjs-node, wasm and cpu):
 *
 *     f_b = Σ_i w_i CE(z_i, y_i) + (λ_W/2)‖W‖² + (λ_H/2)‖H‖² + (λ_b/2)‖b‖²,   z_i = W h_i (+ b),
 *
 * with w_i = 1/N_b (0 on padded rows). The gradient is analytic: with G the B×N×K matrix
 * w_i (softmax(z_i) − e_{y_i}), ∇_W = Gᵀ Hᵀ + λ_W W, ∇_{Hᵀ} = G W + λ_H Hᵀ, ∇_b = Σ_i G_i + λ_b b.
 *
 * float32 care (the values near an optimum are small differences of O(1) numbers):
 * - with m = max_k z_ik, a = m − z_iy ≥ 0, E = exp(z − m) and q = Σ_{k≠y} E_k,
 *   CE = a + log1p((E_y − 1) + q); when y is the arg-max, a = 0 and E_y = 1 exactly, so
 *   CE = log1p(q) keeps its full relative precision even when it is 1e-7;
 * - the label entry of softmax − e_y is formed as −Σ_{k≠y} softmax_k (not p_y − 1, which loses
 *   everything below 2^-24), so every entry of G has a small *relative* error.
 *
 * `weights` (B×N×1) replaces the sample weights w_i (default `batch.weights`, the objective above).
 * Everything runs in the caller's tidy scope: call it inside `tf.tidy`.
 *
 * @example
 * ```ts
 * const f = tf.tidy(() => evaluateBatch(tf, batch, x, false).value.arraySync());
 * ```
 */
export function evaluateBatch(tf: Tf, batch: TfBatch, x: TfPoint, withGradient: boolean, weights: Tensor3D = batch.weights): TfEvaluation {
  const { Y } = batch;
  // Transposes are explicit (and applied to the small operands): the wasm backend's matMul is
  // ~8× slower with transposeA/transposeB than on contiguous operands.
  const Wt = tf.transpose(x.W, [0, 2, 1]);
  let Z = tf.matMul(x.Ht, Wt) as Tensor3D;
  if (x.b !== null) Z = tf.add(Z, x.b);
  const m = tf.max(Z, -1, true);
  const E = tf.exp(tf.sub(Z, m));
  const EY = tf.mul(E, Y);
  const Eoff = tf.sub(E, EY);
  const q = tf.sum(Eoff, -1, true);
  const Ey = tf.sum(EY, -1, true);
  const a = tf.sub(m, tf.sum(tf.mul(Z, Y), -1, true));
  const ce = tf.add(a, tf.log1p(tf.add(tf.sub(Ey, 1), q)));
  const loss = tf.sum(tf.mul(ce, weights), [1, 2]);
  const reg = regulariser(tf, batch, x);
  const value = tf.add(loss, reg) as Tensor1D;
  if (!withGradient) return { value };
  const Poff = tf.div(Eoff, tf.add(Ey, q));
  const G = tf.mul(tf.sub(Poff, tf.mul(Y, tf.sum(Poff, -1, true))), weights);
  const Gt = tf.transpose(G, [0, 2, 1]);
  const gW = tf.add(tf.matMul(Gt, x.Ht), tf.mul(batch.lambdaW, x.W)) as Tensor3D;
  const gHt = tf.add(tf.matMul(G, x.W), tf.mul(batch.lambdaH, x.Ht)) as Tensor3D;
  const gb = x.b === null ? null : (tf.add(tf.sum(G, 1, true), tf.mul(batch.lambdaB, x.b)) as Tensor3D);
  return { value, grad: { W: gW, Ht: gHt, b: gb } };
}

/** (λ_W/2)‖W‖² + (λ_H/2)‖H‖² + (λ_b/2)‖b‖² per instance (B). */
function regulariser(tf: Tf, batch: TfBatch, x: TfPoint): Tensor1D {
  const sq = (t: Tensor3D, lambda: Tensor3D) => tf.mul(tf.reshape(lambda, [batch.B]), tf.sum(tf.square(t), [1, 2]));
  let r = tf.add(sq(x.W, batch.lambdaW), sq(x.Ht, batch.lambdaH));
  if (x.b !== null) r = tf.add(r, sq(x.b, batch.lambdaB));
  return tf.mul(0.5, r) as Tensor1D;
}

/**
 * The first-order KKT residual per instance (B), in the scale of the float64 solver's
 * `kktResidual`: max( max|∂f/∂W|, max|∂f/∂b|, N_b · max|π| ), π the projected gradient of H
 * (min(∂f/∂H, 0) where H = 0 under H ≥ 0). Call inside `tf.tidy`.
 *
 * @example
 * ```ts
 * const r = tf.tidy(() => kktResidualBatch(tf, batch, x, grad).arraySync());
 * ```
 */
export function kktResidualBatch(tf: Tf, batch: TfBatch, x: TfPoint, grad: TfPoint): Tensor1D {
  const absMax = (t: Tensor3D) => tf.max(tf.abs(t), [1, 2]);
  let gH = grad.Ht;
  if (batch.nonNegative) gH = tf.where(tf.lessEqual(x.Ht, 0), tf.minimum(gH, 0), gH) as Tensor3D;
  const scaledH = tf.mul(absMax(gH), tf.reshape(batch.sampleCounts, [batch.B]));
  let r = tf.maximum(absMax(grad.W), scaledH);
  if (grad.b !== null) r = tf.maximum(r, absMax(grad.b));
  return r as Tensor1D;
}
