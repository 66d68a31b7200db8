/**
 * Claim (classifier norm ordering): ‖w_k‖ is non-decreasing in n_k — a larger class never gets a
 * shorter classifier (b_k² grows with n_k; for K = 2 the two rows are w and −w, equal norms).
 * Source: Dang et al., ICML 2024, corollary of the main theorem; THEORY.md §1 "Orderings".
 * Measured on the solver's optimum; under `--theory` the theory's predicted norms must be ordered too.
 *
 * Tolerance: each norm is within τ_k ≤ e_W of the optimum's (`bounds.classifierNorm`: src/optima/ufmPlus/
 * bounds.ts and linear.ts), so an inversion ‖w_j‖ − ‖w_k‖ for n_j ≤ n_k may be at most τ_j + τ_k.
 */
import type { Claim, Measurement } from '../src/runner/claim.ts';
import { pairs } from './_internals/geometry.ts';
import { theoremInstance, type Instance } from './_internals/instances.ts';

export const classifierNormOrdering: Claim<Instance> = {
  id: 'classifier-norm-ordering',
  title: 'Classifier norms non-decreasing in n_k',
  source: 'Dang et al., ICML 2024; THEORY.md §1 "Orderings"',
  mode: 'assert',
  usesTheory: true,
  arbitrary: theoremInstance,
  check(instance, ctx) {
    const opt = ctx.optima.ufmPlus(instance);
    const w = opt.classifierNorms;
    const predicted = ctx.theory.predict(instance).classes.map((c) => c.classifierNorm);
    const out: Measurement[] = [];
    for (const [a, b] of pairs(opt.layout.K)) {
      const [j, k] = instance.n[a] <= instance.n[b] ? [a, b] : [b, a];
      const pair = `with n_${j + 1} = ${instance.n[j]} ≤ n_${k + 1} = ${instance.n[k]}`;
      out.push({ quantity: `‖w_${j + 1}‖ − ‖w_${k + 1}‖ ${pair}`, value: Math.max(0, w[j] - w[k]), tolerance: opt.bounds.classifierNorm[j] + opt.bounds.classifierNorm[k] });
      // the prediction's own ordering: its norms are exact up to rounding (a few ulps of the larger norm)
      out.push({ quantity: `predicted ‖w_${j + 1}‖ − ‖w_${k + 1}‖ ${pair}`, value: Math.max(0, predicted[j] - predicted[k]), tolerance: 8 * Number.EPSILON * Math.max(predicted[j], predicted[k]) });
    }
    return out;
  },
};
