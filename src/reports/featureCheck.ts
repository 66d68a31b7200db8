import { InputError } from '../errors.ts';
import type { Dense } from '../linalg/dense.ts';
import { classMeans } from '../metrics/classMeans.ts';
import { nc2Distance, nc3Distance, ncMetrics, normalisedFrobeniusDistance, scaledCentredMeans } from '../metrics/nc.ts';
import { type ClassLayout, classLayout } from '../problem/layout.ts';
import { predictUfmPlus } from '../theory/ufmPlusCe.ts';

/**
 * Features given one sample per row (N×d) regrouped into ncverify's layout: H (d×N) with the
 * columns of class 0 first, then class 1, …, each class's samples in their original order (stable).
 * Labels must be integers 0…K−1 with K = max + 1 and every class present.
 *
 * Memory: H is one new d×N Float64Array beside the N×d input.
 *
 * @example
 * ```ts
 * const { H, layout } = groupByLabel(fromRows([[1, 2], [3, 4], [5, 6]]), Int32Array.from([1, 0, 1]));
 * // layout.sizes = [1, 2]; H columns: (3,4), (1,2), (5,6)
 * ```
 */
export function groupByLabel(features: Dense, labels: Int32Array, labelsName = 'labels'): { H: Dense; layout: ClassLayout } {
  const { rows: N, cols: d, data: f } = features;
  if (labels.length !== N) {
    throw new InputError(labelsName, 'must hold one label per feature row (features are N×d, one sample per row)', `${labels.length} labels for N = ${N} rows`);
  }
  let K = 0;
  for (let i = 0; i < N; i++) {
    if (labels[i] < 0) throw new InputError(labelsName, 'labels must be integers 0 … K−1', `label ${labels[i]} at index ${i}`);
    // every class 0 … K−1 needs a sample, so K ≤ N: a larger label cannot be valid (and would size arrays by it)
    if (labels[i] >= N) {
      throw new InputError(labelsName, `labels must be integers 0 … K−1 with every class present, hence below N = ${N}`, `label ${labels[i]} at index ${i}`);
    }
    K = Math.max(K, labels[i] + 1);
  }
  const sizes = new Array<number>(K).fill(0);
  for (let i = 0; i < N; i++) sizes[labels[i]]++;
  const missing = sizes.flatMap((s, k) => (s === 0 ? [k] : []));
  if (missing.length > 0) {
    const shown = missing.slice(0, 10).join(', ') + (missing.length > 10 ? ', …' : '');
    throw new InputError(labelsName, `every class 0 … K−1 (K = max label + 1 = ${K}) must have at least one sample`, `no samples of class ${shown}`);
  }
  const layout = classLayout(sizes);
  const next = layout.offsets.slice(0, K);
  const H = { rows: d, cols: N, data: new Float64Array(d * N) };
  for (let i = 0; i < N; i++) {
    const col = next[labels[i]]++;
    for (let r = 0; r < d; r++) H.data[r * N + col] = f[i * d + r];
  }
  return { H, layout };
}

/** A measured value beside its prediction, each also divided by its largest value over the classes. */
export interface Compared {
  readonly measured: number;
  readonly predicted: number;
  readonly measuredNormalised: number;
  readonly predictedNormalised: number;
}

/** One class of a {@link FeatureCheck}. */
export interface ClassCheck {
  readonly k: number;
  readonly n: number;
  /** The UFM+ prediction: n_k > T. */
  readonly predictedAlive: boolean;
  /** Measured: ‖h̄_k‖ is zero relative to the largest class mean (minority collapse). */
  readonly measuredZeroMean: boolean;
  readonly withinClassVariation: number;
  readonly featureNorm: Compared;
  readonly classifierNorm?: Compared;
  /** cos(w_k, a_k), a_k = K sqrt(n_k) h̄_k − Σ_m sqrt(n_m) h̄_m: 1 at the UFM+ optimum. */
  readonly alignment?: number;
}

/** Trained (or solved) features measured against the UFM+ prediction for their class sizes. */
export interface FeatureCheck {
  readonly K: number;
  readonly N: number;
  readonly d: number;
  readonly n: readonly number[];
  readonly lambdaW: number;
  readonly lambdaH: number;
  /** The minority-collapse threshold T = N² λ_W λ_H K/(K−1). */
  readonly threshold: number;
  /** The NC metric convention (THEORY.md §5). */
  readonly convention: string;
  /** Where the theorem's assumptions do not hold (e.g. d < K), stated. */
  readonly notes: readonly string[];
  readonly classes: readonly ClassCheck[];
  /** NC1 = (1/K) tr(Σ_W Σ_B†), and the rank Σ_B† kept. */
  readonly nc1: number;
  readonly betweenClassRank: number;
  /** NC2 distance of H̄ᵀH̄ to the predicted diag(‖h̄_k‖²), and the largest |cos| between class means. */
  readonly nc2: { readonly distance: number; readonly maxClassMeanCosine: number };
  /** With a classifier: NC3 distance of W to the scaled-and-centred means, ‖Σ w_k‖, W Wᵀ and W H̄ distances to their predictions. */
  readonly nc3?: {
    readonly distance: number;
    readonly classifierRowSum: number;
    readonly classifierGramDistance: number;
    readonly logitsDistance: number;
  };
}

function compared(measured: readonly number[], predicted: readonly number[]): Compared[] {
  const mMax = Math.max(0, ...measured);
  const pMax = Math.max(0, ...predicted);
  return measured.map((m, k) => ({
    measured: m,
    predicted: predicted[k],
    measuredNormalised: mMax === 0 ? 0 : m / mMax,
    predictedNormalised: pMax === 0 ? 0 : predicted[k] / pMax,
  }));
}

/**
 * Measures features (N×d, one sample per row) with integer labels and an optional classifier W (K×d)
 * against the UFM+ closed form for their class sizes (Dang et al. ICML 2024, THEORY.md §1): NC1, NC2
 * (Gram of the uncentred class means against diag(‖h̄_k‖²)), NC3 (W against the scaled-and-centred
 * means), W Wᵀ and W H̄ against their predictions, and per class the predicted collapse, norms and the
 * alignment cosine. Metrics from src/metrics/nc.ts, prediction from src/theory/ufmPlusCe.ts.
 *
 * @example
 * ```ts
 * const check = featureCheck({ features, labels, classifier, lambdaW: 5e-3, lambdaH: 5e-3 });
 * check.nc1; check.nc2.distance; check.nc3?.distance; check.classes[0].predictedAlive;
 * ```
 */
export function featureCheck(input: {
  features: Dense;
  labels: Int32Array;
  classifier?: Dense;
  lambdaW: number;
  lambdaH: number;
}): FeatureCheck {
  const { H, layout } = groupByLabel(input.features, input.labels);
  const { K, N, sizes } = layout;
  const d = H.rows;
  const W = input.classifier;
  if (W !== undefined && (W.rows !== K || W.cols !== d)) {
    throw new InputError('classifier', `must be K×d = ${K}×${d} (one row w_k per class)`, `got ${W.rows}×${W.cols}`);
  }
  const m = ncMetrics(H, layout, W);
  const p = predictUfmPlus({ n: sizes, lambdaW: input.lambdaW, lambdaH: input.lambdaH });
  const notes = d < K ? [`d = ${d} < K = ${K}: the UFM+ closed form assumes d ≥ K; predictions are shown for reference only`] : [];
  const feat = compared(m.classMeanNorms, p.classes.map((c) => c.featureNorm));
  const clf = m.classifierNorms === undefined ? undefined : compared(m.classifierNorms, p.classes.map((c) => c.classifierNorm));
  const zero = new Set(m.zeroClassMeans);
  const classes: ClassCheck[] = sizes.map((n, k) => ({
    k,
    n,
    predictedAlive: p.classes[k].alive,
    measuredZeroMean: zero.has(k),
    withinClassVariation: m.withinClassVariation[k],
    featureNorm: feat[k],
    ...(clf === undefined ? {} : { classifierNorm: clf[k], alignment: m.classifierAlignment![k] }),
  }));
  // Predicted W H̄: column k is s_k (e_k − (1/K) 1) (THEORY.md §1, Logits).
  const predictedLogits = sizes.map((_, j) => p.classes.map((c, k) => c.margin * ((j === k ? 1 : 0) - 1 / K)));
  return {
    K, N, d, n: sizes, lambdaW: input.lambdaW, lambdaH: input.lambdaH, threshold: p.threshold, convention: m.convention, notes, classes,
    nc1: m.nc1,
    betweenClassRank: m.betweenClassRank,
    nc2: { distance: nc2Distance(m.classMeanGram, p.featureGram), maxClassMeanCosine: m.maxClassMeanCosine },
    ...(W === undefined ? {} : {
      nc3: {
        distance: nc3Distance(W, scaledCentredMeans(classMeans(H, layout), sizes)),
        classifierRowSum: m.classifierRowSum!,
        classifierGramDistance: normalisedFrobeniusDistance(m.classifierGram!, p.classifierGram),
        logitsDistance: normalisedFrobeniusDistance(m.classMeanLogits!, predictedLogits),
      },
    }),
  };
}
