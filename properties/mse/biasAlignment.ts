/**
 * Claim (MSE with a free bias, L = 1 — singular vectors and alignment): with Ŷ = V diag(σ) Uᵀ and
 * z_i = max(σ_i − N sqrt(λ_W λ_H), 0), every global minimiser has
 * W H̄ D^{1/2} = V diag(z) Uᵀ (its left singular vectors are those of Ŷ), W Wᵀ = sqrt(λ_H/λ_W) V diag(z) Vᵀ
 * and (H̄ D^{1/2})ᵀ(H̄ D^{1/2}) = sqrt(λ_W/λ_H) U diag(z) Uᵀ: the i-th left factor of W and the i-th
 * right factor of H̄ D^{1/2} share one singular direction (they are aligned), and directions with
 * σ_i ≤ N sqrt(λ_W λ_H) carry nothing. All three matrices are unique even when σ repeats (balanced n),
 * so they are compared whole.
 * Source: H. Liu, arXiv 2411.17278, statements (3)–(4); THEORY.md §4(b); docs/theory-mse-L.md §2.4.
 *
 * Tolerances (properties/mse/optimum.ts, rigorous): ‖Δ(W H̄ D^{1/2})‖_F ≤ e_Z, ‖Δ(W Wᵀ)‖_F ≤ t_W,
 * ‖Δ(ĀᵀĀ)‖_F ≤ t_A (Ā = H̄ D^{1/2}).
 */
import type { Claim } from '../../src/runner/claim.ts';
import { predictMseBias } from '../../src/theory/mseBias.ts';
import { mseInstance } from './instances.ts';
import type { MseInstance } from '../../src/optima/mse.ts';

/** ‖A − B‖_F. */
function distance(A: number[][], B: number[][]): number {
  return Math.hypot(...A.flatMap((row, k) => row.map((a, l) => a - B[k][l])));
}

export const mseBiasAlignment: Claim<MseInstance> = {
  id: 'mse-bias-alignment',
  title: 'MSE with a free bias (L = 1): W H̄ D^{1/2} = V diag(z) Uᵀ, W Wᵀ ∝ V diag(z) Vᵀ, (H̄D^{1/2})ᵀ(H̄D^{1/2}) ∝ U diag(z) Uᵀ',
  source: 'Liu, arXiv 2411.17278, statements (3)–(4); THEORY.md §4(b)',
  mode: 'assert',
  usesTheory: true,
  runs: 30,
  arbitrary: (budget) => mseInstance(budget, true),
  check(instance, ctx) {
    const o = ctx.optima.mse(instance);
    const p = predictMseBias(instance);
    const root = instance.n.map(Math.sqrt);
    const scaledLogits = p.logits.map((row) => row.map((z, k) => z * root[k]));
    const scaledFeatures = p.featureGram.map((row, k) => row.map((g, l) => g * root[k] * root[l]));
    return [
      { quantity: '‖W H̄ D^{1/2} − V diag(z) Uᵀ‖_F', value: distance(o.scaledLogits, scaledLogits), tolerance: o.eZ },
      { quantity: '‖W Wᵀ − sqrt(λ_H/λ_W) V diag(z) Vᵀ‖_F', value: distance(o.classifierGram, p.classifierGram), tolerance: o.classifierGramError },
      { quantity: '‖(H̄D^{1/2})ᵀ(H̄D^{1/2}) − sqrt(λ_W/λ_H) U diag(z) Uᵀ‖_F', value: distance(o.scaledFeatureGram, scaledFeatures), tolerance: o.scaledFeatureGramError },
    ];
  },
};
