/**
 * Claim (SELI balanced reduction): with balanced classes the certified plain-UFM optimum is the
 * simplex ETF at EVERY λ of the path, not only in the limit: within-class collapse, equal classifier
 * norms, pairwise classifier cosines −1/(K−1), centred rows (Σ_k w_k = 0), equal class-mean norms and
 * class-mean cosines −1/(K−1) — SELI's (P D P)^{1/2} ∝ P for D = (N/K) I. Complete collapse
 * W = H = 0 happens iff σ_max(Ẑ)/N = 1/sqrt(N K) ≤ λ (the spectral certificate at Z = 0); near that
 * λ the optimum is flat to fourth order and the block bounds below do not hold (measured: n = 4·1_5,
 * λ = 0.1 = 1/sqrt(NK): | ‖w_1‖ − ‖w_2‖ | = 2.7e-4 against 2e_W = 3.2e-6), so the claim is measured
 * where n_k = N/K > N² λ² K/(K−1) (λ below the collapse λ by the factor sqrt((K−1)/K)) and W ≠ 0.
 * Source: Thrampoulidis et al., NeurIPS 2022 (balanced case: SELI = ETF); Zhu et al. 2021 for the
 * regularised balanced UFM; THEORY.md §3.
 *
 * Tolerances (block bounds e_W = e_H = sqrt(2δ/λ), properties/seli/path.ts, as in
 * properties/balancedReduction.ts): within-class variation of class k ≤ e_H/sqrt(n_k); two norms
 * differ by at most twice their vector's bound; a cosine moves by at most 4e/min norm; ‖Σ_k w_k‖ ≤ sqrt(K) e_W.
 */
import type { Claim, Measurement } from '../../src/runner/claim.ts';
import { classMeans, withinClassVariation } from '../../src/metrics/classMeans.ts';
import { classLayout } from '../../src/problem/layout.ts';
import { column, dot, norm, pairs, row } from '../_internals/geometry.ts';
import { balancedSeliInput, seliPathOf, type SeliInput, noCollapse } from './path.ts';

export const seliBalancedEtf: Claim<SeliInput> = {
  id: 'seli-balanced-etf',
  title: 'SELI, balanced classes: simplex ETF (classifiers and class means) at every λ of the path',
  source: 'Thrampoulidis et al., NeurIPS 2022 (balanced case); THEORY.md §3',
  mode: 'assert',
  usesTheory: false,
  runs: 15,
  arbitrary: balancedSeliInput,
  check(input, ctx) {
    const layout = classLayout(input.n);
    const K = layout.K;
    const out: Measurement[] = [];
    for (const p of seliPathOf(input, ctx)) {
      if (!(noCollapse(input, p) && p.nonZero)) continue;
      const eH = p.e;
      withinClassVariation(p.H, layout).forEach((v, k) => {
        out.push({ quantity: `λ = ${p.lambda}: within-class variation of class ${k + 1}`, value: v, tolerance: eH / Math.sqrt(layout.sizes[k]) });
      });
      const means = classMeans(p.H, layout);
      const w = Array.from({ length: K }, (_, k) => row(p.W, k));
      const h = Array.from({ length: K }, (_, k) => column(means, k));
      const eh = layout.sizes.map((nk) => eH / Math.sqrt(nk));
      const wn = w.map((v) => norm(v));
      const hn = h.map((v) => norm(v));
      for (const [j, k] of pairs(K)) {
        out.push({ quantity: `λ = ${p.lambda}: | ‖w_${j + 1}‖ − ‖w_${k + 1}‖ |`, value: Math.abs(wn[j] - wn[k]), tolerance: 2 * p.e });
        out.push({ quantity: `λ = ${p.lambda}: | ‖h̄_${j + 1}‖ − ‖h̄_${k + 1}‖ |`, value: Math.abs(hn[j] - hn[k]), tolerance: eh[j] + eh[k] });
        out.push({
          quantity: `λ = ${p.lambda}: cos(w_${j + 1}, w_${k + 1}) against −1/(K−1)`,
          value: Math.abs(dot(w[j], w[k]) / (wn[j] * wn[k]) + 1 / (K - 1)),
          tolerance: (4 * p.e) / Math.min(...wn),
        });
        out.push({
          quantity: `λ = ${p.lambda}: cos(h̄_${j + 1}, h̄_${k + 1}) against −1/(K−1)`,
          value: Math.abs(dot(h[j], h[k]) / (hn[j] * hn[k]) + 1 / (K - 1)),
          tolerance: (4 * Math.max(...eh)) / Math.min(...hn),
        });
      }
      const sum = w.reduce((s, wk) => s.map((x, r) => x + wk[r]), new Float64Array(p.W.cols));
      out.push({ quantity: `λ = ${p.lambda}: ‖Σ_k w_k‖`, value: norm(sum), tolerance: Math.sqrt(K) * p.e });
    }
    return out;
  },
};
