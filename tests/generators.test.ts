import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInputError } from '../src/errors.ts';
import {
  arbitrarySizes,
  balancedSizes,
  budgetSizes,
  dimension,
  longTailedSizes,
  regulariser,
  sampleInstances,
  solverSeed,
  stepImbalanceSizes,
  thresholdInstance,
  ufmInstance,
} from '../src/generators/index.ts';
import { validateClassSizes } from '../src/problem/validate.ts';

const sum = (n: readonly number[]) => n.reduce((a, b) => a + b, 0);

/**
 * The minority-collapse threshold T = N² λ_W λ_H K/(K−1) (THEORY.md §1), written here in a different
 * evaluation order from the generators' own, so that the side checks do not share code with them.
 */
const thresholdIndependent = (n: readonly number[], lambdaW: number, lambdaH: number) =>
  lambdaW * lambdaH * (n.length / (n.length - 1)) * sum(n) ** 2;

/**
 * Tolerance for comparing two evaluations of T: each is a product/quotient of ≤ 6 rounded operations, so
 * each is within 6 ulp of the exact value; 1e-14 relative (≈ 45 ulp) leaves margin.
 */
const T_RELATIVE_TOL = 1e-14;

function expectInputError(f: () => unknown, mentions: string[]): void {
  try {
    f();
  } catch (e) {
    expect(isInputError(e)).toBe(true);
    for (const m of mentions) expect((e as Error).message).toContain(m);
    return;
  }
  throw new Error('expected an InputError');
}

describe('shrinking', () => {
  it('a property failing for K ≥ 3 shrinks ufmInstance to K = 3, unit sizes, λ = 1e-3, d = K', () => {
    for (const budget of ['small', 'large'] as const) {
      const out = fc.check(fc.property(ufmInstance({ budget }), (i) => i.n.length < 3), { seed: 7 });
      expect(out.failed).toBe(true);
      // The documented shrink targets: balanced family (cross-shrink), K = minK of the failing region,
      // size 1, λ's at the anchor 10^-3 of [1e-5, 1e-1], d = minFactor·K = K.
      expect(out.counterexample?.[0]).toEqual({ n: [1, 1, 1], lambdaW: 1e-3, lambdaH: 1e-3, d: 3 });
    }
  });

  it('arbitrarySizes shrinks a "some n_k ≥ 10" failure to two classes, one of size exactly 10, one of size 1', () => {
    const out = fc.check(fc.property(arbitrarySizes(), (n) => n.every((nk) => nk < 10)), { seed: 3 });
    expect(out.failed).toBe(true);
    const n = out.counterexample![0];
    expect(n.length).toBe(2);
    expect(n.slice().sort((a, b) => a - b)).toEqual([1, 10]);
  });

  it('regulariser shrinks toward its anchor: "λ < 1e-2" fails minimally at λ = 1e-2', () => {
    const out = fc.check(fc.property(regulariser(), (l) => l < 1e-2), { seed: 11 });
    expect(out.failed).toBe(true);
    // 10^(-3 + 1000/1000) is the first grid point at or above 1e-2; 10 ** -2 is exactly the double 0.01.
    expect(out.counterexample![0]).toBe(0.01);
  });

  it('dimension shrinks to K and solverSeed to 0', () => {
    const d = fc.check(fc.property(dimension(5), () => false), { seed: 1 });
    expect(d.counterexample![0]).toBe(5);
    const s = fc.check(fc.property(solverSeed(), () => false), { seed: 1 });
    expect(s.counterexample![0]).toBe(0);
  });

  it('thresholdInstance failing for K ≥ 3 shrinks to K = 3 with small sizes', () => {
    for (const where of ['below', 'at', 'above', 'complete-collapse'] as const) {
      const out = fc.check(fc.property(thresholdInstance({ where }), (i) => i.n.length < 3), { seed: 5 });
      expect(out.failed).toBe(true);
      const inst = out.counterexample![0];
      expect(inst.n.length).toBe(3);
      // Balanced unit sizes, with one class bumped to 2 for 'below'/'at' (they need a larger class).
      expect(Math.max(...inst.n)).toBeLessThanOrEqual(2);
      expect(inst.d).toBe(3);
    }
  });
});

describe('generated values respect their constraints', () => {
  it('balancedSizes', () => {
    fc.assert(
      fc.property(balancedSizes({ minK: 3, maxK: 9, minSize: 4, maxSize: 17 }), (n) => {
        expect(n.length).toBeGreaterThanOrEqual(3);
        expect(n.length).toBeLessThanOrEqual(9);
        expect(new Set(n).size).toBe(1);
        expect(n[0]).toBeGreaterThanOrEqual(4);
        expect(n[0]).toBeLessThanOrEqual(17);
      }),
    );
  });

  it('arbitrarySizes', () => {
    fc.assert(
      fc.property(arbitrarySizes({ minK: 2, maxK: 4, minSize: 3, maxSize: 8 }), (n) => {
        expect(n.length).toBeGreaterThanOrEqual(2);
        expect(n.length).toBeLessThanOrEqual(4);
        for (const nk of n) expect(nk >= 3 && nk <= 8 && Number.isInteger(nk)).toBe(true);
      }),
    );
  });

  it('stepImbalanceSizes: majorities first, R·m, then minorities m, at least one of each', () => {
    fc.assert(
      fc.property(stepImbalanceSizes({ minK: 2, maxK: 8, maxMinoritySize: 7, minRatio: 2, maxRatio: 5 }), (n) => {
        const m = n[n.length - 1];
        const kMaj = n.filter((nk) => nk !== m).length;
        expect(kMaj).toBeGreaterThanOrEqual(1);
        expect(kMaj).toBeLessThanOrEqual(n.length - 1);
        const R = n[0] / m;
        expect(Number.isInteger(R) && R >= 2 && R <= 5).toBe(true);
        expect(n).toEqual(n.map((_, k) => (k < kMaj ? R * m : m)));
      }),
    );
  });

  it('stepImbalanceSizes with ρ: the majority count is round(ρK) clamped to [1, K−1]', () => {
    fc.assert(
      fc.property(stepImbalanceSizes({ minK: 2, maxK: 12, rho: 0.3 }), (n) => {
        const K = n.length;
        const kMaj = n.filter((nk) => nk > n[K - 1]).length;
        expect(kMaj).toBe(Math.min(K - 1, Math.max(1, Math.round(0.3 * K))));
      }),
    );
  });

  it('longTailedSizes follows n_k = max(1, round(n_max r^{-k/(K-1)})) for a fixed r', () => {
    for (const r of [1, 10, 100]) {
      fc.assert(
        fc.property(longTailedSizes({ minK: 2, maxK: 10, minHead: 1, maxHead: 500, minRatio: r, maxRatio: r }), (n) => {
          const K = n.length;
          expect(n).toEqual(n.map((_, k) => Math.max(1, Math.round(n[0] * Math.pow(r, -k / (K - 1))))));
        }),
      );
    }
  });

  it('longTailedSizes: non-increasing, ratio n_1/n_K at most r_max (up to the rounding of n_K)', () => {
    fc.assert(
      fc.property(longTailedSizes({ minHead: 200, maxHead: 400, minRatio: 2, maxRatio: 50 }), (n) => {
        for (let k = 1; k < n.length; k++) expect(n[k]).toBeLessThanOrEqual(n[k - 1]);
        // n_K = round(n_1/r) ≥ n_1/r − 1/2, so n_1/n_K ≤ r / (1 − r/(2 n_1)) ≤ 50 / (1 − 50/400).
        expect(n[0] / n[n.length - 1]).toBeLessThanOrEqual(50 / (1 - 50 / 400));
      }),
    );
  });

  it('budgetSizes stays within its budget', () => {
    const budgets = { small: { maxK: 6, maxSize: 60, maxN: 250 }, large: { maxK: 20, maxSize: 1000, maxN: 5000 } };
    for (const [budget, lim] of Object.entries(budgets) as ['small' | 'large', typeof budgets.small][]) {
      fc.assert(
        fc.property(budgetSizes(budget), (n) => {
          validateClassSizes(n);
          expect(n.length).toBeLessThanOrEqual(lim.maxK);
          expect(Math.max(...n)).toBeLessThanOrEqual(lim.maxSize);
          expect(sum(n)).toBeLessThanOrEqual(lim.maxN);
        }),
      );
    }
  });

  it('ufmInstance: valid sizes, λ in [1e-5, 1e-1], d in [K, 4K]; custom ranges are honoured', () => {
    fc.assert(
      fc.property(ufmInstance({ budget: 'small' }), ({ n, lambdaW, lambdaH, d }) => {
        validateClassSizes(n);
        for (const l of [lambdaW, lambdaH]) expect(l >= 1e-5 && l <= 1e-1).toBe(true);
        expect(d >= n.length && d <= 4 * n.length).toBe(true);
      }),
    );
    const custom = ufmInstance({
      sizes: balancedSizes({ minK: 4, maxK: 4, minSize: 9, maxSize: 9 }),
      lambdaW: { min: 2e-3, max: 3e-3 },
      lambdaH: { min: 1e-4, max: 1e-4 },
      dimension: { minFactor: 2, maxFactor: 3 },
    });
    fc.assert(
      fc.property(custom, ({ n, lambdaW, lambdaH, d }) => {
        expect(n).toEqual([9, 9, 9, 9]);
        expect(lambdaW >= 2e-3 && lambdaW <= 3e-3).toBe(true);
        expect(lambdaH).toBe(1e-4);
        expect(d >= 8 && d <= 12).toBe(true);
      }),
    );
  });

  it('regulariser values cover the log range (both ends of [1e-5, 1e-1] reached within a decade)', () => {
    const xs = sampleInstances(regulariser(), 2000, 1);
    for (const x of xs) expect(x >= 1e-5 && x <= 1e-1).toBe(true);
    expect(Math.min(...xs)).toBeLessThan(1e-4);
    expect(Math.max(...xs)).toBeGreaterThan(1e-2);
  });

  it('solverSeed is a non-negative 31-bit integer', () => {
    fc.assert(fc.property(solverSeed(), (s) => Number.isInteger(s) && s >= 0 && s <= 2 ** 31 - 1));
  });
});

describe('thresholdInstance lands on the intended side of T', () => {
  const budgets = ['small', 'large'] as const;

  it("'below': n_j < T ≤ n_j + 0.5, classes ≤ n_j collapsed, larger ones alive, at least one alive", () => {
    for (const budget of budgets) {
      fc.assert(
        fc.property(thresholdInstance({ where: 'below', budget }), (inst) => {
          const T = thresholdIndependent(inst.n, inst.lambdaW, inst.lambdaH);
          const nj = inst.n[inst.classIndex];
          // The gap g ∈ [1e-6, 0.5] dwarfs the ≤ 1e-14 relative disagreement between the two evaluations of T.
          expect(T - nj).toBeGreaterThan(1e-6 * (1 - 1e-6));
          expect(T - nj).toBeLessThanOrEqual(0.5 + 1e-9);
          for (const nk of inst.n) expect(nk > T).toBe(nk > nj);
          expect(inst.n.some((nk) => nk > T)).toBe(true);
          expect(inst.d >= inst.n.length && inst.d <= 4 * inst.n.length).toBe(true);
        }),
      );
    }
  });

  it("'at': T equals n_j to 1e-14 relative, the generator's own T is ≥ n_j, and some class is alive", () => {
    for (const budget of budgets) {
      fc.assert(
        fc.property(thresholdInstance({ where: 'at', budget }), (inst) => {
          const T = thresholdIndependent(inst.n, inst.lambdaW, inst.lambdaH);
          const nj = inst.n[inst.classIndex];
          expect(Math.abs(T - nj)).toBeLessThanOrEqual(T_RELATIVE_TOL * nj);
          expect(inst.threshold).toBeGreaterThanOrEqual(nj);
          expect(Math.abs(inst.threshold - T)).toBeLessThanOrEqual(T_RELATIVE_TOL * nj);
          expect(inst.n.some((nk) => nk > T)).toBe(true);
        }),
      );
    }
  });

  it("'above': n_j − 0.5 ≤ T < n_j, smaller classes collapsed, classes ≥ n_j alive", () => {
    for (const budget of budgets) {
      fc.assert(
        fc.property(thresholdInstance({ where: 'above', budget }), (inst) => {
          const T = thresholdIndependent(inst.n, inst.lambdaW, inst.lambdaH);
          const nj = inst.n[inst.classIndex];
          expect(nj - T).toBeGreaterThan(1e-6 * (1 - 1e-6));
          expect(nj - T).toBeLessThanOrEqual(0.5 + 1e-9);
          for (const nk of inst.n) expect(nk > T).toBe(nk >= nj);
        }),
      );
    }
  });

  it("'complete-collapse': every n_k ≤ T (up to 1e-14 relative), T ≤ 10 max n_k", () => {
    for (const budget of budgets) {
      fc.assert(
        fc.property(thresholdInstance({ where: 'complete-collapse', budget }), (inst) => {
          const T = thresholdIndependent(inst.n, inst.lambdaW, inst.lambdaH);
          const nMax = Math.max(...inst.n);
          expect(nMax).toBeLessThanOrEqual(T * (1 + T_RELATIVE_TOL));
          expect(inst.threshold).toBeGreaterThanOrEqual(nMax);
          expect(T).toBeLessThanOrEqual(10 * nMax * (1 + T_RELATIVE_TOL));
        }),
      );
    }
  });

  it('λ_W, λ_H stay in [1e-5, 1e-1] whenever sqrt(λ_W λ_H) does', () => {
    fc.assert(
      fc.property(thresholdInstance({ where: 'at', budget: 'large' }), ({ lambdaW, lambdaH }) => {
        const g = Math.sqrt(lambdaW * lambdaH);
        if (g >= 1e-5 && g <= 1e-1) {
          // 1e-12 relative: the split g·10^s is rounded, then λ_H moved by a few ulp.
          expect(lambdaW >= 1e-5 * (1 - 1e-12) && lambdaW <= 1e-1 * (1 + 1e-12)).toBe(true);
          expect(lambdaH >= 1e-5 * (1 - 1e-12) && lambdaH <= 1e-1 * (1 + 1e-12)).toBe(true);
        }
      }),
    );
  });

  it('custom balanced sizes get one larger class for "below"', () => {
    const arb = thresholdInstance({ where: 'below', sizes: balancedSizes({ minK: 3, maxK: 3, minSize: 5, maxSize: 5 }) });
    for (const inst of sampleInstances(arb, 20, 9)) {
      expect(inst.n).toEqual([6, 5, 5]);
      expect(inst.classIndex).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('determinism and input errors', () => {
  it('sampleInstances is deterministic in its seed', () => {
    const a = sampleInstances(ufmInstance({ budget: 'large' }), 50, 42);
    const b = sampleInstances(ufmInstance({ budget: 'large' }), 50, 42);
    const c = sampleInstances(ufmInstance({ budget: 'large' }), 50, 43);
    expect(a).toHaveLength(50);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(sampleInstances(thresholdInstance({ where: 'at' }), 20, 1)).toEqual(sampleInstances(thresholdInstance({ where: 'at' }), 20, 1));
  });

  it('invalid constraints throw an InputError naming the constraint and the fix', () => {
    expectInputError(() => balancedSizes({ minK: 5, maxK: 3 }), ['balancedSizes.minK', 'balancedSizes.maxK', 'lower', 'raise']);
    expectInputError(() => arbitrarySizes({ minK: 1 }), ['arbitrarySizes.minK', 'in [2, 10000]']);
    expectInputError(() => stepImbalanceSizes({ rho: 1 }), ['stepImbalanceSizes.rho', '(0, 1)']);
    expectInputError(() => longTailedSizes({ minRatio: 0.5 }), ['longTailedSizes.minRatio', 'r must be ≥ 1']);
    expectInputError(() => regulariser({ min: 1e-1, max: 1e-3 }), ['regulariser.min', 'regulariser.max']);
    expectInputError(() => regulariser({ min: -1 }), ['regulariser.min', '> 0']);
    expectInputError(() => ufmInstance({ lambdaW: { min: 0 } }), ['ufmInstance.lambdaW.min']);
    expectInputError(() => dimension(1), ['dimension.K']);
    expectInputError(() => dimension(3, { minFactor: 3, maxFactor: 2 }), ['dimension.minFactor', 'dimension.maxFactor']);
    expectInputError(() => budgetSizes('huge' as 'small'), ['budget', "'small', 'large'"]);
    expectInputError(() => thresholdInstance({ where: 'on' as 'at' }), ['thresholdInstance.where', "'complete-collapse'"]);
    expectInputError(() => sampleInstances(solverSeed(), -1, 0), ['sampleInstances.count']);
    expectInputError(() => sampleInstances(solverSeed(), 1, 0.5), ['sampleInstances.seed']);
  });
});
