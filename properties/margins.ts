/**
 * Claim (logit margins): at every global minimiser the logits of a class mean are
 * W h̄_k = s_k (e_k − (1/K) 1): class k leads every other class by the same margin
 * s_k = log((K−1)(1−c_k)/c_k) (0 for a collapsed class, whose logits are all 0).
 * Source: Dang et al., ICML 2024, proof of the main theorem (per-class scalar problem); THEORY.md §1 "Logits".
 *
 * For an alive class the margin is the minimiser of the per-class scalar problem ψ(s) + c_k s,
 * ψ(s) = log(1 + (K−1)e^{−s}) (THEORY.md §1, derivation sketch), so the theory's constant c_k is checked
 * against the measured margin's −ψ'(s_k) = (K−1)e^{−s_k}/(1 + (K−1)e^{−s_k}).
 *
 * Tolerance, the smaller of two proven bounds (src/optima/ufmPlus/bounds.ts):
 * - vectors: |Δ(W h̄_k)_j| ≤ e_W ‖h̄_k‖ + ‖w_j‖ e_k + e_W e_k; a gap moves by at most the sum of this for
 *   its two logits, Δs_k the largest over j;
 * - the per-class scalar problem: a measured gap g is within `scalar.distance(k, g)` of s_k*, linear in
 *   φ_k'(g) (src/optima/ufmPlus/scalar.ts), plus the closed form's float64 rounding (linear.ts).
 * |ψ''| ≤ 1/4 everywhere, so −ψ'(s_k) moves by at most a quarter of either; the constants c_k of the
 * theory and of the check each carry ≤ 6ε relative, ψ' ≤ 6ε absolute.
 */
import type { Claim, Measurement } from '../src/runner/claim.ts';
import { EPS } from '../src/optima/policy.ts';
import { marginRoundoff } from '../src/optima/ufmPlus/linear.ts';
import { column, dot, row } from './_internals/geometry.ts';
import { theoremInstance, type Instance } from './_internals/instances.ts';

/** c_k against −ψ'(s_k) at the measured margin (module comment). */
function scalarConstant(k: number, K: number, s: number, c: number, marginError: number): Measurement {
  const t = (K - 1) * Math.exp(-s);
  return { quantity: `c_${k + 1} = ${c} against −ψ'(s_${k + 1}) at the measured margin ${s}`, value: Math.abs(t / (1 + t) - c), tolerance: marginError / 4 + 12 * EPS * (1 + c) };
}

export const margins: Claim<Instance> = {
  id: 'logit-margins',
  title: 'Logit gaps of class means equal the margins s_k',
  source: 'Dang et al., ICML 2024; THEORY.md §1 "Logits"',
  mode: 'assert',
  usesTheory: true,
  arbitrary: theoremInstance,
  check(instance, ctx) {
    const opt = ctx.optima.ufmPlus(instance);
    const predicted = ctx.theory.predict(instance).classes;
    const K = opt.layout.K;
    const eW = opt.bounds.classifier;
    const out: Measurement[] = [];
    for (let k = 0; k < K; k++) {
      const hk = column(opt.classMeans, k);
      const ek = opt.bounds.classMean[k];
      const logits = Array.from({ length: K }, (_, j) => dot(row(opt.W, j), hk));
      const logitError = (j: number): number => eW * opt.classMeanNorms[k] + opt.classifierNorms[j] * ek + eW * ek;
      const gapError = (g: number, j: number): number => Math.min(logitError(k) + logitError(j), opt.bounds.scalar.distance(k, g) + marginRoundoff(K, g));
      let marginError = 0;
      for (let j = 0; j < K; j++) {
        if (j === k) continue;
        const g = logits[k] - logits[j];
        marginError = Math.max(marginError, gapError(g, j));
        out.push({
          quantity: `(W h̄_${k + 1})_${k + 1} − (W h̄_${k + 1})_${j + 1} against s_${k + 1} = ${predicted[k].margin}`,
          value: Math.abs(g - predicted[k].margin),
          tolerance: gapError(g, j),
        });
      }
      const s = opt.margins[k];
      if (predicted[k].alive && opt.classMeanNorms[k] > ek) out.push(scalarConstant(k, K, s, predicted[k].c, Math.min(marginError, opt.bounds.scalar.distance(k, s))));
    }
    return out;
  },
};
