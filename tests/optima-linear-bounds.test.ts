/**
 * The linear bounds of the per-class scalar problems (src/optima/ufmPlus/scalar.ts, linear.ts): each is
 * at least the true distance to the optimum's value (THEORY.md §1's closed form, the independent
 * reference), and at most a little more (a bound far above the error would hide a wrong theory).
 * Inputs: generated UFM+ instances; the "measured" margins are the optimum's, each moved by a relative
 * δ, log-uniform in [1e-12, 1e-3], of either sign.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifierGramBounds, classMeanNormBounds, marginRoundoff } from '../src/optima/ufmPlus/linear.ts';
import { classScales } from '../src/optima/ufmPlus/bounds.ts';
import { PerClassScalarProblems } from '../src/optima/ufmPlus/scalar.ts';
import { classifierGram, classMargins } from '../src/theory/ufmPlusCe.ts';

const case_ = fc.record({
  n: fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 2, maxLength: 6 }),
  logLambda: fc.double({ min: -4, max: -1.5, noNaN: true }),
  moves: fc.array(fc.tuple(fc.double({ min: -12, max: -3, noNaN: true }), fc.boolean()), { minLength: 6, maxLength: 6 }),
});

type Case = { n: number[]; logLambda: number; moves: [number, boolean][] };

/** The instance, its optimum's margins s*, moved margins x, and intervals [x ± 2|x − s*| + 1e-9] around x. */
function setUp(c: Case) {
  const lambda = 10 ** c.logLambda;
  const reg = { lambdaW: lambda, lambdaH: lambda };
  const s = classMargins(c.n, lambda, lambda);
  const x = s.map((sk, k) => {
    const [e, up] = c.moves[k];
    return sk === 0 ? 10 ** e : sk * (1 + (up ? 1 : -1) * 10 ** e);
  });
  const intervals = x.map((xk, k) => {
    const r = 2 * Math.abs(xk - s[k]) + 1e-9;
    return { lo: Math.max(0, xk - r), hi: xk + r };
  });
  return { reg, s, x, scalar: new PerClassScalarProblems(c.n, reg, intervals) };
}

describe('PerClassScalarProblems', () => {
  // tightness: ψ'' varies by < 5 % over the interval (±3|x − s*| ≤ 3e-3 s*), and above a relative move of
  // 1e-9 the rounding of φ' (≈ 1e-15/ψ'') is far below the error
  it('distance(k, x) ≥ |x − s_k*| (alive and collapsed classes), and ≤ 1.05 |x − s_k*| for alive classes moved by ≥ 1e-9', () => {
    fc.assert(fc.property(case_, (c) => {
      const { s, x, scalar } = setUp(c);
      s.forEach((sk, k) => {
        const err = Math.abs(x[k] - sk);
        const bound = scalar.distance(k, x[k]);
        expect(bound + marginRoundoff(s.length, sk)).toBeGreaterThanOrEqual(err);
        if (sk > 0 && err > 1e-9 * sk) expect(bound).toBeLessThanOrEqual(1.05 * err);
      });
    }), { seed: 11, numRuns: 300 });
  });

  it('rejects a malformed instance, naming the rule', () => {
    expect(() => new PerClassScalarProblems([3], { lambdaW: 1e-2, lambdaH: 1e-2 }, [{ lo: 0, hi: 1 }])).toThrow(/K ≥ 2/);
    expect(() => new PerClassScalarProblems([3, 4], { lambdaW: 0, lambdaH: 1e-2 }, [{ lo: 0, hi: 1 }, { lo: 0, hi: 1 }])).toThrow(/λ_W and λ_H must be > 0/);
    expect(() => new PerClassScalarProblems([3, 4], { lambdaW: 1e-2, lambdaH: 1e-2 }, [{ lo: 2, hi: 1 }, { lo: 0, hi: 1 }])).toThrow(/one interval/);
  });
});

describe('linear bounds of norms and the classifier Gram', () => {
  it('class-mean norms: the bound at a norm implied by a moved margin covers the distance to the optimum\'s norm', () => {
    fc.assert(fc.property(case_, (c) => {
      const { reg, s, x, scalar } = setUp(c);
      const q = classScales(c.n, reg);
      const measured = x.map((xk, k) => Math.sqrt(q[k] * xk));
      const bounds = classMeanNormBounds(scalar, measured, q);
      measured.forEach((a, k) => expect(bounds[k]).toBeGreaterThanOrEqual(Math.abs(a - Math.sqrt(q[k] * s[k]))));
    }), { seed: 12, numRuns: 200 });
  });

  it('classifier Gram: the bound at the structured Gram of moved margins covers the distance to the optimum\'s Gram', () => {
    fc.assert(fc.property(case_, (c) => {
      const { reg, s, x, scalar } = setUp(c);
      const q = classScales(c.n, reg);
      const K = c.n.length;
      // the Gram of the structured point whose margins are x: ⟨w_j, w_k⟩ = Σ_m (δ_jm − 1/K)(δ_km − 1/K) x_m/q_m
      const G = x.map((_, j) => x.map((__, k) => x.reduce((sum, xm, m) => sum + ((j === m ? 1 : 0) - 1 / K) * ((k === m ? 1 : 0) - 1 / K) * (xm / q[m]), 0)));
      const truth = classifierGram(c.n, reg.lambdaW, reg.lambdaH);
      const bounds = classifierGramBounds(scalar, G, x, q, K);
      G.forEach((row, j) => row.forEach((g, k) => expect(bounds[j][k]).toBeGreaterThanOrEqual(Math.abs(g - truth[j][k]))));
      expect(s.length).toBe(K);
    }), { seed: 13, numRuns: 200 });
  });
});
