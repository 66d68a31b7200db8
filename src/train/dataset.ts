import type { Tensor } from '@tensorflow/tfjs';
import { CIFAR10_PIXELS, CIFAR10_PLANE, type Cifar10Set } from '../data/cifar10.ts';
import { InputError } from '../errors.ts';
import { type ClassLayout, classLayout } from '../problem/layout.ts';
import type { Tf } from '../tfjs/backend.ts';

/** Per-channel normalisation x ↦ (x/255 − mean_c)/std_c, fitted on the training set. */
export interface ChannelNormalisation {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** A labelled set on the device, normalised, in file order. */
export interface DeviceSet {
  /** All inputs: [count, 3072] (CHW-flattened) or [count, 32, 32, 3] (NHWC). */
  readonly x: Tensor;
  readonly labels: Int32Array;
  readonly count: number;
}

/** The training data with the class layout its features are measured in. */
export interface TrainingData {
  readonly train: DeviceSet;
  readonly test?: DeviceSet;
  readonly normalisation: ChannelNormalisation;
  /** The layout of the N training features: columns grouped by class, class 0 first. */
  readonly layout: ClassLayout;
  /** columnOf[i] = the column of training record i in {@link layout} (stable within a class). */
  readonly columnOf: Int32Array;
}

/**
 * The per-channel mean and standard deviation (population) of a set's pixels, scaled to [0, 1],
 * accumulated in float64.
 *
 * @example
 * ```ts
 * channelStatistics(train); // { mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26] } roughly
 * ```
 */
export function channelStatistics(set: Cifar10Set): ChannelNormalisation {
  const mean = [0, 0, 0];
  const std = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < set.count; i++) {
      const base = i * CIFAR10_PIXELS + c * CIFAR10_PLANE;
      for (let p = 0; p < CIFAR10_PLANE; p++) {
        const v = set.pixels[base + p] / 255;
        s += v;
        s2 += v * v;
      }
    }
    const n = set.count * CIFAR10_PLANE;
    mean[c] = s / n;
    std[c] = Math.sqrt(Math.max(s2 / n - mean[c] * mean[c], 0)) || 1;
  }
  return { mean, std };
}

/**
 * Normalised float32 inputs: CHW-flattened ([count, 3072], for the MLP) or NHWC
 * ([count, 32, 32, 3], for convolutions).
 *
 * @example
 * ```ts
 * const x = normalisedInputs(train, channelStatistics(train), 'nhwc'); // count·3072 floats
 * ```
 */
export function normalisedInputs(set: Cifar10Set, norm: ChannelNormalisation, order: 'chw' | 'nhwc'): Float32Array {
  const out = new Float32Array(set.count * CIFAR10_PIXELS);
  for (let i = 0; i < set.count; i++) {
    const base = i * CIFAR10_PIXELS;
    for (let c = 0; c < 3; c++) {
      const m = norm.mean[c];
      const inv = 1 / norm.std[c];
      for (let p = 0; p < CIFAR10_PLANE; p++) {
        const v = (set.pixels[base + c * CIFAR10_PLANE + p] / 255 - m) * inv;
        out[order === 'chw' ? base + c * CIFAR10_PLANE + p : base + p * 3 + c] = v;
      }
    }
  }
  return out;
}

/**
 * Puts a training set (and optionally a test set) on the device, normalised with the training
 * set's channel statistics, and computes the class layout of its features.
 *
 * @throws {@link InputError} when some class has no training record (the layout needs n_k ≥ 1)
 * @example
 * ```ts
 * const data = prepareData(tf, train, test, [3072]);
 * data.layout.sizes; // [100, 100, 200, 200, 300, 300, 400, 400, 500, 500]
 * ```
 */
export function prepareData(tf: Tf, train: Cifar10Set, test: Cifar10Set | undefined, inputShape: readonly number[]): TrainingData {
  const empty = train.classCounts.findIndex((c) => c === 0);
  if (empty >= 0) throw new InputError(train.source, 'every class 0–9 needs at least one training record', `class ${empty} has none`);
  const normalisation = channelStatistics(train);
  const order = inputShape.length === 3 ? 'nhwc' : 'chw';
  const device = (set: Cifar10Set): DeviceSet => ({
    x: tf.tensor(normalisedInputs(set, normalisation, order), [set.count, ...inputShape], 'float32'),
    labels: Int32Array.from(set.labels),
    count: set.count,
  });
  const { layout, columnOf } = trainLayout(train);
  return { train: device(train), test: test ? device(test) : undefined, normalisation, layout, columnOf };
}

/**
 * The class layout of a training set's features and the column of each record in it (grouped by
 * class, stable within a class).
 *
 * @example
 * ```ts
 * trainLayout(train).columnOf[0]; // the column of record 0
 * ```
 */
export function trainLayout(train: Cifar10Set): { layout: ClassLayout; columnOf: Int32Array } {
  const layout = classLayout(train.classCounts);
  const next = layout.offsets.slice(0, layout.K);
  const columnOf = new Int32Array(train.count);
  for (let i = 0; i < train.count; i++) columnOf[i] = next[train.labels[i]]++;
  return { layout, columnOf };
}
