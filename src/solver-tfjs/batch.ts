import { InputError } from '../errors.ts';
import { type SolverProblem, type ValidatedProblem, validateProblem } from '../solver/problem.ts';
import type { Tf } from '../tfjs/backend.ts';

type Tensor3D = import('@tensorflow/tfjs').Tensor3D;

/**
 * Instances of one shape family packed into tensors with a leading batch dimension B, so that
 * one chain of tfjs ops evaluates every objective at once. All instances share K, d, the
 * constraint (H ≥ 0 or free) and the bias switch; their N may differ: sample rows are padded
 * to the largest N with weight 0 (a padded row has no loss and starts, and stays, at H = 0).
 *
 * Layout (chosen so that the softmax runs along the last axis, the only one tfjs supports):
 * logits Z ∈ R^{B×N×K} = Hᵀ Wᵀ, i.e. the transpose of THEORY.md's K×N matrix W H.
 */
export interface TfBatch {
  /** Number of instances. */
  readonly B: number;
  readonly K: number;
  readonly d: number;
  /** The padded sample count max_b N_b. */
  readonly N: number;
  readonly nonNegative: boolean;
  readonly bias: boolean;
  /** The validated problems, in batch order. */
  readonly problems: readonly ValidatedProblem[];
  /** One-hot labels Y (B×N×K); padded rows are 0. */
  readonly Y: Tensor3D;
  /** Sample weights (B×N×1): 1/N_b on the N_b real rows of instance b, 0 on padding. */
  readonly weights: Tensor3D;
  /**
   * Class-balanced weights (B×N×1): 1/(K n_k) on the rows of class k, 0 on padding — every class
   * weighs 1/K in total. Used only by the optimiser's warm-up (see `balancedWarmup`).
   */
  readonly balancedWeights: Tensor3D;
  /** λ_W, λ_H, λ_b per instance (B×1×1 each). */
  readonly lambdaW: Tensor3D;
  readonly lambdaH: Tensor3D;
  readonly lambdaB: Tensor3D;
  /** N_b per instance (B×1×1), the factor that puts ∂f/∂H on the scale of ∂f/∂W. */
  readonly sampleCounts: Tensor3D;
}

/**
 * Validates a problem for the tfjs solver: everything {@link validateProblem} checks, and the loss
 * must be cross-entropy (the only data-fit term written on tfjs ops).
 *
 * @throws {@link InputError} naming the bad field
 * @example
 * ```ts
 * validateTfProblem({ n: [10, 40], lambdaW: 1e-3, lambdaH: 1e-3, d: 4 }).layout.N; // 50
 * ```
 */
export function validateTfProblem(p: SolverProblem): ValidatedProblem {
  const v = validateProblem(p);
  if (v.loss.name !== 'cross-entropy') {
    throw new InputError('loss', 'the tfjs solver implements cross-entropy only', `got '${v.loss.name}'`);
  }
  return v;
}

/** The key of a shape family: instances with equal keys can share a {@link TfBatch}. */
export function familyKey(p: ValidatedProblem): string {
  return `${p.layout.K}|${p.d}|${p.nonNegative ? '+' : 'free'}|${p.bias ? 'bias' : 'nobias'}`;
}

/**
 * Packs validated problems of one family into a {@link TfBatch} (tensors owned by the caller:
 * release them with {@link disposeBatch}).
 *
 * @throws RangeError when the problems do not share K, d, the constraint and the bias switch
 * @example
 * ```ts
 * const batch = packBatch(tf, [validateTfProblem(p1), validateTfProblem(p2)]);
 * ```
 */
export function packBatch(tf: Tf, problems: readonly ValidatedProblem[]): TfBatch {
  if (problems.length === 0) throw new RangeError('packBatch: no problems');
  const key = familyKey(problems[0]);
  for (const p of problems) {
    if (familyKey(p) !== key) throw new RangeError(`packBatch: mixed families ${key} and ${familyKey(p)}`);
  }
  const B = problems.length;
  const { K } = problems[0].layout;
  const N = Math.max(...problems.map((p) => p.layout.N));
  const y = new Float32Array(B * N * K);
  const w = new Float32Array(B * N);
  const wb = new Float32Array(B * N);
  problems.forEach((p, b) => {
    const { labels, N: Nb, sizes } = p.layout;
    for (let i = 0; i < Nb; i++) {
      y[(b * N + i) * K + labels[i]] = 1;
      w[b * N + i] = 1 / Nb;
      wb[b * N + i] = 1 / (K * sizes[labels[i]]);
    }
  });
  const column = (f: (p: ValidatedProblem) => number) => tf.tensor3d(problems.map(f), [B, 1, 1], 'float32');
  return {
    B, K, d: problems[0].d, N,
    nonNegative: problems[0].nonNegative,
    bias: problems[0].bias,
    problems,
    Y: tf.tensor3d(y, [B, N, K]),
    weights: tf.tensor3d(w, [B, N, 1]),
    balancedWeights: tf.tensor3d(wb, [B, N, 1]),
    lambdaW: column((p) => p.lambdaW),
    lambdaH: column((p) => p.lambdaH),
    lambdaB: column((p) => p.lambdaB),
    sampleCounts: column((p) => p.layout.N),
  };
}

/**
 * Releases the tensors of a {@link TfBatch}.
 *
 * @example
 * ```ts
 * disposeBatch(batch);
 * ```
 */
export function disposeBatch(batch: TfBatch): void {
  for (const t of [batch.Y, batch.weights, batch.balancedWeights, batch.lambdaW, batch.lambdaH, batch.lambdaB, batch.sampleCounts]) t.dispose();
}

/**
 * Bytes of tfjs memory one solve of the batch needs at its peak (float32): the variables, their
 * gradient, the two Adam moments and the temporaries of one step (≈ 8 copies of H), plus the
 * logits-sized tensors (≈ 8 copies of Z) and the labels. An estimate for splitting work, not a bound.
 *
 * @example
 * ```ts
 * batchBytes(1, 100, 512, 50_000); // ≈ 1 GB
 * ```
 */
export function batchBytes(B: number, K: number, d: number, N: number): number {
  return 4 * B * (8 * (N * d + K * d + K) + 9 * N * K + N);
}

/**
 * Bytes of the largest single tensor one solve of the batch makes (float32): B×N×max(K, d) —
 * the logits Z and their softmax terms are B×N×K, Hᵀ, its gradient and Adam moments B×N×d.
 * On webgpu each tensor is one storage binding, so this must not exceed the adapter's
 * `maxStorageBufferBindingSize` (src/tfjs/adapter.ts).
 *
 * @example
 * ```ts
 * largestTensorBytes(1, 100, 512, 50_000); // 102 400 000 (fits lavapipe's 128 MiB; two starts do not)
 * ```
 */
export function largestTensorBytes(B: number, K: number, d: number, N: number): number {
  return 4 * B * N * Math.max(K, d);
}
