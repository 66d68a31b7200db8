/**
 * Claim (MSE orthogonality, bias-free): at every global minimiser of the bias-free MSE model
 * (M = 1) the classifier rows are mutually orthogonal (⟨w_k, w_l⟩ = 0), the class means are mutually
 * orthogonal (⟨h̄_k, h̄_l⟩ = 0), and w_k ⟂ h̄_l for k ≠ l (W H̄ is diagonal: the logit of class c on
 * class k's mean is 0 for c ≠ k).
 * Source: Dang et al., ICML 2023, imbalanced deep-linear theorem (M = 1); THEORY.md §4(a);
 * docs/theory-mse-L.md §1.1 (the target D^{1/2} is diagonal).
 *
 * Tolerances (properties/mse/optimum.ts, rigorous): every entry of W Wᵀ is within t_W (its Frobenius
 * error bound), entry (k, l) of H̄ᵀH̄ within t_A/sqrt(n_k n_l), column k of W H̄ within e_Z/sqrt(n_k).
 */
import type { Claim, Measurement } from '../../src/runner/claim.ts';
import { pairs } from '../_internals/geometry.ts';
import { mseInstance } from './instances.ts';
import type { MseInstance } from '../../src/optima/mse.ts';

export const mseOrthogonality: Claim<MseInstance> = {
  id: 'mse-orthogonality',
  title: 'MSE bias-free: classifier rows, class means, and w_k ⟂ h̄_l (k ≠ l) mutually orthogonal',
  source: 'Dang et al., ICML 2023; THEORY.md §4(a)',
  mode: 'assert',
  usesTheory: false,
  runs: 30,
  arbitrary: (budget) => mseInstance(budget, false),
  check(instance, ctx) {
    const o = ctx.optima.mse(instance);
    const n = instance.n;
    const out: Measurement[] = [];
    for (const [k, l] of pairs(n.length)) {
      out.push({ quantity: `|⟨w_${k + 1}, w_${l + 1}⟩|`, value: Math.abs(o.classifierGram[k][l]), tolerance: o.classifierGramError });
      out.push({ quantity: `|⟨h̄_${k + 1}, h̄_${l + 1}⟩|`, value: Math.abs(o.featureGram[k][l]), tolerance: o.scaledFeatureGramError / Math.sqrt(n[k] * n[l]) });
      out.push({ quantity: `|w_${k + 1}ᵀh̄_${l + 1}|`, value: Math.abs(o.logits[k][l]), tolerance: o.eZ / Math.sqrt(n[l]) });
      out.push({ quantity: `|w_${l + 1}ᵀh̄_${k + 1}|`, value: Math.abs(o.logits[l][k]), tolerance: o.eZ / Math.sqrt(n[k]) });
    }
    return out;
  },
};
