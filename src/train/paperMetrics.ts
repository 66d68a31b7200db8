import { type Dense, matmul } from '../linalg/dense.ts';
import { classMeans } from '../metrics/classMeans.ts';
import { classifierGeometry } from '../metrics/classifierGeometry.ts';
import { nc2Distance, nc3Distance, ncMetrics, type NcMetrics, scaledCentredMeans } from '../metrics/nc.ts';
import {
  centredRows,
  classifierCentring,
  classMeanMargins,
  maxRelativeErrorWhereNonZero,
  nearestCentreAgreement,
  orderAgreement,
} from '../metrics/paperChecks.ts';
import { classLayout, type ClassLayout } from '../problem/layout.ts';

/** The closed form of THEORY.md §1 that the per-epoch checks compare against. */
export interface TheoryTargets {
  /** s_k (0 for a collapsed class). */
  readonly margins: readonly number[];
  /** ‖h̄_k‖. */
  readonly classMeanNorms: readonly number[];
  /** ‖w_k‖. */
  readonly classifierNorms: readonly number[];
  /** H̄ᵀH̄ = diag(‖h̄_k‖²) (featureGram of src/theory/ufmPlusCe.ts). */
  readonly classMeanGram: readonly (readonly number[])[];
}

/**
 * What the papers plot, per epoch (issue 18 item 4), beside measure.ts's metrics. "Centred"
 * entries use W with its rows centred (w_k − mean_m w_m), which changes no logit gap, so the
 * margins and NC4 are the same for both.
 */
export interface PaperMetrics {
  /** NC2: ‖G/‖G‖ − D/‖D‖‖_F, G = H̄ᵀH̄, D = diag(predicted ‖h̄_k‖²) (THEORY.md §1: orthogonal means). */
  readonly nc2: number;
  /** NC3: ‖W/‖W‖ − A/‖A‖‖_F, A = the scaled-and-centred means (classifierGeometry.ts). */
  readonly nc3: number;
  readonly nc3Centred: number;
  /** ‖Σ_k w_k‖ / rms_k ‖w_k‖ (0 at the optimum, ≈ √K for random rows). */
  readonly classifierCentring: number;
  readonly minClassifierAlignmentCentred: number;
  readonly classifierNormsCentred: number[];
  /** max_k |‖w_k‖ − predicted| / predicted, raw and centred W. */
  readonly classifierNormRelativeError: number;
  readonly classifierNormRelativeErrorCentred: number;
  /** (W h̄_k)_k − mean_{j≠k} (W h̄_k)_j, → s_k. */
  readonly margins: number[];
  /** max over alive classes of |margin_k − s_k| / s_k. */
  readonly marginRelativeError: number;
  /** max_k |‖h̄_k‖ − predicted| / predicted. */
  readonly classMeanNormRelativeError: number;
  /** The fraction of size-group pairs whose ‖h̄_k‖ order is the predicted one (unimodal in n_k). */
  readonly classMeanNormOrder: number;
  /** NC4: the fraction of training samples where argmax W h = the nearest training class mean. */
  readonly nc4: number;
  /** On the test set (grouped by label; class means of the test features for NC1, of the training features for NC4). */
  readonly testNc1?: number;
  readonly testNc4?: number;
  readonly testMaxClassMeanCosine?: number;
}

/** The test features regrouped by label (class 0 first, stable), with their layout; undefined if a class has no test record. */
function groupTest(H: Dense, labels: Int32Array, K: number): { H: Dense; layout: ClassLayout } | undefined {
  const sizes = new Array<number>(K).fill(0);
  for (const y of labels) sizes[y]++;
  if (sizes.some((n) => n === 0)) return undefined;
  const layout = classLayout(sizes);
  const next = [...layout.offsets];
  const G: Dense = { rows: H.rows, cols: H.cols, data: new Float64Array(H.data.length) };
  labels.forEach((y, i) => {
    const col = next[y]++;
    for (let r = 0; r < H.rows; r++) G.data[r * H.cols + col] = H.data[r * H.cols + i];
  });
  return { H: G, layout };
}

function testChecks(W: Dense, Hbar: Dense, test: { H: Dense; labels: Int32Array }): Pick<PaperMetrics, 'testNc1' | 'testNc4' | 'testMaxClassMeanCosine'> {
  const nc4 = nearestCentreAgreement(matmul(W, test.H), test.H, Hbar);
  const grouped = groupTest(test.H, test.labels, W.rows);
  if (!grouped) return { testNc4: nc4 };
  const m = ncMetrics(grouped.H, grouped.layout);
  return { testNc1: m.nc1, testNc4: nc4, testMaxClassMeanCosine: m.maxClassMeanCosine };
}

/**
 * The per-epoch paper checks of a trained network's features H (d×N, grouped as `layout`) and
 * classifier W (K×d), against the closed form `theory`; `test` adds the test-set ones.
 *
 * @example
 * ```ts
 * const p = paperMetrics(H, layout, W, Z, nc, theory, { H: Htest, labels });
 * p.classifierCentring; p.nc4; p.marginRelativeError;
 * ```
 */
export function paperMetrics(
  H: Dense,
  layout: ClassLayout,
  W: Dense,
  logits: Dense,
  nc: NcMetrics,
  theory: TheoryTargets,
  test?: { H: Dense; labels: Int32Array },
): PaperMetrics {
  const Hbar = classMeans(H, layout);
  const A = scaledCentredMeans(Hbar, layout.sizes);
  const Wc = centredRows(W);
  const centred = classifierGeometry(Wc, Hbar, layout.sizes);
  const margins = classMeanMargins(W, Hbar);
  return {
    nc2: nc2Distance(nc.classMeanGram, theory.classMeanGram),
    nc3: nc3Distance(W, A),
    nc3Centred: nc3Distance(Wc, A),
    classifierCentring: classifierCentring(W),
    minClassifierAlignmentCentred: Math.min(...centred.classifierAlignment),
    classifierNormsCentred: centred.classifierNorms,
    classifierNormRelativeError: maxRelativeErrorWhereNonZero(nc.classifierNorms ?? [], theory.classifierNorms),
    classifierNormRelativeErrorCentred: maxRelativeErrorWhereNonZero(centred.classifierNorms, theory.classifierNorms),
    margins,
    marginRelativeError: maxRelativeErrorWhereNonZero(margins, theory.margins),
    classMeanNormRelativeError: maxRelativeErrorWhereNonZero(nc.classMeanNorms, theory.classMeanNorms),
    classMeanNormOrder: orderAgreement(nc.classMeanNorms, theory.classMeanNorms, layout.sizes),
    nc4: nearestCentreAgreement(logits, H, Hbar),
    ...(test ? testChecks(W, Hbar, test) : {}),
  };
}
