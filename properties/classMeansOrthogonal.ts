/**
 * Claim (orthogonal class means, disjoint supports): at every global minimiser the class means are
 * mutually orthogonal, ⟨h̄_j, h̄_k⟩ = 0 for j ≠ k; being non-negative, they then have disjoint
 * supports: min(h̄_j[r], h̄_k[r]) = 0 on every coordinate r.
 * Source: Dang et al., ICML 2024, main theorem; THEORY.md §1 "Class means".
 *
 * Tolerance: with ‖h̄_k − h̄_k°‖ ≤ e_k (src/optima/ufmPlus/bounds.ts) and ⟨h̄_j°, h̄_k°⟩ = 0,
 * |⟨h̄_j, h̄_k⟩| ≤ e_j‖h̄_k‖ + e_k‖h̄_j‖ + e_j e_k, and a coordinate shared by both supports carries at
 * most min(e_j, e_k) + … ≤ max(e_j, e_k) in the smaller of the two.
 */
import type { Claim, Measurement } from '../src/runner/claim.ts';
import { column, dot, pairs } from './_internals/geometry.ts';
import { theoremInstance, type Instance } from './_internals/instances.ts';

export const classMeansOrthogonal: Claim<Instance> = {
  id: 'class-means-orthogonal',
  title: 'Class means mutually orthogonal, with disjoint supports',
  source: 'Dang et al., ICML 2024, main theorem; THEORY.md §1',
  mode: 'assert',
  usesTheory: false,
  arbitrary: theoremInstance,
  check(instance, ctx) {
    const opt = ctx.optima.ufmPlus(instance);
    const e = opt.bounds.classMean;
    const norms = opt.classMeanNorms;
    const out: Measurement[] = [];
    for (const [j, k] of pairs(opt.layout.K)) {
      const hj = column(opt.classMeans, j);
      const hk = column(opt.classMeans, k);
      out.push({
        quantity: `|⟨h̄_${j + 1}, h̄_${k + 1}⟩|`,
        value: Math.abs(dot(hj, hk)),
        tolerance: e[j] * norms[k] + e[k] * norms[j] + e[j] * e[k],
      });
      let shared = 0;
      for (let r = 0; r < hj.length; r++) shared = Math.max(shared, Math.min(hj[r], hk[r]));
      out.push({ quantity: `shared support of h̄_${j + 1}, h̄_${k + 1}`, value: shared, tolerance: Math.max(e[j], e[k]) });
    }
    return out;
  },
};
