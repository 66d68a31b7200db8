/**
 * Tests written for the mutants that survived `npm run test:mutation` (docs/mutation.md). Each
 * asserts a property of the closed form (THEORY.md §1) or of the double-double arithmetic it rests
 * on — exactness where the result is representable, accuracy where it is not — checked against
 * exact rational arithmetic (BigInt), never against values copied from the code under test.
 */
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { isInputError } from '../src/errors.ts';
import { type DoubleDouble, ddAdd, ddDiv, ddMul, frexp, ldexp } from '../src/theory/_internals/doubleDouble.ts';
import {
  classConstants, classMargins, isCompleteCollapse, minorityCollapseThreshold, optimalObjective, optimalPair, predictUfmPlus,
} from '../src/theory/ufmPlusCe.ts';
import { logistic, softplus, solveMseScalar, validateLayers } from '../src/theory/_internals/mseScalar.ts';
import { MAX_CLASSES } from '../src/problem/validate.ts';
import { predictMseBias, predictMseBiasDeep } from '../src/theory/mseBias.ts';
import { mseDeepLinearClassObjective, predictMseDeepLinear } from '../src/theory/mseDeepLinear.ts';
import { MAX_MATERIALISED_ENTRIES, predictSeli, seliLogitMatrix, seliStep, simplexEncodedLabels, stepSizes } from '../src/theory/seli.ts';
import { psdSqrt, symmetricEigen, thinSvd } from '../src/theory/_internals/spectral.ts';

// --- exact rationals m·2^e ---------------------------------------------------------------------

interface Exact { m: bigint; e: number }

/** The exact value of a finite double as m·2^e (subnormals included), read from its bits. */
function exact(x: number): Exact {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let frac = bits & ((1n << 52n) - 1n);
  if (biased !== 0) frac |= 1n << 52n;
  const m = bits >> 63n === 1n ? -frac : frac;
  return { m, e: biased === 0 ? -1074 : biased - 1075 };
}

function align(a: Exact, b: Exact): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.m << BigInt(a.e - e), b.m << BigInt(b.e - e), e];
}
const add = (a: Exact, b: Exact): Exact => {
  const [x, y, e] = align(a, b);
  return { m: x + y, e };
};
const sub = (a: Exact, b: Exact): Exact => add(a, { m: -b.m, e: b.e });
const mul = (a: Exact, b: Exact): Exact => ({ m: a.m * b.m, e: a.e + b.e });
const ddExact = (x: DoubleDouble): Exact => add(exact(x.hi), exact(x.lo));
const abs = (v: bigint): bigint => (v < 0n ? -v : v);

/** |a − b| ≤ 2^-bits |b|, exactly. */
function within(a: Exact, b: Exact, bits: number): boolean {
  const [x, y] = align(a, b);
  return abs(x - y) << BigInt(bits) <= abs(y);
}

const equalExact = (a: Exact, b: Exact): boolean => {
  const [x, y] = align(a, b);
  return x === y;
};

// --- double-double -----------------------------------------------------------------------------

describe('double-double arithmetic against exact rationals', () => {
  it('ddAdd is exact when the high parts cancel and the low parts carry the whole sum', () => {
    // x + y = 2^-60 + 3·2^-113 needs 54 bits: one double cannot hold it, a double-double can.
    // The sum of the low parts is then the entire result, so its rounding error must be kept.
    const cases: [DoubleDouble, DoubleDouble][] = [
      [{ hi: 1, lo: 2 ** -60 }, { hi: -1, lo: 3 * 2 ** -113 }],
      [{ hi: 3, lo: -(2 ** -55) }, { hi: -3, lo: -5 * 2 ** -110 }],
      [{ hi: 2 ** 40, lo: 2 ** -20 }, { hi: -(2 ** 40), lo: 2 ** -75 + 2 ** -127 }],
    ];
    for (const [x, y] of cases) {
      expect(equalExact(ddExact(ddAdd(x, y)), add(ddExact(x), ddExact(y)))).toBe(true);
    }
  });

  it('ddAdd of random double-doubles is within 2^-100 of the exact sum', () => {
    // Relative error of the accurate double-double addition ≈ 2^-104 when no cancellation;
    // 2^-100 leaves a factor 16 for the renormalisations.
    const rng = seedrandom('ddAdd');
    for (let t = 0; t < 500; t++) {
      const hi = (rng() + 0.5) * 2 ** Math.floor(rng() * 40 - 20);
      const x = { hi, lo: hi * (rng() - 0.5) * 2 ** -53 };
      const yhi = (rng() + 0.5) * 2 ** Math.floor(rng() * 40 - 20);
      const y = { hi: yhi, lo: yhi * (rng() - 0.5) * 2 ** -53 };
      expect(within(ddExact(ddAdd(x, y)), add(ddExact(x), ddExact(y)), 100)).toBe(true);
    }
  });

  it('ddDiv(x, b) · b = x to 2^-100 relative, for divisors far from 1 in both directions', () => {
    // A quotient estimate that is off (e.g. x·b for x/b) is not repaired by the two correction
    // steps when b is far from 1: the residual of the estimate then dominates.
    const rng = seedrandom('ddDiv');
    const divisors = [3, 7, 1 / 3, 1e10, 1e-10, 12345.678, 2 ** 60 + 1, -9.75];
    for (const b of divisors) {
      for (let t = 0; t < 20; t++) {
        const hi = (rng() + 0.5) * 2 ** Math.floor(rng() * 20 - 10);
        const x = { hi, lo: hi * (rng() - 0.5) * 2 ** -53 };
        const q = ddDiv(x, b);
        expect(within(mul(ddExact(q), exact(b)), ddExact(x), 100)).toBe(true);
      }
    }
  });

  it('ddMul(x, b) is within 2^-100 of the exact product', () => {
    const rng = seedrandom('ddMul');
    for (let t = 0; t < 200; t++) {
      const hi = (rng() + 0.5) * 2 ** Math.floor(rng() * 40 - 20);
      const x = { hi, lo: hi * (rng() - 0.5) * 2 ** -53 };
      const b = (rng() - 0.5) * 2 ** Math.floor(rng() * 40 - 20);
      expect(within(ddExact(ddMul(x, b)), mul(ddExact(x), exact(b)), 100)).toBe(true);
    }
  });

  it('frexp splits every positive double exactly into m ∈ [1, 2) and e, subnormals and huge values included', () => {
    const rng = seedrandom('frexp');
    const xs = [2 ** -1074, 3 * 2 ** -1074, 2 ** -1060 * 1.5, 2 ** -1023, 2 ** -1022, Number.MIN_VALUE * 12345, 1, 12, 2 ** 960, 2 ** 1000, Number.MAX_VALUE];
    for (let t = 0; t < 300; t++) xs.push((rng() + 0.5) * 2 ** Math.floor(rng() * 2098 - 1074));
    for (const x of xs.filter((v) => v > 0 && Number.isFinite(v))) {
      const { m, e } = frexp(x);
      expect(m).toBeGreaterThanOrEqual(1);
      expect(m).toBeLessThan(2);
      expect(Number.isInteger(e)).toBe(true);
      expect(equalExact(mul(exact(m), { m: 1n, e }), exact(x))).toBe(true);
    }
  });

  it('ldexp(x, e) = x · 2^e exactly when the result is representable, also with |e| > 1000', () => {
    const cases: [number, number, number][] = [
      [2 ** -1000, 1500, 2 ** 500],
      [1.5 * 2 ** -1070, 2000, 1.5 * 2 ** 930],
      [2 ** 1000, -1500, 2 ** -500],
      [1.25 * 2 ** 1020, -2040, 1.25 * 2 ** -1020],
      [3, 1000, 3 * 2 ** 1000],
      [3, -1000, 3 * 2 ** -1000],
      [1.5, 3, 12],
    ];
    for (const [x, e, want] of cases) expect(ldexp(x, e)).toBe(want);
    expect(ldexp(1, 1024)).toBe(Infinity);
    expect(ldexp(1, -1075)).toBe(0);
  });
});

// --- the closed form ---------------------------------------------------------------------------

describe('closed form: properties the mutants broke', () => {
  it('complete collapse: f* is exactly log K, the value at (W, H) = (0, 0) where every logit is 0', () => {
    // (2, 3) with λ = 1: T = 25 · 2 ≫ n_k. Summing n_k log K and dividing by N rounds to 1 ulp
    // below log 2 here, so only the exact rule f* = log K gives the exact value.
    for (const n of [[2, 3], [1, 24], [5, 5, 5], [1, 2, 3, 4]]) {
      expect(isCompleteCollapse(n, 1, 1)).toBe(true);
      expect(optimalObjective(n, 1, 1)).toBe(Math.log(n.length));
    }
  });

  it('isCompleteCollapse and completeCollapse are false when every class is alive, and false when only some are', () => {
    const allAlive = { n: [50, 50, 60], lambdaW: 1e-3, lambdaH: 1e-3 };
    expect(predictUfmPlus(allAlive).classes.every((c) => c.alive)).toBe(true);
    expect(isCompleteCollapse(allAlive.n, allAlive.lambdaW, allAlive.lambdaH)).toBe(false);
    expect(predictUfmPlus(allAlive).completeCollapse).toBe(false);
    const some = { n: [10, 10, 40, 40], lambdaW: 5e-2, lambdaH: 5e-2 }; // T = 33.3: two alive
    expect(isCompleteCollapse(some.n, some.lambdaW, some.lambdaH)).toBe(false);
    expect(predictUfmPlus(some).completeCollapse).toBe(false);
    const none = { n: [10, 10], lambdaW: 1, lambdaH: 1 };
    expect(predictUfmPlus(none).completeCollapse).toBe(true);
  });

  it('margins for λ_W λ_H ≈ 1e-320 (T/n_k below 2^-1000) equal log((K−1)(1−c_k)/c_k) computed in logs', () => {
    // Here c_k ≈ 1e-157, so 1 − c_k = 1 in double and s_k = log(K−1) − log c_k, with
    // log c_k = log N + log λ + ½ log((K−1)/(K n_k)) formed without underflow (λ_W = λ_H = λ).
    // Each log is correctly rounded to ~1 ulp of its value (≤ 370), so 1e-13 relative is ample.
    for (const n of [[3, 5, 7], [1, 1], [2, 100, 1000, 7]]) {
      const lambda = 1e-160;
      const K = n.length;
      const N = n.reduce((a, b) => a + b, 0);
      const s = classMargins(n, lambda, lambda);
      n.forEach((nk, k) => {
        const logC = Math.log(N) + Math.log(lambda) + 0.5 * Math.log((K - 1) / (K * nk));
        const want = Math.log(K - 1) - logC;
        expect(Math.abs(s[k] - want) / want).toBeLessThan(1e-13);
      });
    }
  });

  it('λ_W λ_H far below the double range (exponents kept apart) gives the threshold N² λ_W λ_H K/(K−1) exactly', () => {
    // λ_W = 3·2^-800, λ_H = 2^300: the product 3·2^-500 is formed from mantissas and exponents,
    // T = 100 · 3 · 2^-500 · 2, every factor exact in binary, so the single rounding is exact.
    const n = [4, 6];
    expect(minorityCollapseThreshold(n, 3 * 2 ** -800, 2 ** 300)).toBe(600 * 2 ** -500);
    expect(minorityCollapseThreshold(n, 2 ** 300, 3 * 2 ** -800)).toBe(600 * 2 ** -500);
    expect(classConstants(n, 3 * 2 ** -800, 2 ** 300).every((c) => c > 0 && Number.isFinite(c))).toBe(true);
  });

  it('λ outside [1e-250, 1e125] is refused (the closed forms would overflow), its bounds accepted', () => {
    for (const [w, h] of [[1e-251, 1], [1, 2e125], [5e-324, 1]]) {
      let err: unknown;
      try {
        predictUfmPlus({ n: [3, 4], lambdaW: w, lambdaH: h });
      } catch (e) {
        err = e;
      }
      expect(isInputError(err)).toBe(true);
    }
    // at the corners every prediction is finite: T = 49 · 1e-125 · 2, s_k, norms, Gram, f*
    for (const [w, h] of [[1e-250, 1e125], [1e125, 1e-250], [1e125, 1e125], [1e-250, 1e-250]]) {
      const p = predictUfmPlus({ n: [3, 4], lambdaW: w, lambdaH: h });
      const numbers = [p.threshold, p.objective, ...p.classes.flatMap((c) => [c.margin, c.featureNorm, c.classifierNorm, c.b, c.c]), ...p.classifierGram.flat()];
      expect(numbers.every(Number.isFinite)).toBe(true);
    }
  });

  it('a non-object instance is refused naming `instance`', () => {
    for (const bad of [null, undefined, 'n=1,2', 42, true]) {
      let err: unknown;
      try {
        predictUfmPlus(bad as never);
      } catch (e) {
        err = e;
      }
      expect(isInputError(err)).toBe(true);
      expect((err as { parameter: string }).parameter).toBe('instance');
      expect((err as { rule: string }).rule).toMatch(/must be an object/);
    }
  });

  it('optimalPair without d names d and says it is required', () => {
    let err: unknown;
    try {
      optimalPair({ n: [1, 2], lambdaW: 1e-2, lambdaH: 1e-2 });
    } catch (e) {
      err = e;
    }
    expect(isInputError(err)).toBe(true);
    expect((err as { parameter: string; rule: string }).parameter).toBe('d');
    expect((err as { rule: string }).rule).toMatch(/required/);
  });
});

describe('closed form: survivors of the 2026-11-23 mutation run', () => {
  it('margins when T/n_k < 2^-1000 (the far-from-threshold branch) equal log(K−1) − log c_k + log1p(−c_k)', () => {
    // Independent route: c_k through logarithms (no underflow), s = log((K−1)(1−c)/c).
    const n = [3, 50, 700];
    const lambda = 1e-200;
    const K = n.length;
    const N = n.reduce((a, b) => a + b, 0);
    const s = classMargins(n, lambda, lambda);
    n.forEach((nk, k) => {
      const logC = Math.log(N) + 0.5 * (2 * Math.log(lambda) + Math.log(K - 1) - Math.log(K) - Math.log(nk));
      const expected = Math.log(K - 1) - logC + Math.log1p(-Math.exp(logC));
      expect(Math.abs(s[k] - expected) / expected).toBeLessThan(1e-13);
    });
  });

  it('an instance that is not an object is refused with what was given', () => {
    expect(() => predictUfmPlus(null as never)).toThrow(/instance: .*\(got null\)/);
  });
});

/** The InputError a call throws (parameter and rule), or null when it returns. */
function refusal(f: () => unknown): { parameter: string; rule: string } | null {
  try {
    f();
  } catch (e) {
    expect(isInputError(e), String(e)).toBe(true);
    return e as { parameter: string; rule: string };
  }
  return null;
}

describe('SELI STEP inputs: the documented domain, boundaries included', () => {
  it('K ∈ [2, MAX_CLASSES], ρ ∈ (0, 1) with ρK an integer in [1, K − 1], R ≥ 1, m a positive integer', () => {
    const cases: [() => unknown, string | null, RegExp?][] = [
      [() => seliStep(2, 0.5, 1), null], // smallest K, R = 1 (balanced) accepted
      [() => stepSizes(MAX_CLASSES, 0.5, 1), null],
      [() => stepSizes(MAX_CLASSES + 1, 0.5, 1), 'K', /\[2, /],
      [() => seliStep(1, 0.5, 2), 'K', /integer in \[2/],
      [() => seliStep(2.5, 0.5, 2), 'K'],
      [() => seliStep('4' as never, 0.5, 2), 'K'],
      [() => seliStep(4, 0, 2), 'rho', /\(0, 1\)/],
      [() => seliStep(4, 1, 2), 'rho', /\(0, 1\)/],
      [() => seliStep(4, -0.25, 2), 'rho'],
      [() => seliStep(4, NaN, 2), 'rho'],
      [() => seliStep(4, '0.5' as never, 2), 'rho'],
      [() => seliStep(10, 0.3, 2), null], // ρK = 3.0000000000000004 in floating point: accepted
      [() => seliStep(10, 0.35, 2), 'rho', /integer in \[1, K − 1\]/],
      [() => seliStep(10, 0.3 + 2e-9, 2), 'rho'], // off by 2e-8 classes: beyond the 1e-9·K slack
      [() => seliStep(4, 0.25, 0.999), 'R', /≥ 1/],
      [() => seliStep(4, 0.25, Infinity), 'R'],
      [() => seliStep(4, 0.25, '2' as never), 'R'],
      [() => stepSizes(4, 0.25, 2.5, 2), null], // R·m = 5
      [() => stepSizes(4, 0.25, 2.5, 1), 'R', /R·m/],
      [() => stepSizes(4, 0.25, 2, 0), 'm', /positive integer/],
      [() => stepSizes(4, 0.25, 2, 1.5), 'm'],
    ];
    for (const [f, parameter, rule] of cases) {
      const r = refusal(f);
      expect(r?.parameter ?? null).toBe(parameter);
      if (rule !== undefined) expect(r!.rule).toMatch(rule);
    }
    expect(stepSizes(5, 0.4, 10, 2)).toEqual([20, 20, 20, 2, 2]);
    expect(stepSizes(10, 0.3, 3)).toEqual([3, 3, 3, 3, 3, 3, 3, 1, 1, 1]);
  });

  it('Ẑ is materialised up to K·N = MAX_MATERIALISED_ENTRIES, refused beyond, naming n', () => {
    const K = 2;
    const atLimit = [MAX_MATERIALISED_ENTRIES / 2 - 1, 1];
    const Z = simplexEncodedLabels(atLimit);
    expect(Z.rows * Z.cols).toBe(MAX_MATERIALISED_ENTRIES);
    // last column (class 2): (−1/2, 1/2); first (class 1): (1/2, −1/2)
    expect([Z.data[0], Z.data[Z.cols]]).toEqual([0.5, -0.5]);
    expect([Z.data[Z.cols - 1], Z.data[2 * Z.cols - 1]]).toEqual([-0.5, 0.5]);
    const over = refusal(() => simplexEncodedLabels([MAX_MATERIALISED_ENTRIES / K, 1]));
    expect(over?.parameter).toBe('n');
    expect(over?.rule).toMatch(String(MAX_MATERIALISED_ENTRIES));
  });

  it('predictSeli reports its theory name and N = Σ n_k', () => {
    const p = predictSeli({ n: [7, 2, 5] });
    expect(p.theory).toBe('seli');
    expect(p.N).toBe(14);
    expect(p.K).toBe(3);
  });
});

describe('MSE predictions: names, thresholds, collapse flags, the scalar helpers', () => {
  it('mse-bias: theory name, collapse threshold (N sqrt(λ_W λ_H))², collapsed flags both ways', () => {
    const n = [10, 20, 40, 80];
    const p = predictMseBias({ n, lambdaW: 1e-3, lambdaH: 1e-3 });
    expect(p.theory).toBe('mse-bias');
    const c = 150 * 1e-3;
    expect(Math.abs(p.collapseThreshold - c * c)).toBeLessThan(1e-15);
    // σ(Ŷ) ≈ (7.47, 5.06, 3.46, 0): the first three exceed c = 0.15, the structural zero collapses
    expect(p.collapsed).toEqual([false, false, false, true]);
    expect(predictMseBiasDeep({ n, lambdaW: 1e-3, lambdaH: 1e-3, layers: 2 }).theory).toBe('mse-bias-deep');
    for (const [input, parameter] of [[{ n, lambdaW: 0, lambdaH: 1 }, 'lambdaW'], [{ n, lambdaW: 1, lambdaH: -1 }, 'lambdaH']] as const) {
      expect(refusal(() => predictMseBias(input))?.parameter).toBe(parameter);
      expect(refusal(() => predictMseBiasDeep({ ...input, layers: 2 }))?.parameter).toBe(parameter);
    }
  });

  it('mse-deep-linear: theory name; the class objective at x = 0 is n_k/(2N); x < 0 or NaN refused naming x', () => {
    expect(predictMseDeepLinear({ n: [5, 20], lambdaW: 1e-2, lambdaH: 1e-2, layers: 2 }).theory).toBe('mse-deep-linear');
    expect(mseDeepLinearClassObjective(0, { nk: 10, N: 20, beta: 2, layers: 2 })).toBe(0.25);
    for (const x of [-1e-300, NaN]) {
      const r = refusal(() => mseDeepLinearClassObjective(x, { nk: 10, N: 20, beta: 2, layers: 2 }));
      expect(r?.parameter).toBe('x');
      expect(r?.rule).toMatch(/≥ 0/);
    }
  });

  it('layers M: integers 1 … 100 accepted, 0, 101, 1.5 refused with the rule', () => {
    expect(validateLayers(1)).toBe(1);
    expect(validateLayers(100)).toBe(100);
    for (const M of [0, 101, 1.5, '2']) {
      const r = refusal(() => validateLayers(M));
      expect(r?.parameter).toBe('layers');
      expect(r?.rule).toMatch(/\[1, 100\]/);
    }
  });

  it('softplus and logistic are accurate for |y| up to 800, where the naive forms overflow', () => {
    // softplus(y) = log(1 + e^y): y for y ≫ 1, e^y for y ≪ −1; logistic(y) = 1/(1 + e^{−y})
    for (const y of [800, 40, 1, 0, -1, -40, -700]) {
      const want = y > 30 ? y + Math.exp(-y) : y < -30 ? Math.exp(y) : Math.log(1 + Math.exp(y));
      expect(Math.abs(softplus(y) - want)).toBeLessThanOrEqual(4e-16 * Math.max(Math.abs(want), Number.MIN_VALUE));
    }
    expect(softplus(-800)).toBe(0); // e^{-800} underflows: 0 is the correctly rounded value
    for (const y of [800, 700, 40, 0.5, 0, -0.5, -40, -700, -720, -800]) {
      const want = y >= 0 ? 1 / (1 + Math.exp(-y)) : Math.exp(y) / (1 + Math.exp(y));
      expect(Number.isNaN(logistic(y))).toBe(false);
      expect(Math.abs(logistic(y) - want)).toBeLessThanOrEqual(4e-16 * want + Number.MIN_VALUE);
    }
    expect(logistic(-800)).toBe(0);
    expect(logistic(800)).toBe(1);
  });
});

describe('SELI STEP domain: slacks, near-0 and near-1 fractions, what a refusal reports', () => {
  it('the ρK and R·m integrality slacks are relative (1e-9 · K, 1e-9 · R·m), not tighter', () => {
    expect(refusal(() => seliStep(10, 0.3 + 5e-10, 2))).toBeNull(); // ρK off by 5e-9 < 1e-8
    expect(stepSizes(4, 0.25, 2.5 + 1.5e-9, 2)).toEqual([5, 5, 5, 2]); // R·m off by 3e-9 < 5e-9
  });

  it('ρ within 1e-12 of 0 or 1 rounds ρK to 0 or K, outside [1, K − 1]: refused naming rho', () => {
    for (const rho of [1e-12, 1 - 1e-12]) expect(refusal(() => seliStep(10, rho, 2))?.parameter).toBe('rho');
  });

  it('refusals report what was given', () => {
    const got = (f: () => unknown): string => String((refusal(f) as { got?: string } | null)?.got);
    expect(got(() => seliStep(1, 0.5, 2))).toMatch(/1/);
    expect(got(() => seliStep(4, 1.5, 2))).toMatch(/1\.5/);
    expect(got(() => seliStep(10, 0.35, 2))).toMatch(/ρK = 3\.5/);
    expect(got(() => seliStep(4, 0.25, 0.5))).toMatch(/0\.5/);
    expect(got(() => stepSizes(4, 0.25, 2, 0))).toMatch(/0/);
    expect(got(() => stepSizes(4, 0.25, 2.5, 1))).toMatch(/R·m = 2\.5/);
    expect(got(() => stepSizes(4, 0.25, 1.25, 2))).toMatch(/R·m = 2\.5/); // m = 2: R·m, not R/m
    expect(got(() => simplexEncodedLabels([MAX_MATERIALISED_ENTRIES / 2, 1]))).toMatch(/K·N = 10000002/);
    expect(got(() => mseDeepLinearClassObjective(-2, { nk: 1, N: 2, beta: 1, layers: 1 }))).toMatch(/-2/);
  });

  it('STEP sizes whose total exceeds N ≤ 1e9 are refused naming n', () => {
    expect(refusal(() => stepSizes(4, 0.25, 1e9, 2))?.parameter).toBe('n');
  });

  it('seliLogitMatrix is K×K: e_k − (1/K) 1 in column k', () => {
    const Z = seliLogitMatrix([3, 7, 2]);
    const want = [[2 / 3, -1 / 3, -1 / 3], [-1 / 3, 2 / 3, -1 / 3], [-1 / 3, -1 / 3, 2 / 3]];
    expect(Z.length).toBe(3);
    Z.forEach((row, c) => {
      expect(row.length).toBe(3);
      row.forEach((x, k) => expect(Math.abs(x - want[c][k])).toBeLessThan(1e-15)); // 1 − 1/3 vs 2/3: one ulp
    });
  });
});

describe('spectral helpers: the documented contracts', () => {
  it('symmetricEigen returns eigenvalues in descending order with their eigenvectors', () => {
    const e = symmetricEigen([[1, 0, 0], [0, 3, 0], [0, 0, 2]]);
    expect(e.values).toEqual([3, 2, 1]);
    expect(e.vectors.map((v) => v.map(Math.abs))).toEqual([[0, 1, 0], [0, 0, 1], [1, 0, 0]]);
  });

  it('psdSqrt without a null vector: the root of diag and of a rank-one matrix (negative round-off clamped)', () => {
    expect(psdSqrt([[4, 0], [0, 9]])).toEqual([[2, 0], [0, 3]]);
    const r = psdSqrt([[1, 1], [1, 1]]); // (1/√2)·[[1, 1], [1, 1]]: eigenvalues 2 and 0 (computed ±1e-16)
    for (const x of r.flat()) expect(Math.abs(x - Math.SQRT1_2)).toBeLessThan(1e-7); // √ε error on the zero eigenvalue
    expect(r.flat().every(Number.isFinite)).toBe(true);
  });

  it('psdSqrt with the null vector: ε-accurate root of the centring projection c·P (P = I − 11ᵀ/K), K = 20, 50', () => {
    // √(cP) = √c P. The shift α = tr(A)/K keeps the shifted spectrum in [α, ‖A‖] = [c(K−1)/K, c], so
    // the symmetric eigensolver's backward error (a small multiple of ε‖A‖ per entry, growing
    // about linearly in K) passes to the root as ~ K ε √c. Allowed: 2 K ε √c (measured ≤ 10 ε √c).
    // A shift that is too large (α ≫ ‖A‖) inflates the error by √(α/‖A‖): caught here.
    for (const K of [20, 50]) {
      for (const c of [1, 1e6]) {
        const P = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => c * ((i === j ? 1 : 0) - 1 / K)));
        const R = psdSqrt(P, new Array<number>(K).fill(2));
        let err = 0;
        for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) err = Math.max(err, Math.abs(R[i][j] - Math.sqrt(c) * ((i === j ? 1 : 0) - 1 / K)));
        expect(err).toBeLessThanOrEqual(2 * K * Number.EPSILON * Math.sqrt(c));
      }
    }
  });

  it('thinSvd of a wide matrix (2×3): two singular values, U Σ Vᵀ reproduces it', () => {
    const A = [[3, 0, 4], [0, 2, 0]];
    const s = thinSvd(A);
    expect(s.values.length).toBe(2);
    expect(s.values[0]).toBeCloseTo(5, 13);
    expect(s.values[1]).toBeCloseTo(2, 13);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) {
        const x = s.values.reduce((acc, sigma, r) => acc + sigma * s.left[r][i] * s.right[r][j], 0);
        expect(x).toBeCloseTo(A[i][j], 13);
      }
    }
  });
});

describe('the MSE scalar problem at its boundary', () => {
  it('M = 1, τ = β exactly: no root (1/(1+x)² < 1 = β/τ for every x > 0), x = 0', () => {
    const tau = 3;
    const s = solveMseScalar(tau, Math.log(tau), 10, 1);
    expect(s.root).toBeNull();
    expect(s.alive).toBe(false);
    expect(s.x).toBe(0);
    expect(s.objective).toBe(tau / 20);
    // just above: a root √(τ/β) − 1 > 0 exists and wins (M = 1 is convex)
    const above = solveMseScalar(tau * (1 + 1e-6), Math.log(tau), 10, 1);
    expect(above.alive).toBe(true);
    expect(Math.abs(above.x - (Math.sqrt(1 + 1e-6) - 1))).toBeLessThan(1e-15);
  });

  it('the largest root is found to rounding: |G(log x)| within the evaluation error of G, M = 1 … 6', () => {
    // G(t) = log M + (M−1)t − 2 softplus(Mt) + log(τ/β) (docs/theory-mse-L.md §1.5) vanishes at the
    // root; evaluated in double its rounding error is ≤ a few ε times the sum of its terms' sizes.
    // The root is on the decreasing branch (x^M ≥ (M−1)/(M+1)) and beats nothing by construction.
    const rng = seedrandom('mse-scalar-root-ulp');
    let checked = 0;
    for (let trial = 0; trial < 200; trial++) {
      const M = 1 + Math.floor(rng() * 6);
      const logBeta = -5 + 10 * rng();
      const tau = Math.exp(logBeta + 8 * rng() - 1);
      const s = solveMseScalar(tau, logBeta, 50, M);
      if (s.root === null) continue;
      checked++;
      const t = Math.log(s.root);
      const sp = softplus(M * t);
      const terms = [Math.log(M), (M - 1) * t, -2 * sp, Math.log(tau) - logBeta];
      const G = terms.reduce((a, b) => a + b, 0);
      const scale = terms.reduce((a, b) => a + Math.abs(b), 0) + Math.abs(t);
      expect(Math.abs(G)).toBeLessThanOrEqual(8 * Number.EPSILON * scale);
      expect(s.root ** M).toBeGreaterThanOrEqual(((M - 1) / (M + 1)) * (1 - 1e-12));
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('a refused layer count reports what was given', () => {
    expect(String((refusal(() => validateLayers(101)) as { got?: string }).got)).toMatch(/101/);
  });
});
