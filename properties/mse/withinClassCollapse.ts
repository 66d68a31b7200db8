/**
 * Claim (MSE NC1, within-class collapse): at every global minimiser of the MSE model with one weight
 * matrix — bias-free (THEORY.md §4(a), M = 1) or with a free bias (§4(b), L = 1) — every feature
 * equals its class mean, h_{k,i} = h̄_k.
 * Source: Dang et al., ICML 2023 (arXiv 2301.00437); H. Liu, arXiv 2411.17278; THEORY.md §4;
 * docs/theory-mse-L.md §0 (Jensen + strict convexity of ‖H‖²).
 *
 * Tolerance (properties/mse/optimum.ts, item 3, rigorous): for fixed W (and b) f is λ_H-strongly
 * convex in H with a collapsed minimiser, so class k's variation sqrt((1/n_k) Σ‖h_i − h̄_k‖²) ≤
 * sqrt(2δ/(λ_H n_k)), δ the certificate's optimality gap.
 */
import fc from 'fast-check';
import type { Claim } from '../../src/runner/claim.ts';
import { mseInstance } from './instances.ts';
import type { MseInstance } from '../../src/optima/mse.ts';

export const mseWithinClassCollapse: Claim<MseInstance> = {
  id: 'mse-within-class-collapse',
  title: 'MSE (bias-free and free bias, one layer): within-class collapse h_{k,i} = h̄_k',
  source: 'Dang et al., ICML 2023; Liu, arXiv 2411.17278; THEORY.md §4',
  mode: 'assert',
  usesTheory: false,
  runs: 30,
  arbitrary: (budget) => fc.oneof(mseInstance(budget, false), mseInstance(budget, true)),
  check(instance, ctx) {
    const o = ctx.optima.mse(instance);
    return o.withinClass.map((v, k) => ({
      quantity: `within-class variation of class ${k + 1}${instance.bias ? ' (free bias)' : ''}`,
      value: v,
      tolerance: o.withinClassError[k],
    }));
  },
};
