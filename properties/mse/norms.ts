/**
 * Claim (MSE closed form, bias-free, M = 1): at every global minimiser, with
 * x_k = sqrt(n_k)/(N sqrt(λ_W λ_H)) − 1 (0 when negative) and s_k² = N λ_H x_k:
 * ‖w_k‖² = s_k², ‖h̄_k‖² = s_k²/(s_k² + N λ_H)², w_kᵀh̄_k = s_k²/(s_k² + N λ_H); and the optimal value
 * is Σ_k g_k(x_k) — read from predictMseDeepLinear (layers = 1).
 * Source: Dang et al., ICML 2023 (M = 1 case); THEORY.md §4(a); docs/theory-mse-L.md §1.4.
 *
 * Tolerances (properties/mse/optimum.ts, rigorous): ‖w_k‖² within t_W, ‖h̄_k‖² within t_A/n_k,
 * w_kᵀh̄_k within e_Z/sqrt(n_k). Objective: never below f* by more than its rounding (otherwise the
 * closed form is REFUTED), and above f* by at most δ + rounding.
 */
import type { Claim, Measurement } from '../../src/runner/claim.ts';
import { objectiveRoundoff } from '../../src/optima/policy.ts';
import { predictMseDeepLinear } from '../../src/theory/mseDeepLinear.ts';
import { mseInstance } from './instances.ts';
import type { MseInstance } from '../../src/optima/mse.ts';

export const mseNorms: Claim<MseInstance> = {
  id: 'mse-norms',
  title: 'MSE bias-free (M = 1): ‖w_k‖², ‖h̄_k‖², w_kᵀh̄_k and f* equal the closed form',
  source: 'Dang et al., ICML 2023; THEORY.md §4(a)',
  mode: 'assert',
  usesTheory: true,
  runs: 30,
  arbitrary: (budget) => mseInstance(budget, false),
  check(instance, ctx) {
    const o = ctx.optima.mse(instance);
    const p = predictMseDeepLinear({ ...instance, layers: 1 });
    const n = instance.n;
    const out: Measurement[] = [];
    p.classes.forEach((c, k) => {
      out.push({ quantity: `|‖w_${k + 1}‖² − ${c.wNormSquared}|`, value: Math.abs(o.classifierGram[k][k] - c.wNormSquared), tolerance: o.classifierGramError });
      out.push({ quantity: `|‖h̄_${k + 1}‖² − ${c.hNormSquared}|`, value: Math.abs(o.featureGram[k][k] - c.hNormSquared), tolerance: o.scaledFeatureGramError / n[k] });
      out.push({ quantity: `|w_${k + 1}ᵀh̄_${k + 1} − ${c.wDotH}|`, value: Math.abs(o.logits[k][k] - c.wDotH), tolerance: o.eZ / Math.sqrt(n[k]) });
    });
    const roundoff = objectiveRoundoff({ N: o.layout.N, K: o.layout.K, d: instance.d }, p.objective);
    out.push({
      quantity: `THEOREM REFUTED if positive beyond rounding: f* − f(W,H) (f* = ${p.objective}, solver ${o.objective}, ${JSON.stringify(instance)})`,
      value: Math.max(0, p.objective - o.objective),
      tolerance: roundoff,
    });
    out.push({ quantity: `f(W,H) − f* (solver ${o.objective}, f* = ${p.objective})`, value: Math.max(0, o.objective - p.objective), tolerance: o.gap + roundoff });
    return out;
  },
};
