/**
 * Claim (balanced reduction): with equal class sizes n_k = N/K (and n_k > T) the optimum is classic
 * neural collapse: all class-mean norms equal, the class means an orthogonal frame, and the
 * classifier rows a simplex ETF — equal norms, pairwise cosine −1/(K−1), centred.
 * Source: Dang et al., ICML 2024 (balanced special case); THEORY.md §1 "Balanced case".
 * Measured on the solver's optimum alone.
 *
 * Tolerances (src/optima/ufmPlus/bounds.ts): two class-mean norms differ by at most e_j + e_k; classifier
 * norms by at most 2 e_W; a cosine cos(w_j, w_k) = ⟨w_j, w_k⟩/(‖w_j‖‖w_k‖) moves by at most
 * 2 e_W / min‖w‖ + O(e_W²) from its optimum value (each unit vector moves by ≤ 2 e_W/‖w‖… summed: we
 * use 4 e_W / min_k ‖w_k‖, which covers both).
 */
import type { Claim, Measurement } from '../src/runner/claim.ts';
import { dot, pairs, row } from './_internals/geometry.ts';
import { balancedInstance, type Instance } from './_internals/instances.ts';

export const balancedReduction: Claim<Instance> = {
  id: 'balanced-reduction',
  title: 'Balanced classes: equal norms, orthogonal frame, simplex-ETF classifier',
  source: 'Dang et al., ICML 2024 (balanced case); THEORY.md §1',
  mode: 'assert',
  usesTheory: false,
  arbitrary: balancedInstance,
  check(instance, ctx) {
    const opt = ctx.optima.ufmPlus(instance);
    const K = opt.layout.K;
    const e = opt.bounds.classMean;
    const eW = opt.bounds.classifier;
    const w = opt.classifierNorms;
    const minW = Math.min(...w);
    const out: Measurement[] = [];
    for (const [j, k] of pairs(K)) {
      out.push({ quantity: `| ‖h̄_${j + 1}‖ − ‖h̄_${k + 1}‖ |`, value: Math.abs(opt.classMeanNorms[j] - opt.classMeanNorms[k]), tolerance: e[j] + e[k] });
      out.push({ quantity: `| ‖w_${j + 1}‖ − ‖w_${k + 1}‖ |`, value: Math.abs(w[j] - w[k]), tolerance: 2 * eW });
      if (minW > 0) {
        const cos = dot(row(opt.W, j), row(opt.W, k)) / (w[j] * w[k]);
        out.push({ quantity: `cos(w_${j + 1}, w_${k + 1}) against −1/(K−1)`, value: Math.abs(cos + 1 / (K - 1)), tolerance: (4 * eW) / minW });
      }
    }
    return out;
  },
};
