/**
 * Claim (classifier angles): at every global minimiser the classifier Gram matrix is
 * ⟨w_j, w_k⟩ = −(1/K)(b_j² + b_k²) + (1/K²) Σ_m b_m² (j ≠ k), ‖w_k‖² as in the norm claim, and the
 * rows sum to zero, Σ_k w_k = 0.
 * Source: Dang et al., ICML 2024, main theorem; THEORY.md §1 "Classifier".
 *
 * Tolerance: |⟨w_j, w_k⟩ − ⟨w_j*, w_k*⟩|, the smaller of e_W(‖w_j‖ + ‖w_k‖) + e_W² and the bound linear in the
 * per-class scalar residuals (src/optima/ufmPlus/linear.ts, which also covers the closed form's float64
 * rounding); ‖Σ_k w_k‖ ≤ sqrt(K) e_W (Cauchy–Schwarz over the K rows of ΔW), src/optima/ufmPlus/bounds.ts.
 */
import type { Claim, Measurement } from '../src/runner/claim.ts';
import { classes, dot, norm, row } from './_internals/geometry.ts';
import { theoremInstance, type Instance } from './_internals/instances.ts';

export const classifierGram: Claim<Instance> = {
  id: 'classifier-gram',
  title: 'Pairwise classifier angles equal the closed form; rows of W sum to zero',
  source: 'Dang et al., ICML 2024, main theorem; THEORY.md §1',
  mode: 'assert',
  usesTheory: true,
  arbitrary: theoremInstance,
  check(instance, ctx) {
    const opt = ctx.optima.ufmPlus(instance);
    const G = ctx.theory.predict(instance).classifierGram;
    const K = opt.layout.K;
    const eW = opt.bounds.classifier;
    const rows = classes(K).map((k) => row(opt.W, k));
    const out: Measurement[] = [];
    for (let j = 0; j < K; j++) {
      for (let k = j; k < K; k++) {
        out.push({
          quantity: `|⟨w_${j + 1}, w_${k + 1}⟩ − predicted ${G[j][k]}|`,
          value: Math.abs(dot(rows[j], rows[k]) - G[j][k]),
          tolerance: opt.bounds.classifierGram[j][k],
        });
      }
    }
    const sum = rows.reduce((s, w) => s.map((x, r) => x + w[r]), new Float64Array(opt.W.cols));
    out.push({ quantity: '‖Σ_k w_k‖', value: norm(sum), tolerance: Math.sqrt(K) * eW });
    return out;
  },
};
