import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { type Dense, matmul, zeros } from '../linalg/dense.ts';
import { crossEntropy } from '../loss/crossEntropy.ts';
import { ncMetrics } from '../metrics/nc.ts';
import type { ClassLayout } from '../problem/layout.ts';
import { ufmObjective } from '../problem/objective.ts';
import type { Tf } from '../tfjs/backend.ts';
import type { Backbone } from './backbone.ts';
import type { DeviceSet } from './dataset.ts';
import type { TrainRegularisers } from './ufmLoss.ts';

/** Inputs per forward pass when extracting features for measurement. */
const EXTRACT_BATCH = 500;

/** Everything measured after an epoch, on the whole training subset, in float64. */
export interface EpochMetrics {
  /** f(W, H) = (1/N)ΣCE + (λ_W/2)‖W‖² + (λ_H/2)‖H‖² (THEORY.md §1), features in eval mode. */
  readonly objective: number;
  /** The mean cross-entropy (1/N)ΣCE. */
  readonly crossEntropy: number;
  /** (weightDecay/2)Σ‖θ‖² over the backbone kernels: the rest of the training objective. */
  readonly weightDecayPenalty: number;
  readonly trainAccuracy: number;
  readonly perClassTrainAccuracy: number[];
  readonly testAccuracy?: number;
  /** Papyan's NC1 in the convention of src/metrics/nc.ts. */
  readonly nc1: number;
  /** max_{j≠k} |cos(h̄_j, h̄_k)|: 0 when the class means are orthogonal (THEORY.md §1). */
  readonly maxClassMeanCosine: number;
  /** Per class, cos(w_k, K sqrt(n_k) h̄_k − Σ_m sqrt(n_m) h̄_m): 1 at the UFM+ optimum. */
  readonly classifierAlignment: number[];
  readonly meanClassifierAlignment: number;
  readonly minClassifierAlignment: number;
  /** ‖w_k‖ (non-decreasing in n_k at the optimum). */
  readonly classifierNorms: number[];
  /** ‖h̄_k‖ (0 for a class in minority collapse). */
  readonly classMeanNorms: number[];
  /** Classes whose mean is numerically zero (the metrics module's tolerance). */
  readonly zeroClassMeans: number[];
  /** Minority-collapse indicator: cos(w_a, w_b) for the two smallest classes a, b (→ 1 under collapse). */
  readonly minorityClassifierCosine: number;
  /** max_{j≠k} cos(w_j, w_k). */
  readonly maxClassifierCosine: number;
  /** ‖Σ_k w_k‖ / max_k ‖w_k‖: 0 at the optimum (rows centred). */
  readonly classifierRowSumRelative: number;
  /** Per class sqrt((1/n_k) Σ_i ‖h_{k,i} − h̄_k‖²). */
  readonly withinClassVariation: number[];
  /** The NC metrics' written convention (THEORY.md §5). */
  readonly ncConvention: string;
}

/**
 * The features of a whole set, d×N in float64, column `columnOf[i]` for record i (identity when
 * omitted); extracted in batches in eval mode (batch norm uses running statistics).
 *
 * @example
 * ```ts
 * const H = await extractFeatures(tf, net, data.train, data.columnOf); // d×N, grouped by class
 * ```
 */
export async function extractFeatures(tf: Tf, net: Backbone, set: DeviceSet, columnOf?: Int32Array): Promise<Dense> {
  const d = net.featureDim;
  const N = set.count;
  const H = zeros(d, N);
  for (let start = 0; start < N; start += EXTRACT_BATCH) {
    const size = Math.min(EXTRACT_BATCH, N - start);
    const h = tf.tidy(() => net.features(tf.slice(set.x, start, size), false).h);
    const f = (await h.data()) as Float32Array;
    h.dispose();
    for (let i = 0; i < size; i++) {
      const col = columnOf ? columnOf[start + i] : start + i;
      for (let r = 0; r < d; r++) H.data[r * N + col] = f[i * d + r];
    }
  }
  return H;
}

/**
 * A float32 tensor as a float64 Dense matrix (2-D tensors only).
 *
 * @example
 * ```ts
 * const Wd = await toDense(W); // K×d
 * ```
 */
export async function toDense(t: Tensor): Promise<Dense> {
  const [rows, cols] = t.shape;
  return { rows, cols, data: Float64Array.from((await t.data()) as Float32Array) };
}

function argmaxColumns(Z: Dense): Int32Array {
  const out = new Int32Array(Z.cols);
  for (let i = 0; i < Z.cols; i++) {
    let best = 0;
    for (let k = 1; k < Z.rows; k++) if (Z.data[k * Z.cols + i] > Z.data[best * Z.cols + i]) best = k;
    out[i] = best;
  }
  return out;
}

function rowCosine(W: Dense, a: number, b: number): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let j = 0; j < W.cols; j++) {
    const x = W.data[a * W.cols + j];
    const y = W.data[b * W.cols + j];
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** Test accuracy: argmax of the float32 logits W h on the device. */
async function testAccuracy(tf: Tf, net: Backbone, W: Tensor, set: DeviceSet): Promise<number> {
  let correct = 0;
  for (let start = 0; start < set.count; start += EXTRACT_BATCH) {
    const size = Math.min(EXTRACT_BATCH, set.count - start);
    const p = tf.tidy(() => tf.argMax(tf.matMul(net.features(tf.slice(set.x, start, size), false).h, tf.transpose(W as Tensor2D)), 1));
    const pred = await p.data();
    p.dispose();
    for (let i = 0; i < size; i++) if (pred[i] === set.labels[start + i]) correct++;
  }
  return correct / set.count;
}

/**
 * Measures one epoch: extracts the features of the whole training subset (float64, layout
 * grouped by class), evaluates the full objective, accuracies and the NC metrics (NC1, class-mean
 * cosines, classifier alignment with K sqrt(n_k) h̄_k − Σ_m sqrt(n_m) h̄_m, norms) and the
 * minority-collapse indicators.
 *
 * @example
 * ```ts
 * const m = await measureEpoch(tf, net, W, data.train, data.columnOf, data.layout, reg, data.test);
 * ```
 */
export async function measureEpoch(
  tf: Tf,
  net: Backbone,
  W: Tensor,
  train: DeviceSet,
  columnOf: Int32Array,
  layout: ClassLayout,
  reg: TrainRegularisers,
  test?: DeviceSet,
): Promise<EpochMetrics> {
  const H = await extractFeatures(tf, net, train, columnOf);
  const Wd = await toDense(W);
  const Z = matmul(Wd, H);
  const pred = argmaxColumns(Z);
  const perClass = layout.sizes.map((n, k) => {
    let c = 0;
    for (let i = layout.offsets[k]; i < layout.offsets[k + 1]; i++) if (pred[i] === k) c++;
    return c / n;
  });
  const trainAccuracy = perClass.reduce((s, a, k) => s + a * layout.sizes[k], 0) / layout.N;
  let decay = 0;
  for (const p of net.params) {
    if (!p.decay) continue;
    const v = (await p.variable.data()) as Float32Array;
    for (let i = 0; i < v.length; i++) decay += v[i] * v[i];
  }
  const nc = ncMetrics(H, layout, Wd);
  const K = layout.K;
  const bySize = [...layout.sizes.keys()].sort((a, b) => layout.sizes[a] - layout.sizes[b] || a - b);
  let maxCos = -1;
  for (let a = 0; a < K; a++) for (let b = a + 1; b < K; b++) maxCos = Math.max(maxCos, rowCosine(Wd, a, b));
  const alignment = nc.classifierAlignment ?? [];
  const normsW = nc.classifierNorms ?? [];
  return {
    objective: ufmObjective(Wd, H, layout, reg),
    crossEntropy: crossEntropy.evaluate(Z, layout),
    weightDecayPenalty: (reg.weightDecay / 2) * decay,
    trainAccuracy,
    perClassTrainAccuracy: perClass,
    testAccuracy: test ? await testAccuracy(tf, net, W, test) : undefined,
    nc1: nc.nc1,
    maxClassMeanCosine: nc.maxClassMeanCosine,
    classifierAlignment: alignment,
    meanClassifierAlignment: alignment.reduce((s, v) => s + v, 0) / alignment.length,
    minClassifierAlignment: Math.min(...alignment),
    classifierNorms: normsW,
    classMeanNorms: nc.classMeanNorms,
    zeroClassMeans: nc.zeroClassMeans,
    minorityClassifierCosine: rowCosine(Wd, bySize[0], bySize[1]),
    maxClassifierCosine: maxCos,
    classifierRowSumRelative: (nc.classifierRowSum ?? 0) / Math.max(...normsW, Number.MIN_VALUE),
    withinClassVariation: nc.withinClassVariation,
    ncConvention: nc.convention,
  };
}
