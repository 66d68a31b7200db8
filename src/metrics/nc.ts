import type { Dense } from '../linalg/dense.ts';
import type { ClassLayout } from '../problem/layout.ts';
import { classMeanGeometry } from './classMeanGeometry.ts';
import { classMeans, withinClassVariationAbout } from './classMeans.ts';
import { classifierGeometry } from './classifierGeometry.ts';
import { describeConvention, type NcOptions, PINV_RELATIVE_CUTOFF, ZERO_MEAN_RELATIVE_CUTOFF } from './convention.ts';
import { InputError } from '../errors.ts';
import { nc1FromMeans } from './nc1.ts';
import { checkClassifier, checkFeatures } from './validateInputs.ts';

export { nc2Distance, nc3Distance, normalisedFrobeniusDistance } from './distances.ts';
export { scaledCentredMeans } from './classifierGeometry.ts';
export { nc1, type Nc1Result } from './nc1.ts';
export { describeConvention, type NcOptions, PINV_RELATIVE_CUTOFF, ZERO_MEAN_RELATIVE_CUTOFF } from './convention.ts';

/** The neural-collapse metrics of THEORY.md §5, all float64, in one written convention. */
export interface NcMetrics {
  /** One line stating the NC1 convention and cut-offs ({@link describeConvention}). */
  convention: string;
  /** (1/K) tr(Σ_W Σ_B†). */
  nc1: number;
  /** Eigen-directions of Σ_B kept by the truncated pseudo-inverse (≤ K−1). */
  betweenClassRank: number;
  /** Per class sqrt((1/n_k) Σ_i ‖h_{k,i} − h̄_k‖²). */
  withinClassVariation: number[];
  /** ‖h̄_k‖ (uncentred). */
  classMeanNorms: number[];
  /** Largest |cos| between distinct uncentred class means; a zero mean counts as cosine 0 and is flagged. */
  maxClassMeanCosine: number;
  /** H̄ᵀH̄ (K×K). */
  classMeanGram: number[][];
  /** ‖w_k‖, when W is given. */
  classifierNorms?: number[];
  /** cos(w_k, a_k), a_k = K sqrt(n_k) h̄_k − Σ_m sqrt(n_m) h̄_m (NC3 target), when W is given. */
  classifierAlignment?: number[];
  /** ‖Σ_k w_k‖, when W is given. */
  classifierRowSum?: number;
  /** W Wᵀ (K×K), when W is given. */
  classifierGram?: number[][];
  /** W H̄ (K×K, column k = logits of h̄_k), when W is given. */
  classMeanLogits?: number[][];
  /** Classes with ‖h̄_k‖ ≤ cutoff · max_m ‖h̄_m‖ (minority-collapse indicator). */
  zeroClassMeans: number[];
}

/**
 * The NC metrics of features H (d×N, columns grouped by class as in `layout`) and, optionally, a classifier
 * W (K×d): NC1 (Papyan et al., PNAS 2020) in the convention of THEORY.md §5, within-class variation, the
 * uncentred class-mean geometry (NC2 for ReLU features) and the classifier's NC3 alignment with the
 * scaled-and-centred means of UFM+ (Dang et al., ICML 2024). Theorem-free: compare against a prediction with
 * {@link nc2Distance} / {@link nc3Distance}. No d×d matrix is formed; two passes over H plus one projection
 * pass of cost O(d N K).
 *
 * @throws InputError when H or W has the wrong shape or a non-finite entry, or a cut-off is not in [0, 1)
 * @example
 * ```ts
 * const m = ncMetrics(H, classLayout([100, 100, 10, 10]), W);
 * m.nc1; m.maxClassMeanCosine; m.classifierAlignment; m.zeroClassMeans;
 * ```
 */
export function ncMetrics(H: Dense, layout: ClassLayout, W?: Dense, options: NcOptions = {}): NcMetrics {
  const cutoffs = resolveOptions(options);
  const scale = checkFeatures(H, layout);
  if (W !== undefined) checkClassifier(W, layout.K, H.rows);
  const Hbar = classMeans(H, layout);
  const withinClassVariation = withinClassVariationAbout(H, layout, Hbar);
  const { nc1, betweenClassRank } = nc1FromMeans(H, layout, Hbar, withinClassVariation, scale, cutoffs.pinvRelativeCutoff);
  const geometry = classMeanGeometry(Hbar, cutoffs.zeroMeanRelativeCutoff);
  return {
    convention: describeConvention(cutoffs),
    nc1,
    betweenClassRank,
    withinClassVariation,
    ...geometry,
    ...(W === undefined ? {} : classifierGeometry(W, Hbar, layout.sizes)),
  };
}

function resolveOptions(o: NcOptions): Required<NcOptions> {
  const pinvRelativeCutoff = o.pinvRelativeCutoff ?? PINV_RELATIVE_CUTOFF;
  const zeroMeanRelativeCutoff = o.zeroMeanRelativeCutoff ?? ZERO_MEAN_RELATIVE_CUTOFF;
  for (const [name, v] of [['pinvRelativeCutoff', pinvRelativeCutoff], ['zeroMeanRelativeCutoff', zeroMeanRelativeCutoff]] as const) {
    if (!(v >= 0 && v < 1)) throw new InputError(`options.${name}`, 'must be a number in [0, 1)', `got ${v}`);
  }
  return { pinvRelativeCutoff, zeroMeanRelativeCutoff };
}
