import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { Tf } from '../tfjs/backend.ts';

/**
 * A named parameter of a network. `decay` says whether the ordinary weight decay applies to it
 * (kernels: yes; biases and batch-norm scales/shifts: no). The classifier W and the features H
 * get the UFM regularisers λ_W, λ_H instead (THEORY.md §5), never ordinary decay.
 */
export interface Param {
  /** A stable logical name (`layer0/kernel`, `stage2/block1/bn1/gamma`): the checkpoint key. */
  readonly name: string;
  readonly variable: Variable;
  readonly decay: boolean;
}

/** A new value for a non-trainable buffer (a batch-norm running statistic), applied after a step. */
export interface BufferUpdate {
  readonly variable: Variable;
  readonly value: Tensor;
}

/**
 * A feature extractor x ↦ h ∈ R^d with h ≥ 0 (its last layer is a ReLU: the UFM+ setting of
 * Dang et al. 2024), followed in training by a bias-free linear classifier W ∈ R^{K×d}.
 */
export interface Backbone {
  /** `mlp` or `resnet18`. */
  readonly kind: string;
  /** d, the feature dimension. */
  readonly featureDim: number;
  /** The shape of one input (without the batch axis): [3072] for the MLP, [32, 32, 3] for ResNet18. */
  readonly inputShape: readonly number[];
  /** Trainable parameters (the classifier W is not among them). */
  readonly params: readonly Param[];
  /** Non-trainable buffers (batch-norm running mean/variance); empty for the MLP. */
  readonly buffers: readonly Param[];
  /**
   * The features of a batch, B×d. In training mode, batch-norm layers use batch statistics and
   * return their running-statistic updates (the caller must `keep` and apply them after the step).
   */
  features(x: Tensor, training: boolean): { h: Tensor2D; updates: BufferUpdate[] };
}

/**
 * Creates a variable from seeded values (float32); tfjs assigns a unique engine name.
 *
 * @example
 * ```ts
 * const p = makeParam(tf, 'layer0/bias', new Float32Array(256), [256], false);
 * ```
 */
export function makeParam(tf: Tf, name: string, values: Float32Array, shape: number[], decay: boolean, trainable = true): Param {
  // the variable takes its own reference to the initial values: the initial tensor is released at once
  const initial = tf.tensor(values, shape, 'float32');
  const variable = tf.variable(initial, trainable);
  initial.dispose();
  return { name, variable, decay };
}

/**
 * Disposes every variable of a backbone.
 *
 * @example
 * ```ts
 * disposeBackbone(net);
 * ```
 */
export function disposeBackbone(b: Backbone): void {
  for (const p of [...b.params, ...b.buffers]) p.variable.dispose();
}
