/**
 * Claim (NC1, within-class collapse): at every global minimiser of the UFM+ problem, every feature of
 * class k equals its class mean: h_{k,i} = h̄_k.
 * Source: Dang, Tran, Nguyen, Ho (ICML 2024, arXiv 2401.02058), main theorem; THEORY.md §1 "NC1".
 *
 * Tolerance: the within-class variation sqrt((1/n_k) Σ_i ‖h_{k,i} − h̄_k‖²) of a point whose H is
 * within e_H of the optimum's is at most ‖ΔH_k‖_F / sqrt(n_k) ≤ e_k = sqrt(2δ/(λ_H n_k))
 * (src/optima/ufmPlus/bounds.ts).
 */
import type { Claim } from '../src/runner/claim.ts';
import { theoremInstance, type Instance } from './_internals/instances.ts';

export const withinClassCollapse: Claim<Instance> = {
  id: 'within-class-collapse',
  title: 'Within-class collapse (NC1): h_{k,i} = h̄_k',
  source: 'Dang et al., ICML 2024, Thm (UFM+ CE imbalanced); THEORY.md §1',
  mode: 'assert',
  usesTheory: false,
  arbitrary: theoremInstance,
  check(instance, ctx) {
    const opt = ctx.optima.ufmPlus(instance);
    return opt.withinClassVariation.map((v, k) => ({
      quantity: `within-class variation of class ${k + 1}`,
      value: v,
      tolerance: opt.bounds.classMean[k],
    }));
  },
};
