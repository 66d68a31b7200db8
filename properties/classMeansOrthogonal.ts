/**
 * Claim (orthogonal class means, disjoint supports): at every global minimiser the class means are
 * mutually orthogonal, ⟨h̄_j, h̄_k⟩ = 0 for j ≠ k; being non-negative, they then have disjoint
 * supports: min(h̄_j[r], h̄_k[r]) = 0 on every coordinate r. The whole class-mean Gram H̄ᵀH̄ — its
 * diagonal ‖h̄_k‖² too — is read from the theory under test (`featureGram`).
 * Source: Dang et al., ICML 2024, main theorem; THEORY.md §1 "Class means".
 *
 * Tolerance: with ‖h̄_k − h̄_k°‖ ≤ e_k (src/optima/ufmPlus/bounds.ts),
 * |⟨h̄_j, h̄_k⟩ − ⟨h̄_j°, h̄_k°⟩| ≤ e_j‖h̄_k‖ + e_k‖h̄_j‖ + e_j e_k (j = k included), and a coordinate
 * shared by both supports carries at most min(e_j, e_k) + … ≤ max(e_j, e_k) in the smaller of the two.
 * On the diagonal the norm bound τ_k ≤ e_k (`bounds.classMeanNorm`, linear in class k's scalar residual:
 * src/optima/ufmPlus/linear.ts) gives the smaller |‖h̄_k‖² − ‖h̄_k*‖²| ≤ τ_k(2‖h̄_k‖ + τ_k), plus 16ε‖h̄_k‖²
 * for the rounding of the two squares.
 */
import type { Claim, Measurement } from '../src/runner/claim.ts';
import { EPS } from '../src/optima/policy.ts';
import { column, dot, pairs } from './_internals/geometry.ts';
import { theoremInstance, type Instance } from './_internals/instances.ts';

export const classMeansOrthogonal: Claim<Instance> = {
  id: 'class-means-orthogonal',
  title: 'Class means mutually orthogonal, with disjoint supports; their Gram is the theory\'s',
  source: 'Dang et al., ICML 2024, main theorem; THEORY.md §1',
  mode: 'assert',
  usesTheory: true,
  arbitrary: theoremInstance,
  check(instance, ctx) {
    const opt = ctx.optima.ufmPlus(instance);
    const G = ctx.theory.predict(instance).featureGram;
    const e = opt.bounds.classMean;
    const norms = opt.classMeanNorms;
    const out: Measurement[] = [];
    const tau = opt.bounds.classMeanNorm;
    const diagonal = (k: number): number => tau[k] * (2 * norms[k] + tau[k]) + 16 * EPS * norms[k] ** 2;
    const inner = (j: number, k: number): Measurement => ({
      quantity: `|⟨h̄_${j + 1}, h̄_${k + 1}⟩ − G_${j + 1}${k + 1}| (G_${j + 1}${k + 1} = ${G[j]?.[k]})`,
      value: Math.abs(dot(column(opt.classMeans, j), column(opt.classMeans, k)) - G[j]?.[k]),
      tolerance: j === k ? Math.min(2 * e[k] * norms[k] + e[k] ** 2, diagonal(k)) : e[j] * norms[k] + e[k] * norms[j] + e[j] * e[k],
    });
    for (let k = 0; k < opt.layout.K; k++) out.push(inner(k, k));
    for (const [j, k] of pairs(opt.layout.K)) {
      const hj = column(opt.classMeans, j);
      const hk = column(opt.classMeans, k);
      out.push(inner(j, k));
      let shared = 0;
      for (let r = 0; r < hj.length; r++) shared = Math.max(shared, Math.min(hj[r], hk[r]));
      out.push({ quantity: `shared support of h̄_${j + 1}, h̄_${k + 1}`, value: shared, tolerance: Math.max(e[j], e[k]) });
    }
    return out;
  },
};
