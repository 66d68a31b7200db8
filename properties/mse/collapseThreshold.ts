/**
 * Claim (MSE minority collapse, bias-free, M = 1): with T = N² λ_W λ_H (the theory's collapseThreshold),
 * a class with n_k ≤ T collapses completely — h̄_k = 0 and w_k = 0 — and a class with n_k > T keeps
 * the predicted ‖w_k‖² > 0. Every class ≤ T ⇒ (W, H) = (0, 0). Instances are placed just below, at
 * and just above T, and in complete collapse.
 * Source: Dang et al., ICML 2023 (M = 1); THEORY.md §4(a) "class k collapses iff n_k ≤ N² λ_W λ_H".
 *
 * Tolerances (properties/mse/optimum.ts, rigorous): ‖w_k‖² within t_W of its value, ‖h̄_k‖² within
 * t_A/n_k. t_W, t_A include the Hölder term sqrt(K ε) that keeps them honest at the threshold, where
 * f is flat to fourth order in ‖h̄_k‖. In complete collapse ‖W‖_F² = tr W Wᵀ ≤ sqrt(K) t_W and
 * ‖H‖_F² = tr ĀᵀĀ + ‖H_⊥‖_F² ≤ sqrt(K) t_A + 2δ/λ_H (trace ≤ sqrt(K)·Frobenius; within-class bound).
 */
import type { Claim, Measurement } from '../../src/runner/claim.ts';
import { frobeniusSquared } from '../../src/linalg/dense.ts';
import { predictMseDeepLinear } from '../../src/theory/mseDeepLinear.ts';
import { mseThresholdInstance } from './instances.ts';
import type { MseInstance } from '../../src/optima/mse.ts';

export const mseCollapseThreshold: Claim<MseInstance> = {
  id: 'mse-collapse-threshold',
  title: 'MSE bias-free (M = 1): class k collapses (w_k = h̄_k = 0) exactly when n_k ≤ N² λ_W λ_H',
  source: 'Dang et al., ICML 2023; THEORY.md §4(a)',
  mode: 'assert',
  usesTheory: true,
  runs: 30,
  arbitrary: mseThresholdInstance,
  check(instance, ctx) {
    const o = ctx.optima.mse(instance);
    const p = predictMseDeepLinear({ ...instance, layers: 1 });
    const T = p.collapseThreshold;
    const out: Measurement[] = [];
    instance.n.forEach((nk, k) => {
      const w2 = o.classifierGram[k][k];
      if (nk <= T) {
        out.push({ quantity: `‖w_${k + 1}‖² of a class with n_k = ${nk} ≤ T = ${T}`, value: w2, tolerance: o.classifierGramError });
        out.push({ quantity: `‖h̄_${k + 1}‖² of a class with n_k = ${nk} ≤ T = ${T}`, value: o.featureGram[k][k], tolerance: o.scaledFeatureGramError / nk });
      } else {
        const predicted = p.classes[k].wNormSquared;
        out.push({ quantity: `|‖w_${k + 1}‖² − ${predicted}| of a class with n_k = ${nk} > T = ${T}`, value: Math.abs(w2 - predicted), tolerance: o.classifierGramError });
      }
    });
    if (instance.n.every((nk) => nk <= T)) {
      out.push({ quantity: '‖W‖_F² in complete collapse', value: frobeniusSquared(o.W), tolerance: Math.sqrt(instance.n.length) * o.classifierGramError });
      out.push({
        quantity: '‖H‖_F² in complete collapse',
        value: frobeniusSquared(o.H),
        tolerance: Math.sqrt(instance.n.length) * o.scaledFeatureGramError + (2 * o.gap) / instance.lambdaH,
      });
    }
    return out;
  },
};
