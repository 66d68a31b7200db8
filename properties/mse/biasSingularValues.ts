/**
 * Claim (MSE with a free bias, L = 1 — soft thresholding): at every global minimiser of
 * (1/(2N))‖W H + b 1ᵀ − Y‖² + (λ_W/2)‖W‖² + (λ_H/2)‖H‖², the singular values of W H̄ D^{1/2} are
 * max(σ_i(Ŷ) − N sqrt(λ_W λ_H), 0), Ŷ = (I − n 1ᵀ/N) D^{1/2} (so at least one direction collapses,
 * 1ᵀŶ = 0), the bias is the class proportions b = n/N, and the optimal value is
 * (1/(2N)) Σ (σ_i − z_i)² + sqrt(λ_W λ_H) Σ z_i — read from predictMseBias.
 * Source: H. Liu, "The Exploration of Neural Collapse under Imbalanced Data", arXiv 2411.17278,
 * statements (3)–(4); THEORY.md §4(b); docs/theory-mse-L.md §2.
 *
 * Tolerances (properties/mse/optimum.ts, rigorous): ‖W H̄ D^{1/2} − (W H̄ D^{1/2})*‖_F ≤ e_Z, so each
 * singular value is within e_Z (Weyl); ‖b − n/N‖ ≤ sqrt(2δ) + ‖W‖₂ sqrt(2δ/(λ_H N)); the objective
 * within [f* − rounding, f* + δ + rounding].
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import type { Claim, Measurement } from '../../src/runner/claim.ts';
import { objectiveRoundoff } from '../../src/optima/policy.ts';
import { predictMseBias } from '../../src/theory/mseBias.ts';
import { mseInstance } from './instances.ts';
import type { MseInstance } from '../../src/optima/mse.ts';

export const mseBiasSingularValues: Claim<MseInstance> = {
  id: 'mse-bias-singular-values',
  title: 'MSE with a free bias (L = 1): σ_i(W H̄ D^{1/2}) = max(σ_i(Ŷ) − N sqrt(λ_W λ_H), 0), b = n/N, f*',
  source: 'Liu, arXiv 2411.17278, statements (3)–(4); THEORY.md §4(b)',
  mode: 'assert',
  usesTheory: true,
  runs: 30,
  arbitrary: (budget) => mseInstance(budget, true),
  check(instance, ctx) {
    const o = ctx.optima.mse(instance);
    const p = predictMseBias(instance);
    const measured = new SingularValueDecomposition(new Matrix(o.scaledLogits), { autoTranspose: true }).diagonal.slice().sort((a, c) => c - a);
    const out: Measurement[] = p.predictedSingularValues.map((z, i) => ({
      quantity: `|σ_${i + 1}(W H̄ D^{1/2}) − max(σ_${i + 1}(Ŷ) − N sqrt(λ_W λ_H), 0)| (predicted ${z}, σ(Ŷ) = ${p.singularValues[i]})`,
      value: Math.abs(measured[i] - z),
      tolerance: o.eZ,
    }));
    const b = o.b ?? [];
    out.push({ quantity: '‖b − n/N‖', value: Math.hypot(...b.map((bk, k) => bk - p.bias[k])), tolerance: o.biasError ?? 0 });
    const roundoff = objectiveRoundoff({ N: o.layout.N, K: o.layout.K, d: instance.d }, p.objective);
    out.push({
      quantity: `THEOREM REFUTED if positive beyond rounding: f* − f(W,H,b) (f* = ${p.objective}, solver ${o.objective}, ${JSON.stringify(instance)})`,
      value: Math.max(0, p.objective - o.objective),
      tolerance: roundoff,
    });
    out.push({ quantity: `f(W,H,b) − f* (solver ${o.objective}, f* = ${p.objective})`, value: Math.max(0, o.objective - p.objective), tolerance: o.gap + roundoff });
    return out;
  },
};
