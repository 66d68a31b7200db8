/**
 * Differential test of the tfjs objective and gradient (src/solver-tfjs/objective.ts) against the
 * float64 CPU solver's own objective and gradient (src/solver/objective/evaluator.ts), on
 * generated instances and points, on both tfjs backends installed here (wasm, cpu).
 *
 * Tolerance (derived in src/solver-tfjs/roundoff.ts, beside the bound): the point's coordinates
 * are float32 numbers, so both sides see the same inputs and only the arithmetic differs; each
 * float32 entry must lie within the worst-case forward-error bound of float32 arithmetic
 * (unit round-off u = 2⁻²⁴): logits off by ≤ γ_{d+1}·Σ|W||H|, hence every entry of
 * G = ∇L(Z) off by a relative ε_i ≈ 2Δ_i + (2K+8)u, and each gradient entry — a sum of N (∇_W, ∇_b)
 * or K (∇_H) terms — off by ≤ Σ (ε_i + γ_{m}) |terms|. The typical error is √m·u·scale, the bound
 * m·u·scale; a wrong formula is off by O(1)·scale.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTfjs } from '../src/tfjs/backend.ts';
import { checkAgainstFloat64, family } from './_helpers/tfjs-differential.ts';

for (const name of ['wasm', 'cpu'] as const) {
  describe(`tfjs objective and gradient = float64 within float32 error (${name} backend)`, () => {
    it('agrees on generated instances and points; padded rows stay exactly 0; no tensor leaks', async () => {
      const { tf, backend } = await loadTfjs(name);
      expect(backend).toBe(name);
      let worst = 0; // the largest error / bound seen (must stay ≤ 1)
      await fc.assert(
        fc.asyncProperty(family, async (sample) => {
          worst = Math.max(worst, await checkAgainstFloat64(tf, sample));
        }),
        { seed: 20240601, numRuns: name === 'wasm' ? 25 : 12 },
      );
      // Measured when written: worst error/bound ≈ 0.19 on both backends (the bound is not vacuous).
      expect(worst).toBeLessThanOrEqual(1);
    });
  });
}
