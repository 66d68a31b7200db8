/**
 * Claim (logit margins): at every global minimiser the logits of a class mean are
 * W h̄_k = s_k (e_k − (1/K) 1): class k leads every other class by the same margin
 * s_k = log((K−1)(1−c_k)/c_k) (0 for a collapsed class, whose logits are all 0).
 * Source: Dang et al., ICML 2024, proof of the main theorem (per-class scalar problem); THEORY.md §1 "Logits".
 *
 * Tolerance: |Δ(W h̄_k)_j| ≤ e_W ‖h̄_k‖ + ‖w_j‖ e_k + e_W e_k (src/optima/ufmPlus/bounds.ts); a gap moves by
 * at most the sum of this for its two logits.
 */
import type { Claim, Measurement } from '../src/runner/claim.ts';
import { column, dot, row } from './_internals/geometry.ts';
import { theoremInstance, type Instance } from './_internals/instances.ts';

export const margins: Claim<Instance> = {
  id: 'logit-margins',
  title: 'Logit gaps of class means equal the margins s_k',
  source: 'Dang et al., ICML 2024; THEORY.md §1 "Logits"',
  mode: 'assert',
  usesTheory: true,
  arbitrary: theoremInstance,
  check(instance, ctx) {
    const opt = ctx.optima.ufmPlus(instance);
    const predicted = ctx.theory.predict(instance).classes;
    const K = opt.layout.K;
    const eW = opt.bounds.classifier;
    const out: Measurement[] = [];
    for (let k = 0; k < K; k++) {
      const hk = column(opt.classMeans, k);
      const ek = opt.bounds.classMean[k];
      const logits = Array.from({ length: K }, (_, j) => dot(row(opt.W, j), hk));
      const logitError = (j: number): number => eW * opt.classMeanNorms[k] + opt.classifierNorms[j] * ek + eW * ek;
      for (let j = 0; j < K; j++) {
        if (j === k) continue;
        out.push({
          quantity: `(W h̄_${k + 1})_${k + 1} − (W h̄_${k + 1})_${j + 1} against s_${k + 1} = ${predicted[k].margin}`,
          value: Math.abs(logits[k] - logits[j] - predicted[k].margin),
          tolerance: logitError(k) + logitError(j),
        });
      }
    }
    return out;
  },
};
