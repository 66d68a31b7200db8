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
 * Tolerances (src/optima/ufmPlus/bounds.ts): a collapsed class's mean is within e_k of 0; an alive class
 * is detectably alive when its measured norm exceeds its error bound e_k; two collapsed classes'
 * classifiers w_j − w_k = b_j ĥ_j − b_k ĥ_k (the shared part cancels, b_j° = b_k° = 0) differ by at most
 * e_W + sqrt(Δs_j/q_j) + sqrt(Δs_k/q_k) (the b's, bounded through their margins); in complete collapse ‖W‖_F ≤ e_W and ‖H‖_F ≤ e_H.
 * At the boundary itself, |n_k − T| ≤ ε n_k with ε = 1e-9 (the 'at' instances, where T equals n_k
 * up to a few ulps and rounding decides the side), no solver can tell alive from collapsed: to first
 * order in ε the optimal margin is s_k ≤ Kε/2 (s = log((K−1)(1−c)/c), ds/dc = −K²/(K−1) at
 * c = (K−1)/K, and c_k = c*·sqrt(T/n_k)), so the optimal norm is at most sqrt(q_k Kε/2),
 * q_k = sqrt(λ_W (K−1)/(λ_H K n_k)); there the claim checks ‖h̄_k‖ ≤ e_k + sqrt(q_k Kε/2) on either side.
 */
import type { Claim, Measurement } from '../src/runner/claim.ts';
import { distance, row } from './_internals/geometry.ts';
import { nearThresholdInstance, type Instance } from './_internals/instances.ts';
import { frobeniusSquared } from '../src/linalg/dense.ts';

/** Relative width ε of the boundary band |n_k − T| ≤ ε n_k (see the tolerance note above). */
const BOUNDARY = 1e-9;

export const collapseThreshold: Claim<Instance> = {
  id: 'collapse-threshold',
  title: 'Minority collapse exactly at n_k ≤ T; complete collapse when all n_k ≤ T',
  source: 'Dang et al., ICML 2024, minority-collapse theorem; THEORY.md §1',
  mode: 'assert',
  usesTheory: true,
  arbitrary: nearThresholdInstance,
  check(instance, ctx) {
    const opt = ctx.optima.ufmPlus(instance);
    const T = ctx.theory.predict(instance).threshold;
    const e = opt.bounds.classMean;
    const out: Measurement[] = [];
    const collapsed: number[] = [];
    const K = instance.n.length;
    instance.n.forEach((nk, k) => {
      const measured = opt.classMeanNorms[k];
      if (Math.abs(nk - T) <= BOUNDARY * nk) {
        const q = Math.sqrt((instance.lambdaW * (K - 1)) / (instance.lambdaH * K * nk));
        if (nk <= T) collapsed.push(k);
        out.push({ quantity: `‖h̄_${k + 1}‖ of a class at the boundary, n_k = ${nk} ≈ T = ${T}`, value: measured, tolerance: e[k] + Math.sqrt((q * K * BOUNDARY) / 2) });
      } else if (nk <= T) {
        collapsed.push(k);
        out.push({ quantity: `‖h̄_${k + 1}‖ of a class with n_k = ${nk} ≤ T = ${T}`, value: measured, tolerance: e[k] });
      } else {
        out.push({ quantity: `error bound e_k against ‖h̄_${k + 1}‖ = ${measured} of a class with n_k = ${nk} > T = ${T}`, value: e[k], tolerance: measured });
      }
    });
    for (let i = 1; i < collapsed.length; i++) {
      const [j, k] = [collapsed[0], collapsed[i]];
      out.push({ quantity: `‖w_${j + 1} − w_${k + 1}‖ of two collapsed classes`, value: distance(row(opt.W, j), row(opt.W, k)), tolerance: opt.bounds.classifier + opt.bounds.collapsedScale[j] + opt.bounds.collapsedScale[k] });
    }
    if (collapsed.length === instance.n.length) {
      out.push({ quantity: '‖W‖_F in complete collapse', value: Math.sqrt(frobeniusSquared(opt.W)), tolerance: opt.bounds.classifier });
      out.push({ quantity: '‖H‖_F in complete collapse', value: Math.sqrt(frobeniusSquared(opt.H)), tolerance: opt.bounds.features });
    }
    return out;
  },
};
