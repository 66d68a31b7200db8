/**
 * Claim (minority-collapse threshold): with T = N² λ_W λ_H K/(K−1),
 * - n_k ≤ T ⇒ h̄_k = 0 (class k collapses), and all collapsed classes share one classifier
 *   w = −(1/K) Σ_m b_m ĥ_m, so they become indistinguishable;
 * - n_k > T ⇒ class k is alive (h̄_k ≠ 0);
 * - every n_k ≤ T ⇒ (W, H) = (0, 0) (complete collapse).
 * The threshold T is read from the theory under test; instances are generated with classes just
 * below, at and just above it, and in complete collapse.
 * Source: Dang et al., ICML 2024, minority-collapse theorem; THEORY.md §1.
 *
 * Tolerances (src/runner/tolerance.ts): a collapsed class's mean is within e_k of 0; an alive class
 * is detectably alive when its measured norm exceeds its error bound e_k; two collapsed classes'
 * classifiers differ by at most 2 e_W; in complete collapse ‖W‖_F ≤ e_W and ‖H‖_F ≤ e_H.
 */
import type { Claim, Measurement } from '../src/runner/claim.ts';
import { distance, row } from './_internals/geometry.ts';
import { nearThresholdInstance, type Instance } from './_internals/instances.ts';
import { frobeniusSquared } from '../src/linalg/dense.ts';

export const collapseThreshold: Claim<Instance> = {
  id: 'collapse-threshold',
  title: 'Minority collapse exactly at n_k ≤ T; complete collapse when all n_k ≤ T',
  source: 'Dang et al., ICML 2024, minority-collapse theorem; THEORY.md §1',
  mode: 'assert',
  usesTheory: true,
  arbitrary: nearThresholdInstance,
  check(instance, ctx) {
    const opt = ctx.optimum(instance);
    const T = ctx.theory.predict(instance).threshold;
    const e = opt.bounds.classMean;
    const out: Measurement[] = [];
    const collapsed: number[] = [];
    instance.n.forEach((nk, k) => {
      const measured = opt.classMeanNorms[k];
      if (nk <= T) {
        collapsed.push(k);
        out.push({ quantity: `‖h̄_${k + 1}‖ of a class with n_k = ${nk} ≤ T = ${T}`, value: measured, tolerance: e[k] });
      } else {
        out.push({ quantity: `error bound e_k against ‖h̄_${k + 1}‖ = ${measured} of a class with n_k = ${nk} > T = ${T}`, value: e[k], tolerance: measured });
      }
    });
    for (let i = 1; i < collapsed.length; i++) {
      const [j, k] = [collapsed[0], collapsed[i]];
      out.push({ quantity: `‖w_${j + 1} − w_${k + 1}‖ of two collapsed classes`, value: distance(row(opt.W, j), row(opt.W, k)), tolerance: 2 * opt.bounds.classifier });
    }
    if (collapsed.length === instance.n.length) {
      out.push({ quantity: '‖W‖_F in complete collapse', value: Math.sqrt(frobeniusSquared(opt.W)), tolerance: opt.bounds.classifier });
      out.push({ quantity: '‖H‖_F in complete collapse', value: Math.sqrt(frobeniusSquared(opt.H)), tolerance: opt.bounds.features });
    }
    return out;
  },
};
