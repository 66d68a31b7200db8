import type { Scalar, Tensor, Tensor2D } from '@tensorflow/tfjs';
import { InputError } from '../errors.ts';
import { validateRegulariser } from '../problem/validate.ts';
import type { Tf } from '../tfjs/backend.ts';
import { linear } from './linear.ts';

/** The regularisers of a training run, in ncverify's (THEORY.md §1/§5) scaling. */
export interface TrainRegularisers {
  /** λ_W on the classifier: the objective has (λ_W/2)‖W‖². */
  readonly lambdaW: number;
  /** λ_H on the features: the objective has (λ_H/2)‖H‖² over all N training features. */
  readonly lambdaH: number;
  /** Ordinary weight decay on the backbone's kernels: (weightDecay/2)Σ‖θ‖² (0 for none). */
  readonly weightDecay: number;
}

/**
 * The minibatch estimate of the UFM objective, exactly as THEORY.md §5 scales it:
 *
 *     (1/B) Σ_{i∈batch} [ CE(W h_i, y_i) + (N λ_H/2)‖h_i‖² ] + (λ_W/2)‖W‖² + (weightDecay/2) Σ_θ ‖θ‖²
 *
 * Its expectation over a uniformly drawn batch is the full-data objective
 * (1/N)ΣCE + (λ_H/2)‖H‖² + (λ_W/2)‖W‖² (+ the backbone's decay term), since E[(1/B)Σ_batch ‖h_i‖²]
 * = (1/N)‖H‖². CE uses log-sum-exp (tf.logSumExp subtracts the row maximum).
 *
 * @param h - the batch features, B×d (non-negative)
 * @param W - the classifier, K×d (no bias)
 * @param oneHot - the labels, B×K one-hot
 * @param N - the training-set size
 * @param decayed - the kernels under ordinary weight decay
 * @example
 * ```ts
 * const loss = minibatchObjective(tf, h, W, oneHot, 3000, { lambdaW: 5e-3, lambdaH: 5e-5, weightDecay: 5e-4 }, kernels);
 * ```
 */
export function minibatchObjective(
  tf: Tf,
  h: Tensor2D,
  W: Tensor,
  oneHot: Tensor2D,
  N: number,
  reg: TrainRegularisers,
  decayed: readonly Tensor[],
): Scalar {
  const logits = linear(tf, h, tf.transpose(W as Tensor2D));
  const ce = tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, oneHot), 1));
  const perSample = tf.add(ce, tf.mul(tf.sum(tf.square(h), 1), (N * reg.lambdaH) / 2));
  let loss: Tensor = tf.add(tf.mean(perSample), tf.mul(tf.sum(tf.square(W)), reg.lambdaW / 2));
  if (reg.weightDecay > 0 && decayed.length > 0) {
    const sq = decayed.map((t) => tf.sum(tf.square(t)));
    loss = tf.add(loss, tf.mul(tf.addN(sq), reg.weightDecay / 2));
  }
  return loss as Scalar;
}

/** The signature of {@link minibatchObjective} (what the trainer's loop calls each step). */
export type MinibatchObjective = typeof minibatchObjective;

/** λ's as written for the authors' code of Dang et al. (ICML 2024), with its batch size. */
export interface PaperLambdas {
  /** `--weight_decay` of the authors' script: λ'_W. */
  readonly lambdaW: number;
  /** `--feature_decay_rate` of the authors' script: λ'_H. */
  readonly lambdaH: number;
  /** `--batch_size` B of the authors' script. */
  readonly batchSize: number;
  /** N, the training-set size. */
  readonly N: number;
}

/** The result of {@link convertPaperLambdas}: λ's in ncverify's scaling, and how they were obtained. */
export interface ConvertedLambdas {
  readonly lambdaW: number;
  readonly lambdaH: number;
  /** ncverify's objective = objectiveScale × the paper code's expected objective (2). */
  readonly objectiveScale: number;
  /** One line for run reports. */
  readonly note: string;
}

/**
 * Converts the regularisers of the authors' code of Dang, Tran, Nguyen, Ho (ICML 2024; repository
 * Fsoft-AIC/Cross-Entropy-Imbalanced, `loss_compute` in train_1st_order_unbalanced.py) to the
 * scaling of THEORY.md §1/§5.
 *
 * Derivation. With `--sep_decay`, that code minimises, per minibatch of size B,
 *
 *     L'_B = (1/2)(1/B) Σ_batch CE_i + (λ'_W/2)‖W‖² + (λ'_H/2) Σ_batch ‖h_i‖²
 *
 * (it halves the mean CE and sums, not averages, the feature penalty over the batch). A uniformly
 * drawn batch holds each sample with probability B/N, so E[Σ_batch ‖h_i‖²] = (B/N)‖H‖² and
 *
 *     E[L'_B] = (1/2)(1/N) Σ CE + (λ'_W/2)‖W‖² + (λ'_H B/(2N))‖H‖².
 *
 * Twice this is (1/N)ΣCE + λ'_W‖W‖² + (λ'_H B/N)‖H‖², which is THEORY.md's f(W, H) with
 *
 *     λ_W = 2 λ'_W,   λ_H = 2 B λ'_H / N.
 *
 * Both objectives have the same minimisers (one is twice the other), so the theory's predictions
 * use (λ_W, λ_H). For SGD, ncverify's gradients are twice the paper's: halve the learning rate to
 * follow the same trajectory (Adam is invariant to the factor, up to its ε). When N is not a
 * multiple of B the last, smaller batch weighs its features less in the paper code; the formula
 * is exact in expectation for full batches only.
 *
 * @throws {@link InputError} for a non-positive λ', batch size or N
 * @example
 * ```ts
 * convertPaperLambdas({ lambdaW: 1e-4, lambdaH: 1e-5, batchSize: 256, N: 3000 });
 * // { lambdaW: 2e-4, lambdaH: 1.7067e-6, objectiveScale: 2, note: '…' }
 * ```
 */
export function convertPaperLambdas(p: PaperLambdas): ConvertedLambdas {
  validateRegulariser(p.lambdaW, 'paper lambdaW');
  validateRegulariser(p.lambdaH, 'paper lambdaH');
  for (const [name, v] of [['batchSize', p.batchSize], ['N', p.N]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new InputError(name, 'must be a positive integer', `got ${v}`);
  }
  const lambdaW = 2 * p.lambdaW;
  const lambdaH = (2 * p.batchSize * p.lambdaH) / p.N;
  const note =
    `paper code (CE/2 + (λ'_W/2)‖W‖² + (λ'_H/2)Σ_batch‖h‖², λ'_W=${p.lambdaW}, λ'_H=${p.lambdaH}, B=${p.batchSize}, N=${p.N}) ` +
    `= ½ × THEORY.md objective with λ_W = 2λ'_W = ${lambdaW}, λ_H = 2Bλ'_H/N = ${lambdaH}`;
  return { lambdaW, lambdaH, objectiveScale: 2, note };
}
