/**
 * Claim (deep-linear geometry, M = 2, bias-free): at the global minimiser, with W = W_2 W_1,
 * within-class collapse; rows of W and class means mutually orthogonal; and per class
 * ‖w_k‖² = s_k^{2M}, ‖h̄_k‖² = s_k^{2M}/(s_k^{2M} + Nλ_H)², w_kᵀh̄_k = s_k^{2M}/(s_k^{2M} + Nλ_H)
 * (predictMseDeepLinear, layers = 2; collapsed classes 0). Asserted on the best of the seeded starts
 * only where that best is reproduced by at least two starts (properties/mse/deepLinear.ts).
 * Source: Dang et al., ICML 2023 (imbalanced deep linear); THEORY.md §4(a).
 *
 * Tolerances (properties/mse/deepLinear.ts; block convention at the reproducibility level δ, a
 * heuristic for M ≥ 2 since no certificate exists): with e_P ≥ ‖ΔW‖_F and e_k ≥ ‖Δh̄_k‖,
 * |Δ‖w_k‖²| ≤ e_P(2‖w_k‖ + e_P), |Δ‖h̄_k‖²| ≤ e_k(2‖h̄_k‖ + e_k), |Δ(w_kᵀh̄_k)| ≤ e_P‖h̄_k‖ + ‖w_k‖e_k + e_P e_k,
 * |⟨w_k, w_l⟩| ≤ e_P(‖w_k‖ + ‖w_l‖) + e_P², |⟨h̄_k, h̄_l⟩| ≤ e_k‖h̄_l‖ + e_l‖h̄_k‖ + e_k e_l, within-class
 * variation ≤ e_k.
 */
import type { Claim, Measurement } from '../../src/runner/claim.ts';
import { predictMseDeepLinear } from '../../src/theory/mseDeepLinear.ts';
import { dot, norm, pairs } from '../_internals/geometry.ts';
import { deepInstance, type DeepInstance } from './deepLinear.ts';

export const mseDeepLinearGeometry: Claim<DeepInstance> = {
  id: 'mse-deep-linear-geometry',
  title: 'MSE deep linear (M = 2): collapse, orthogonality, ‖w_k‖², ‖h̄_k‖², w_kᵀh̄_k as predicted (reproducible best)',
  source: 'Dang et al., ICML 2023; THEORY.md §4(a)',
  mode: 'assert',
  usesTheory: true,
  runs: 20,
  arbitrary: deepInstance,
  check(instance, ctx) {
    const o = ctx.optima.deepLinear(instance);
    if (!o.reproducible) return [];
    const p = predictMseDeepLinear(instance);
    const eP = o.eProduct;
    const e = o.eMean;
    const wn = o.w.map((v) => norm(v));
    const hn = o.h.map((v) => norm(v));
    const out: Measurement[] = [];
    p.classes.forEach((c, k) => {
      out.push({ quantity: `within-class variation of class ${k + 1}`, value: o.withinClass[k], tolerance: e[k] });
      out.push({ quantity: `|‖w_${k + 1}‖² − ${c.wNormSquared}|`, value: Math.abs(wn[k] ** 2 - c.wNormSquared), tolerance: eP * (2 * wn[k] + eP) });
      out.push({ quantity: `|‖h̄_${k + 1}‖² − ${c.hNormSquared}|`, value: Math.abs(hn[k] ** 2 - c.hNormSquared), tolerance: e[k] * (2 * hn[k] + e[k]) });
      out.push({
        quantity: `|w_${k + 1}ᵀh̄_${k + 1} − ${c.wDotH}|`,
        value: Math.abs(dot(o.w[k], o.h[k]) - c.wDotH),
        tolerance: eP * hn[k] + wn[k] * e[k] + eP * e[k],
      });
    });
    for (const [k, l] of pairs(instance.n.length)) {
      out.push({ quantity: `|⟨w_${k + 1}, w_${l + 1}⟩|`, value: Math.abs(dot(o.w[k], o.w[l])), tolerance: eP * (wn[k] + wn[l]) + eP * eP });
      out.push({ quantity: `|⟨h̄_${k + 1}, h̄_${l + 1}⟩|`, value: Math.abs(dot(o.h[k], o.h[l])), tolerance: e[k] * hn[l] + e[l] * hn[k] + e[k] * e[l] });
    }
    return out;
  },
};
