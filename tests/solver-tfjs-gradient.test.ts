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
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { Evaluator } from '../src/solver/objective/evaluator.ts';
import { type SolverProblem, validateProblem } from '../src/solver/problem.ts';
import { loadTfjs } from '../src/tfjs/backend.ts';
import { packBatch, disposeBatch, validateTfProblem } from '../src/solver-tfjs/batch.ts';
import { evaluateBatch } from '../src/solver-tfjs/objective.ts';
import { float32ErrorBounds } from '../src/solver-tfjs/roundoff.ts';

const f32 = Math.fround;

/** Two problems of one family (same K, d, constraint, bias) with different n, so padding is exercised. */
const family = fc
  .record({
    K: fc.integer({ min: 2, max: 5 }),
    dExtra: fc.integer({ min: 0, max: 8 }),
    nonNegative: fc.boolean(),
    bias: fc.boolean(),
    freeBias: fc.boolean(),
    logLambda: fc.array(fc.double({ min: Math.log(1e-4), max: Math.log(1e-1), noNaN: true }), { minLength: 5, maxLength: 5 }),
    sizes: fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 10, maxLength: 10 }),
    logitScale: fc.double({ min: Math.log(0.1), max: Math.log(30), noNaN: true }),
    pointSeed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  })
  .map((r) => {
    const d = r.K + r.dExtra;
    const problem = (t: number): SolverProblem => ({
      n: r.sizes.slice(5 * t, 5 * t + r.K),
      lambdaW: Math.exp(r.logLambda[2 * t]),
      lambdaH: Math.exp(r.logLambda[2 * t + 1]),
      d,
      nonNegative: r.nonNegative,
      bias: r.bias,
      ...(r.bias && !r.freeBias ? { lambdaB: Math.exp(r.logLambda[4]) } : {}),
    });
    return { problems: [problem(0), problem(1)], logitScale: Math.exp(r.logitScale), pointSeed: r.pointSeed };
  });

/** A float32-representable point: |logits| about `scale`, H ≥ 0 under UFM+. */
function randomPoint(p: SolverProblem, scale: number, seed: string) {
  const rng = seedrandom(seed);
  const K = p.n.length;
  const N = p.n.reduce((a, b) => a + b, 0);
  const sigma = Math.sqrt(scale) * p.d ** -0.25;
  const W = Float64Array.from({ length: K * p.d }, () => f32(sigma * (2 * rng() - 1)));
  const H = Float64Array.from({ length: p.d * N }, () => f32(sigma * (p.nonNegative !== false ? rng() : 2 * rng() - 1)));
  const b = p.bias ? Array.from({ length: K }, () => f32(scale * (2 * rng() - 1))) : null;
  return { W, H, b, N };
}

for (const name of ['wasm', 'cpu'] as const) {
  describe(`tfjs objective and gradient = float64 within float32 error (${name} backend)`, () => {
    it('agrees on generated instances and points; padded rows stay exactly 0; no tensor leaks', async () => {
      const { tf, backend } = await loadTfjs(name);
      expect(backend).toBe(name);
      let worst = 0; // the largest error / bound seen (must stay ≤ 1)
      fc.assert(
        fc.property(family, ({ problems, logitScale, pointSeed }) => {
          const validated = problems.map(validateTfProblem);
          const points = problems.map((p, t) => randomPoint(p, logitScale, `${pointSeed}/${t}`));
          const before = tf.memory().numTensors;
          const batch = packBatch(tf, validated);
          const { B, K, d, N: Np } = batch;
          const w = new Float32Array(B * K * d);
          const ht = new Float32Array(B * Np * d);
          const bias = new Float32Array(B * K);
          points.forEach((x, t) => {
            w.set(x.W, t * K * d);
            for (let i = 0; i < x.N; i++) for (let j = 0; j < d; j++) ht[(t * Np + i) * d + j] = x.H[j * x.N + i];
            if (x.b) bias.set(x.b, t * K);
          });
          let out!: { f: ArrayLike<number>; gW: ArrayLike<number>; gHt: ArrayLike<number>; gb: ArrayLike<number> | null };
          tf.tidy(() => {
            const point = { W: tf.tensor3d(w, [B, K, d]), Ht: tf.tensor3d(ht, [B, Np, d]), b: batch.bias ? tf.tensor3d(bias, [B, 1, K]) : null };
            const ev = evaluateBatch(tf, batch, point, true);
            out = { f: ev.value.dataSync(), gW: ev.grad!.W.dataSync(), gHt: ev.grad!.Ht.dataSync(), gb: ev.grad!.b?.dataSync() ?? null };
          });
          disposeBatch(batch);
          expect(tf.memory().numTensors).toBe(before);
          problems.forEach((p, t) => {
            const x = points[t];
            const v = validateProblem(p);
            const ev = new Evaluator(v, d);
            const flat = new Float64Array(ev.size);
            flat.set(x.W, 0);
            flat.set(x.H, ev.hOffset);
            if (x.b) flat.set(x.b, ev.bOffset);
            const g = new Float64Array(ev.size);
            const f64 = ev.evaluate(flat, g);
            const bound = float32ErrorBounds(v, { rows: K, cols: d, data: x.W }, { rows: d, cols: x.N, data: x.H }, x.b);
            const check = (got: number, want: number, tol: number, what: string) => {
              const err = Math.abs(got - want);
              if (!(err <= tol)) throw new Error(`${what}: float32 ${got} vs float64 ${want}, error ${err} > bound ${tol}`);
              if (tol > 0) worst = Math.max(worst, err / tol);
            };
            check(out.f[t], f64, bound.value, 'f');
            for (let e = 0; e < K * d; e++) check(out.gW[t * K * d + e], g[e], bound.W[e], `∂f/∂W[${e}]`);
            for (let i = 0; i < x.N; i++) {
              for (let j = 0; j < d; j++) check(out.gHt[(t * Np + i) * d + j], g[ev.hOffset + j * x.N + i], bound.H[j * x.N + i], `∂f/∂H[${j},${i}]`);
            }
            for (let i = x.N; i < Np; i++) for (let j = 0; j < d; j++) expect(out.gHt[(t * Np + i) * d + j]).toBe(0);
            if (x.b) for (let k = 0; k < K; k++) check(out.gb![t * K + k], g[ev.bOffset + k], bound.b![k], `∂f/∂b[${k}]`);
          });
        }),
        { seed: 20240601, numRuns: name === 'wasm' ? 25 : 12 },
      );
      // Measured when written: worst error/bound ≈ 0.19 on both backends (the bound is not vacuous).
      expect(worst).toBeLessThanOrEqual(1);
    });
  });
}
