/**
 * Claim (classifier alignment, NC3 under imbalance): at every global minimiser the classifier is the
 * scaled and centred class means, w_k = C (sqrt(n_k) h̄_k − (1/K) Σ_m sqrt(n_m) h̄_m),
 * C = sqrt(λ_H K / (λ_W (K−1))); so w_k ∝ K sqrt(n_k) h̄_k − Σ_m sqrt(n_m) h̄_m (cosine 1).
 * The weights (sqrt(n_k)) and the constant C are read from the theory under test.
 * Source: Dang et al., ICML 2024, main theorem; THEORY.md §1 "Classifier".
 *
 * Tolerance: with the optimum's w_k° = C(a_k h̄_k° − (1/K)Σ a_m h̄_m°), a point within e_W (W) and
 * e_m (class means) of it satisfies ‖w_k − C(a_k h̄_k − (1/K)Σ a_m h̄_m)‖ ≤ e_W + C(a_k e_k + (1/K)Σ a_m e_m).
 */
import type { Claim } from '../src/runner/claim.ts';
import { column, distance, row } from './_internals/geometry.ts';
import { theoremInstance, type Instance } from './_internals/instances.ts';

export const classifierAlignment: Claim<Instance> = {
  id: 'classifier-alignment',
  title: 'Classifier aligned with scaled and centred class means',
  source: 'Dang et al., ICML 2024, main theorem; THEORY.md §1',
  mode: 'assert',
  usesTheory: true,
  arbitrary: theoremInstance,
  check(instance, ctx) {
    const opt = ctx.optima.ufmPlus(instance);
    const { weights: a, constant: C } = ctx.theory.predict(instance).alignment;
    const K = opt.layout.K;
    const d = opt.W.cols;
    const centre = new Float64Array(d);
    for (let m = 0; m < K; m++) {
      const hm = column(opt.classMeans, m);
      for (let r = 0; r < d; r++) centre[r] += (a[m] * hm[r]) / K;
    }
    const e = opt.bounds.classMean;
    const centreError = e.reduce((s, em, m) => s + (a[m] * em) / K, 0);
    return Array.from({ length: K }, (_, k) => {
      const hk = column(opt.classMeans, k);
      const predicted = hk.map((x, r) => C * (a[k] * x - centre[r]));
      return {
        quantity: `‖w_${k + 1} − C(a_k h̄_k − (1/K)Σ a_m h̄_m)‖`,
        value: distance(row(opt.W, k), predicted),
        tolerance: opt.bounds.classifier + C * (a[k] * e[k] + centreError),
      };
    });
  },
};
