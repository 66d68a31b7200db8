import type { Tensor, Tensor1D, Tensor2D, Tensor4D } from '@tensorflow/tfjs';
import { InputError } from '../errors.ts';
import type { Tf } from '../tfjs/backend.ts';
import { type Backbone, type BufferUpdate, makeParam, type Param } from './backbone.ts';
import { seededNormal } from './seeded.ts';

/** A ResNet18 configuration; `width` is the first stage's channel count (64 in He et al.). */
export interface ResNet18Config {
  readonly kind: 'resnet18';
  /** Channels of stage 1; stages have width, 2·width, 4·width, 8·width (64-128-256-512 by default). */
  readonly width: number;
}

const BN_EPS = 1e-5;
/** Running statistics move by this fraction of the batch statistic per step (PyTorch's 0.1). */
const BN_MOMENTUM = 0.1;

interface BatchNorm {
  gamma: Param;
  beta: Param;
  mean: Param;
  variance: Param;
}

interface Block {
  conv1: Param;
  bn1: BatchNorm;
  conv2: Param;
  bn2: BatchNorm;
  stride: number;
  shortcut?: { conv: Param; bn: BatchNorm };
}

class Builder {
  readonly params: Param[] = [];
  readonly buffers: Param[] = [];
  constructor(
    private readonly tf: Tf,
    private readonly seed: number | string,
  ) {}

  conv(name: string, k: number, cin: number, cout: number): Param {
    // He-normal with fan_out = k·k·cout (as torchvision's ResNet initialisation).
    const std = Math.sqrt(2 / (k * k * cout));
    const p = makeParam(this.tf, `${name}/kernel`, seededNormal(k * k * cin * cout, std, this.seed, `resnet18/${name}`), [k, k, cin, cout], true);
    this.params.push(p);
    return p;
  }

  bn(name: string, c: number): BatchNorm {
    const gamma = makeParam(this.tf, `${name}/gamma`, new Float32Array(c).fill(1), [c], false);
    const beta = makeParam(this.tf, `${name}/beta`, new Float32Array(c), [c], false);
    const mean = makeParam(this.tf, `${name}/runningMean`, new Float32Array(c), [c], false, false);
    const variance = makeParam(this.tf, `${name}/runningVariance`, new Float32Array(c).fill(1), [c], false, false);
    this.params.push(gamma, beta);
    this.buffers.push(mean, variance);
    return { gamma, beta, mean, variance };
  }
}

/**
 * ResNet18 for 32×32 inputs (the CIFAR variant of He et al. 2016 used by Papyan et al. and Dang
 * et al.): a 3×3 stride-1 stem conv + BN + ReLU, no max-pool; four stages of two BasicBlocks with
 * width·(1, 2, 4, 8) channels (strides 1, 2, 2, 2; a 1×1 conv + BN shortcut where the shape
 * changes); global average pooling. Every block ends in a ReLU, so the d = 8·width features are
 * non-negative (UFM+). Inputs are NHWC [B, 32, 32, 3]. Convolutions have no bias (BN follows).
 *
 * @throws {@link InputError} for a non-positive width
 * @example
 * ```ts
 * const net = createResNet18(tf, { kind: 'resnet18', width: 64 }, 7); // d = 512, 11.2 M parameters
 * ```
 */
export function createResNet18(tf: Tf, config: ResNet18Config, seed: number | string): Backbone {
  const { width } = config;
  if (!Number.isInteger(width) || width <= 0) throw new InputError('width', 'must be a positive integer', `got ${width}`);
  const b = new Builder(tf, seed);
  const stem = { conv: b.conv('stem/conv', 3, 3, width), bn: b.bn('stem/bn', width) };
  const blocks: Block[] = [];
  let cin = width;
  [1, 2, 4, 8].forEach((mult, s) => {
    const cout = width * mult;
    for (let i = 0; i < 2; i++) {
      const stride = i === 0 && s > 0 ? 2 : 1;
      const name = `stage${s + 1}/block${i + 1}`;
      const block: Block = {
        conv1: b.conv(`${name}/conv1`, 3, cin, cout),
        bn1: b.bn(`${name}/bn1`, cout),
        conv2: b.conv(`${name}/conv2`, 3, cout, cout),
        bn2: b.bn(`${name}/bn2`, cout),
        stride,
      };
      if (stride !== 1 || cin !== cout) block.shortcut = { conv: b.conv(`${name}/shortcut/conv`, 1, cin, cout), bn: b.bn(`${name}/shortcut/bn`, cout) };
      blocks.push(block);
      cin = cout;
    }
  });

  const conv3 = (x: Tensor4D, p: Param, stride: number): Tensor4D =>
    tf.conv2d(x, p.variable as Tensor4D, stride, [[0, 0], [1, 1], [1, 1], [0, 0]]);
  const conv1 = (x: Tensor4D, p: Param, stride: number): Tensor4D => tf.conv2d(x, p.variable as Tensor4D, stride, 'valid');

  return {
    kind: 'resnet18',
    featureDim: 8 * width,
    inputShape: [32, 32, 3],
    params: b.params,
    buffers: b.buffers,
    features(x: Tensor, training: boolean) {
      const updates: BufferUpdate[] = [];
      const bn = (y: Tensor4D, p: BatchNorm) => batchNorm(tf, y, p, training, updates);
      let h = tf.relu(bn(conv3(x as Tensor4D, stem.conv, 1), stem.bn)) as Tensor4D;
      for (const k of blocks) {
        const out = bn(conv3(tf.relu(bn(conv3(h, k.conv1, k.stride), k.bn1)) as Tensor4D, k.conv2, 1), k.bn2);
        const short = k.shortcut ? bn(conv1(h, k.shortcut.conv, k.stride), k.shortcut.bn) : h;
        h = tf.relu(tf.add(out, short)) as Tensor4D;
      }
      return { h: tf.mean(h, [1, 2]) as Tensor2D, updates };
    },
  };
}

/** Batch normalisation over N, H, W; in training mode it also returns the running-statistic updates. */
function batchNorm(tf: Tf, x: Tensor4D, p: BatchNorm, training: boolean, updates: BufferUpdate[]): Tensor4D {
  if (!training) {
    return tf.batchNorm(x, p.mean.variable as Tensor1D, p.variance.variable as Tensor1D, p.beta.variable as Tensor1D, p.gamma.variable as Tensor1D, BN_EPS);
  }
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const m = x.shape[0] * x.shape[1] * x.shape[2];
  const unbiased = tf.mul(variance, m / Math.max(m - 1, 1));
  updates.push({ variable: p.mean.variable, value: tf.add(tf.mul(p.mean.variable, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM)) });
  updates.push({ variable: p.variance.variable, value: tf.add(tf.mul(p.variance.variable, 1 - BN_MOMENTUM), tf.mul(unbiased, BN_MOMENTUM)) });
  return tf.batchNorm(x, mean as Tensor1D, variance as Tensor1D, p.beta.variable as Tensor1D, p.gamma.variable as Tensor1D, BN_EPS);
}

/**
 * Σ_l m_l, the fan-ins of the layers on ResNet18's path to the loss at width w: the stem 3·3·3, per stage
 * the convs 3·3·c_in and the 1×1 shortcuts c_in where the width changes, and the classifier d = 8w. A
 * float32 forward pass is within about 2^-24·Σ_l m_l·|loss| of the exact one (the bound the webgpu-vs-cpu
 * comparisons use).
 *
 * @example
 * ```ts
 * resnet18FanIns(4); // 27 + … + 32
 * ```
 */
export function resnet18FanIns(w: number): number {
  let sum = 27;
  let cin = w;
  for (const c of [w, 2 * w, 4 * w, 8 * w]) {
    sum += 9 * cin + 3 * 9 * c + (c !== cin ? cin : 0);
    cin = c;
  }
  return sum + 8 * w;
}
