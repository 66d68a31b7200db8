import fc from 'fast-check';
import { InputError } from '../errors.ts';
import { budgetSizes } from './budgetSizes.ts';
import type { Budget } from './_internals/budgets.ts';
import { requireOneOf } from './_internals/constraints.ts';
import { type DimensionConstraints, dimensionAt, dimensionFactors } from './_internals/dimensionFactors.ts';
import { fraction, integerAt, logUniform } from './_internals/grid.ts';
import { regularisersForThreshold, thresholdOf } from './_internals/threshold.ts';
import type { UfmInstance } from './_internals/types.ts';
import { REGULARISER_RANGE } from './_internals/regulariserArb.ts';

/** Where the chosen class sits relative to the minority-collapse threshold T. */
export type ThresholdPosition = 'below' | 'at' | 'above' | 'complete-collapse';

/** Options of {@link thresholdInstance}. */
export interface ThresholdInstanceConstraints {
  /** The chosen class's position relative to T. */
  readonly where: ThresholdPosition;
  /** Class sizes; default {@link budgetSizes}(budget). */
  readonly sizes?: fc.Arbitrary<number[]>;
  /** 'small' (default) or 'large'; picks the default sizes. */
  readonly budget?: Budget;
  /** d ∈ [minFactor·K, maxFactor·K] (default [K, 4K]). */
  readonly dimension?: DimensionConstraints;
  /** The gap |T − n_j| in samples for 'below' / 'above', log-uniform (default [1e-6, 0.5]). */
  readonly gap?: { readonly min: number; readonly max: number };
  /**
   * Instead of `gap`: the relative gap |T − n_j|/n_j for 'below' / 'above', log-uniform (e.g. [1e-10, 0.1]:
   * as close to T as a float64 certificate resolves, docs/resolution.md). Shrinks to `max`.
   */
  readonly relativeGap?: { readonly min: number; readonly max: number };
}

/** A UFM+ instance placed relative to the minority-collapse threshold, with what was placed where. */
export interface ThresholdInstance extends UfmInstance {
  readonly where: ThresholdPosition;
  /** The chosen class j (0-based). For 'complete-collapse', the first largest class. */
  readonly classIndex: number;
  /** T = N² λ_W λ_H K/(K−1) evaluated for the returned λ's (THEORY.md §1). */
  readonly threshold: number;
}

/** Smallest and largest gap |T − n_j| (in samples) for 'below' / 'above'; T shrinks toward the largest. */
const GAP = { min: 1e-6, max: 0.5 } as const;

/**
 * An instance near the minority-collapse threshold T = N² λ_W λ_H K/(K−1) of UFM+ (Dang et al. ICML 2024,
 * THEORY.md §1: class k is alive iff n_k > T). Sizes are drawn first; then λ_W λ_H = T(K−1)/(N²K) puts T
 * where wanted relative to a chosen class j, split as λ_W = sqrt(λ_W λ_H)·10^s, λ_H = λ_W λ_H/λ_W with a skew
 * |s| ≤ 1 (shrinks to 0, λ_W = λ_H) limited so that both λ's stay in [1e-5, 1e-1] whenever sqrt(λ_W λ_H)
 * is in it. The product is dictated by T, so when sqrt(λ_W λ_H) is outside that range the λ's are too (e.g.
 * a majority class of a small N put at T needs λ's ≈ 0.1–1).
 *
 * - 'below': n_j < T = n_j + g, g ∈ [1e-6, 0.5] log-uniform (or g = r·n_j with `relativeGap`): class j (and every class with n_k ≤ n_j) is
 *   collapsed, every larger class is alive. j is drawn among the classes smaller than the largest, so some
 *   class stays alive; a balanced size vector gets n_1 ← n_1 + 1 to make one.
 * - 'at': T = n_j up to rounding, with the same choice of j. Exactness: λ_H is corrected ulp by ulp until
 *   T, evaluated as (N·N·λ_W·λ_H·K)/(K−1), satisfies T ≥ n_j, and then T − n_j ≤ a few ulp (relative
 *   ≲ 1e-15). So by the strict test n_k > T the class counts as collapsed (s_j = 0 exactly at T, so the
 *   optimum is continuous there); another evaluation order may land on either side within those ulp.
 * - 'above': T = n_j − g ≤ n_j − 1e-6: class j is just alive, smaller classes collapse. Any class may be j.
 * - 'complete-collapse': T = max_k n_k · 10^t, t ∈ [0, 1] (shrinks to t = 0, T = max n_k exactly, T ≥ max n_k):
 *   every class has n_k ≤ T, so (W, H) = (0, 0) is the minimiser. j is the first largest class.
 *
 * @throws InputError when `where` or another option is invalid
 * @example
 * ```ts
 * fc.assert(fc.property(thresholdInstance({ where: 'above' }), (inst) => inst.n[inst.classIndex] > inst.threshold));
 * ```
 */
export function thresholdInstance(constraints: ThresholdInstanceConstraints): fc.Arbitrary<ThresholdInstance> {
  const where = requireOneOf(constraints?.where, 'thresholdInstance.where', ['below', 'at', 'above', 'complete-collapse']);
  const factors = dimensionFactors(constraints.dimension ?? {}, 'thresholdInstance.dimension');
  if (constraints.gap !== undefined && constraints.relativeGap !== undefined) {
    throw new InputError('thresholdInstance.relativeGap', 'cannot be given with gap (choose samples or a fraction of n_j)');
  }
  const relative = constraints.relativeGap !== undefined;
  const gapRange = constraints.relativeGap ?? constraints.gap ?? GAP;
  const gapName = relative ? 'thresholdInstance.relativeGap' : 'thresholdInstance.gap';
  if (!(gapRange.min > 0 && gapRange.min <= gapRange.max)) {
    throw new InputError(gapName, 'needs 0 < min ≤ max (widen the range)', `got [${gapRange.min}, ${gapRange.max}]`);
  }
  if (relative && !(gapRange.max < 1)) throw new InputError(gapName, 'needs max < 1 (T stays positive below n_j)', `got max ${gapRange.max}`);
  return fc
    .record({
      sizes: constraints.sizes ?? budgetSizes(constraints.budget ?? 'small'),
      pick: fraction(),
      gap: logUniform(gapRange.min, gapRange.max, gapRange.max),
      skew: fc.integer({ min: -1000, max: 1000 }).map((i) => i / 1000),
      dFraction: fraction(),
    })
    .map(({ sizes, pick, gap, skew, dFraction }) => {
      const n = where === 'below' || where === 'at' ? withUnequalSizes(sizes) : sizes.slice();
      const { classIndex, target } = placement(where, n, pick, gap, relative);
      const N = n.reduce((a, b) => a + b, 0);
      const K = n.length;
      const side = where === 'above' ? 'atMost' : 'atLeast';
      const { lambdaW, lambdaH } = regularisersForThreshold(N, K, target, skew, side, REGULARISER_RANGE);
      const d = dimensionAt(K, dFraction, factors);
      return { n, lambdaW, lambdaH, d, where, classIndex, threshold: thresholdOf(N, K, lambdaW, lambdaH) };
    });
}

/** The chosen class and the target T for a position. `pick` ∈ [0, 1] selects among eligible classes; a relative gap is g·n_j samples. */
function placement(where: ThresholdPosition, n: number[], pick: number, g: number, relative: boolean): { classIndex: number; target: number } {
  const nMax = Math.max(...n);
  if (where === 'complete-collapse') return { classIndex: n.indexOf(nMax), target: nMax * 10 ** pick };
  const eligible = where === 'above' ? n.map((_, k) => k) : n.flatMap((nk, k) => (nk < nMax ? [k] : []));
  const classIndex = eligible[integerAt(pick, 0, eligible.length - 1)];
  const nj = n[classIndex];
  const gap = relative ? g * nj : g;
  const target = where === 'below' ? nj + gap : where === 'above' ? nj - gap : nj;
  return { classIndex, target };
}

/** A copy of n; when all sizes are equal, the first class gets one more sample. */
function withUnequalSizes(n: number[]): number[] {
  const out = n.slice();
  if (out.every((nk) => nk === out[0])) out[0] += 1;
  return out;
}
