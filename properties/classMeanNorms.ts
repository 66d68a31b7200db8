/**
 * Claim (class-mean norms): at every global minimiser ‖h̄_k‖ equals the closed form
 * ‖h̄_k‖² = s_k · sqrt(λ_W (K−1) / (λ_H K n_k)) for alive classes and 0 for collapsed ones.
 * Source: Dang et al., ICML 2024, main theorem; THEORY.md §1 "Class means".
 *
 * Tolerance: | ‖h̄_k‖ − ‖h̄_k*‖ |, the smaller of ‖h̄_k − h̄_k°‖ ≤ e_k (src/optima/ufmPlus/bounds.ts) and the
 * bound linear in class k's scalar residual at the margin the measured norm implies
 * (src/optima/ufmPlus/linear.ts), which also covers the closed form's float64 rounding.
 */
import type { Claim } from '../src/runner/claim.ts';
import { theoremInstance, type Instance } from './_internals/instances.ts';

export const classMeanNorms: Claim<Instance> = {
  id: 'class-mean-norms',
  title: 'Class-mean norms equal the closed form',
  source: 'Dang et al., ICML 2024, main theorem; THEORY.md §1',
  mode: 'assert',
  usesTheory: true,
  arbitrary: theoremInstance,
  check(instance, ctx) {
    const opt = ctx.optima.ufmPlus(instance);
    const predicted = ctx.theory.predict(instance).classes;
    return predicted.map((p, k) => ({
      quantity: `| ‖h̄_${k + 1}‖ − predicted ${p.featureNorm} |`,
      value: Math.abs(opt.classMeanNorms[k] - p.featureNorm),
      tolerance: opt.bounds.classMeanNorm[k],
    }));
  },
};
