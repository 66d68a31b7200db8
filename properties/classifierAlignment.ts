/**
 * Claim (classifier alignment, NC3 under imbalance): at every global minimiser the classifier is the
 * scaled and centred class means, w_k = C (sqrt(n_k) h̄_k − (1/K) Σ_m sqrt(n_m) h̄_m),
 * C = sqrt(λ_H K / (λ_W (K−1))); so w_k ∝ K sqrt(n_k) h̄_k − Σ_m sqrt(n_m) h̄_m (cosine 1).
 * The weights (sqrt(n_k)) and the constant C are read from the theory under test.
 * Source: Dang et al., ICML 2024, main theorem; THEORY.md §1 "Classifier".
 *
 * The scales b_k of the theory (w_k = b_k ĥ_k − (1/K) Σ_m b_m ĥ_m, ĥ_k orthonormal) are checked through
 * ⟨w_k, ĥ_k⟩ = b_k (K−1)/K on every class the optimum shows alive (‖h̄_k‖ > 2 e_k), and b_k = 0 on every
 * class the theory calls collapsed.
 *
 * Tolerance: with the optimum's w_k° = C(a_k h̄_k° − (1/K)Σ a_m h̄_m°), a point within e_W (W) and
 * e_m (class means) of it satisfies ‖w_k − C(a_k h̄_k − (1/K)Σ a_m h̄_m)‖ ≤ e_W + C(a_k e_k + (1/K)Σ a_m e_m).
 * A unit vector ĥ_k moves by at most 2e_k/‖h̄_k‖, so ⟨w_k, ĥ_k⟩ by at most e_W + ‖w_k‖·2e_k/‖h̄_k‖ + 2e_W e_k/‖h̄_k‖.
 */
import type { Claim, Measurement } from '../src/runner/claim.ts';
import type { CertifiedOptimum } from '../src/optima/ufmPlus/types.ts';
import { column, distance, dot, row } from './_internals/geometry.ts';
import { theoremInstance, type Instance } from './_internals/instances.ts';

/** The theory's b_k against ⟨w_k, ĥ_k⟩ K/(K−1) (module comment). */
function scales(opt: CertifiedOptimum, predicted: readonly { alive: boolean; b: number }[]): Measurement[] {
  const K = opt.layout.K;
  const eW = opt.bounds.classifier;
  return predicted.flatMap(({ alive, b }, k): Measurement[] => {
    if (!alive) return [{ quantity: `b_${k + 1} of a class the theory calls collapsed`, value: Math.abs(b), tolerance: 0 }];
    const norm = opt.classMeanNorms[k];
    const ek = opt.bounds.classMean[k];
    if (!(norm > 2 * ek)) return [];
    const along = dot(row(opt.W, k), column(opt.classMeans, k)) / norm;
    return [{
      quantity: `⟨w_${k + 1}, ĥ_${k + 1}⟩ against b_${k + 1}(K−1)/K, b_${k + 1} = ${b}`,
      value: Math.abs(along - (b * (K - 1)) / K),
      tolerance: eW + (opt.classifierNorms[k] * 2 * ek) / norm + (2 * eW * ek) / norm,
    }];
  });
}

export const classifierAlignment: Claim<Instance> = {
  id: 'classifier-alignment',
  title: 'Classifier aligned with scaled and centred class means',
  source: 'Dang et al., ICML 2024, main theorem; THEORY.md §1',
  mode: 'assert',
  usesTheory: true,
  arbitrary: theoremInstance,
  check(instance, ctx) {
    const opt = ctx.optima.ufmPlus(instance);
    const p = ctx.theory.predict(instance);
    const { weights: a, constant: C } = p.alignment;
    const K = opt.layout.K;
    const d = opt.W.cols;
    const centre = new Float64Array(d);
    for (let m = 0; m < K; m++) {
      const hm = column(opt.classMeans, m);
      for (let r = 0; r < d; r++) centre[r] += (a[m] * hm[r]) / K;
    }
    const e = opt.bounds.classMean;
    const centreError = e.reduce((s, em, m) => s + (a[m] * em) / K, 0);
    const out: Measurement[] = Array.from({ length: K }, (_, k) => {
      const hk = column(opt.classMeans, k);
      const predicted = hk.map((x, r) => C * (a[k] * x - centre[r]));
      return {
        quantity: `‖w_${k + 1} − C(a_k h̄_k − (1/K)Σ a_m h̄_m)‖`,
        value: distance(row(opt.W, k), predicted),
        tolerance: opt.bounds.classifier + C * (a[k] * e[k] + centreError),
      };
    });
    return [...out, ...scales(opt, p.classes.map((c) => ({ alive: c.alive, b: c.b })))];
  },
};
