/**
 * Generated MSE instances (src/generators): the budget's class sizes, λ_W, λ_H log-uniform in
 * [1e-5, 1e-1], d ∈ [K, 2K] — with or without a free bias — and instances placed at the M = 1 collapse
 * threshold N² λ_W λ_H.
 */
import fc from 'fast-check';
import type { Budget } from '../../src/runner/claim.ts';
import { thresholdInstance, ufmInstance } from '../../src/generators/index.ts';
import type { MseInstance } from '../../src/optima/mse.ts';

/** Bias-free (or free-bias) MSE instances inside THEORY.md §4's assumptions (d ≥ K). */
export function mseInstance(budget: Budget, bias: boolean): fc.Arbitrary<MseInstance> {
  return ufmInstance({ budget, dimension: { minFactor: 1, maxFactor: 2 } }).map((i) => ({ ...i, bias }));
}

/**
 * Bias-free instances with a class just below, at or just above the M = 1 threshold N² λ_W λ_H, or in
 * complete collapse. thresholdInstance places the UFM+ threshold N² λ_W λ_H K/(K−1); multiplying λ_H
 * by K/(K−1) puts the MSE threshold where the UFM+ one was (up to one rounding of λ_H, ≈ 1e-16
 * relative: an 'at' instance may land on either side, where the optimum is continuous — x = 0 there).
 */
export function mseThresholdInstance(budget: Budget): fc.Arbitrary<MseInstance> {
  const at = (where: 'below' | 'at' | 'above' | 'complete-collapse') =>
    thresholdInstance({ where, budget, dimension: { minFactor: 1, maxFactor: 2 } }).map(({ n, lambdaW, lambdaH, d }): MseInstance => {
      const K = n.length;
      return { n, lambdaW, lambdaH: (lambdaH * K) / (K - 1), d, bias: false };
    });
  return fc.oneof(at('below'), at('at'), at('above'), at('complete-collapse'));
}
