/**
 * Claim (classifier norms): at every global minimiser ‖w_k‖² = (1 − 1/K)² b_k² + (1/K²) Σ_{m≠k} b_m²,
 * b_k² = s_k sqrt(λ_H K n_k / (λ_W (K−1))).
 * Source: Dang et al., ICML 2024, main theorem; THEORY.md §1 "Classifier".
 *
 * Tolerance: | ‖w_k‖ − ‖w_k*‖ |, the smaller of ‖W − W°‖_F ≤ e_W and the bound linear in the per-class
 * scalar residuals (src/optima/ufmPlus/linear.ts), which also covers the closed form's float64 rounding.
 */
import type { Claim } from '../src/runner/claim.ts';
import { theoremInstance, type Instance } from './_internals/instances.ts';

export const classifierNorms: Claim<Instance> = {
  id: 'classifier-norms',
  title: 'Classifier norms equal the closed form',
  source: 'Dang et al., ICML 2024, main theorem; THEORY.md §1',
  mode: 'assert',
  usesTheory: true,
  arbitrary: theoremInstance,
  check(instance, ctx) {
    const opt = ctx.optima.ufmPlus(instance);
    const predicted = ctx.theory.predict(instance).classes;
    return predicted.map((p, k) => ({
      quantity: `| ‖w_${k + 1}‖ − predicted ${p.classifierNorm} |`,
      value: Math.abs(opt.classifierNorms[k] - p.classifierNorm),
      tolerance: opt.bounds.classifierNorm[k],
    }));
  },
};
