/**
 * The deep-linear (M = 2) MSE instances of THEORY.md §4(a); their multi-start optima come from the
 * optimum layer (src/optima/deepLinear.ts).
 */
import fc from 'fast-check';
import type { Budget } from '../../src/runner/claim.ts';
import { arbitrarySizes, balancedSizes, stepImbalanceSizes, ufmInstance } from '../../src/generators/index.ts';
import type { DeepInstance } from '../../src/optima/deepLinear.ts';

export type { DeepInstance, DeepOptimum } from '../../src/optima/deepLinear.ts';
export { DEEP_STARTS } from '../../src/optima/deepLinear.ts';

/**
 * M = 2 instances: K 2–4, at most 30 per class (balanced, step or arbitrary sizes), λ_W, λ_H
 * log-uniform in [1e-3, 1e-1] (smaller λ makes L-BFGS need thousands of iterations per start, too
 * slow for `npm test`), widths d ∈ [K, 2K].
 */
export function deepInstance(budget: Budget): fc.Arbitrary<DeepInstance> {
  const maxK = budget === 'small' ? 4 : 8;
  const sizes = fc.oneof(
    balancedSizes({ minK: 2, maxK, maxSize: 30 }),
    stepImbalanceSizes({ minK: 2, maxK, maxMinoritySize: 5, minRatio: 2, maxRatio: 6 }),
    arbitrarySizes({ minK: 2, maxK, maxSize: 30 }),
  );
  const range = { min: 1e-3, max: 1e-1 };
  return ufmInstance({ sizes, lambdaW: range, lambdaH: range, dimension: { minFactor: 1, maxFactor: 2 } }).map((i) => ({ ...i, layers: 2 }));
}
