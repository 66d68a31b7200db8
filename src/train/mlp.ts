import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { InputError } from '../errors.ts';
import type { Tf } from '../tfjs/backend.ts';
import { type Backbone, makeParam, type Param } from './backbone.ts';
import { linear } from './linear.ts';
import { seededNormal } from './seeded.ts';

/** An MLP configuration: input size and hidden widths; the last width is the feature dimension d. */
export interface MlpConfig {
  readonly kind: 'mlp';
  /** Hidden widths, e.g. [256, 256, 128]: Linear → ReLU for each; features = the last ReLU output. */
  readonly hidden: readonly number[];
}

/**
 * A multilayer perceptron h(x) = ReLU(A_L … ReLU(A_1 x + b_1) … + b_L) (every hidden layer,
 * the last included, is followed by a ReLU, so the features are non-negative: UFM+, Dang et al.
 * 2024). Kernels are He-normal (std sqrt(2/fan_in)) from the seed, biases zero.
 *
 * @param inputDim - the flattened input size (3072 for CIFAR-10)
 * @throws {@link InputError} for an empty or non-positive width list
 * @example
 * ```ts
 * const net = createMlp(tf, 3072, { kind: 'mlp', hidden: [256, 256] }, 7); // d = 256
 * ```
 */
export function createMlp(tf: Tf, inputDim: number, config: MlpConfig, seed: number | string): Backbone {
  const { hidden } = config;
  if (hidden.length === 0 || hidden.some((w) => !Number.isInteger(w) || w <= 0)) {
    throw new InputError('hidden', 'must be a non-empty list of positive integer widths', `got [${hidden.join(', ')}]`);
  }
  const params: Param[] = [];
  let fanIn = inputDim;
  hidden.forEach((w, l) => {
    params.push(makeParam(tf, `layer${l}/kernel`, seededNormal(fanIn * w, Math.sqrt(2 / fanIn), seed, `mlp/layer${l}/kernel`), [fanIn, w], true));
    params.push(makeParam(tf, `layer${l}/bias`, new Float32Array(w), [w], false));
    fanIn = w;
  });
  return {
    kind: 'mlp',
    featureDim: hidden[hidden.length - 1],
    inputShape: [inputDim],
    params,
    buffers: [],
    features(x: Tensor) {
      let h = x as Tensor2D;
      for (let l = 0; l < hidden.length; l++) {
        h = tf.relu(tf.add(linear(tf, h, params[2 * l].variable as Tensor2D, l > 0), params[2 * l + 1].variable)) as Tensor2D;
      }
      return { h, updates: [] };
    },
  };
}
