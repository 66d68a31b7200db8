/**
 * Claim (minority-collapse threshold): with T = N² λ_W λ_H K/(K−1),
 * - n_k ≤ T ⇒ h̄_k = 0 (class k collapses), and all collapsed classes share one classifier
 *   w = −(1/K) Σ_m b_m ĥ_m, so they become indistinguishable;
 * - n_k > T ⇒ class k is alive (h̄_k ≠ 0);
 * - every n_k ≤ T ⇒ (W, H) = (0, 0) (complete collapse).
 * The theory's T, its per-class `alive` flags and its `completeCollapse` flag are each checked against
 * what the certificate decides, on instances placed at relative distances down to 1e-10 from T on
 * both sides, at T, and in complete collapse.
 * Source: Dang et al., ICML 2024, minority-collapse theorem; THEORY.md §1.
 *
 * Deciding a class (theory-free; src/optima/ufmPlus/collapse.ts and bounds.ts):
 * - alive, when the certified optimum's ‖h̄_k‖ exceeds its error bound e_k, or when ρ_k, the dual-gauge
 *   ratio of class k's atom at the collapsed candidate (the optimum with class k's features zeroed),
 *   exceeds 1 by more than its rounding error (then no point with class k collapsed is optimal);
 * - collapsed, when ‖h̄_k‖ ≤ e_k and ρ_k < 1 by more than its rounding error;
 * - at the boundary, when |ρ_k − 1| is within that error (|n_k/T − 1| ≲ 1e-12): either answer is right
 *   to first order, and the optimum's norm is then at most sqrt(q_k K r) with r = 2|ρ_k − 1| + 2 err the
 *   relative distance to T (s_k ≤ K r/2 near T, ‖h̄_k‖² = q_k s_k); checked as ‖h̄_k‖ ≤ e_k + sqrt(q_k K r).
 * A disagreement with the theory (its T or its flags) is a failure with the deciding numbers. Two collapsed
 * classes' classifiers w_j − w_k = b_j ĥ_j − b_k ĥ_k differ by at most e_W + sqrt(Δs_j/q_j) + sqrt(Δs_k/q_k);
 * in complete collapse ‖W‖_F ≤ e_W and ‖H‖_F ≤ e_H.
 */
import { type Claim, disagreement, type Measurement } from '../src/runner/claim.ts';
import type { CertifiedOptimum } from '../src/optima/ufmPlus/types.ts';
import { collapsedRatio } from '../src/optima/ufmPlus/collapse.ts';
import { classScales } from '../src/optima/ufmPlus/bounds.ts';
import { frobeniusNorm } from '../src/linalg/matrixNorms.ts';
import { distance, row } from './_internals/geometry.ts';
import { nearThresholdInstance, type Instance } from './_internals/instances.ts';

/** What the certified optimum says of class k, and why. */
interface Decision {
  readonly state: 'alive' | 'collapsed' | 'boundary';
  readonly why: string;
  /** The decided margin against its error (a measurement for the report). */
  readonly measurement: Measurement;
}

function decide(opt: CertifiedOptimum, k: number): Decision {
  const a = opt.classMeanNorms[k];
  const e = opt.bounds.classMean[k];
  const label = `class ${k + 1} (n_k = ${opt.instance.n[k]})`;
  if (a > e) return { state: 'alive', why: `‖h̄_k‖ = ${a} > e_k = ${e}`, measurement: { quantity: `error bound e_k against ‖h̄_k‖ of the alive ${label}`, value: e, tolerance: a } };
  const { ratio, error } = collapsedRatio(opt, k);
  if (ratio > 1 + error) return { state: 'alive', why: `ρ_k = ${ratio} > 1 + ${error} at the collapsed candidate`, measurement: { quantity: `rounding of ρ_k against ρ_k − 1 of the alive ${label}`, value: error, tolerance: ratio - 1 } };
  if (ratio < 1 - error) return { state: 'collapsed', why: `‖h̄_k‖ = ${a} ≤ e_k and ρ_k = ${ratio} < 1 − ${error}`, measurement: { quantity: `‖h̄_k‖ of the collapsed ${label}`, value: a, tolerance: e } };
  const r = 2 * Math.abs(ratio - 1) + 2 * error;
  const q = classScales(opt.instance.n, opt.instance)[k];
  return {
    state: 'boundary',
    why: `|ρ_k − 1| = ${Math.abs(ratio - 1)} ≤ ${error}: at the threshold`,
    measurement: { quantity: `‖h̄_k‖ of ${label} at the threshold (|ρ_k − 1| ≤ ${error})`, value: a, tolerance: e + Math.sqrt(q * opt.layout.K * r) },
  };
}

export const collapseThreshold: Claim<Instance> = {
  id: 'collapse-threshold',
  title: 'Minority collapse exactly at n_k ≤ T; complete collapse when all n_k ≤ T',
  source: 'Dang et al., ICML 2024, minority-collapse theorem; THEORY.md §1',
  mode: 'assert',
  usesTheory: true,
  arbitrary: nearThresholdInstance,
  check(instance, ctx) {
    const opt = ctx.optima.ufmPlus(instance);
    const p = ctx.theory.predict(instance);
    const T = p.threshold;
    const out: Measurement[] = [];
    const collapsed: number[] = [];
    const decisions = instance.n.map((_, k) => decide(opt, k));
    instance.n.forEach((nk, k) => {
      const d = decisions[k];
      out.push(d.measurement);
      if (d.state === 'collapsed') collapsed.push(k);
      if (d.state === 'boundary') return;
      const aliveByT = nk > T;
      if (aliveByT !== (d.state === 'alive')) out.push(disagreement(`class ${k + 1}: the certificate decides ${d.state} (${d.why}), the theory's T = ${T} says ${aliveByT ? 'alive' : 'collapsed'} (n_k = ${nk})`));
      const flag = p.classes[k]?.alive;
      if (flag !== (d.state === 'alive')) out.push(disagreement(`class ${k + 1}: the certificate decides ${d.state} (${d.why}), the theory's alive flag is ${flag}`));
    });
    for (let i = 1; i < collapsed.length; i++) {
      const [j, k] = [collapsed[0], collapsed[i]];
      out.push({ quantity: `‖w_${j + 1} − w_${k + 1}‖ of two collapsed classes`, value: distance(row(opt.W, j), row(opt.W, k)), tolerance: opt.bounds.classifier + opt.bounds.collapsedScale[j] + opt.bounds.collapsedScale[k] });
    }
    const complete = collapsed.length === instance.n.length;
    if (complete) {
      out.push({ quantity: '‖W‖_F in complete collapse', value: frobeniusNorm(opt.W), tolerance: opt.bounds.classifier });
      out.push({ quantity: '‖H‖_F in complete collapse', value: frobeniusNorm(opt.H), tolerance: opt.bounds.features });
    }
    const anyAlive = decisions.some((d) => d.state === 'alive');
    if ((complete || anyAlive) && p.completeCollapse !== complete) {
      out.push(disagreement(`completeCollapse: the certificate decides ${complete ? 'every class collapsed' : 'a class alive'}, the theory says ${p.completeCollapse}`));
    }
    return out;
  },
};
