import fc from 'fast-check';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { isInputError } from '../src/errors.ts';
import { type Dense, fromRows, zeros } from '../src/linalg/dense.ts';
import { classMeans } from '../src/metrics/classMeans.ts';
import {
  nc1,
  nc2Distance,
  nc3Distance,
  ncMetrics,
  normalisedFrobeniusDistance,
  scaledCentredMeans,
} from '../src/metrics/nc.ts';
import { type ClassLayout, classLayout } from '../src/problem/layout.ts';

/** Random d×N features, entries uniform in [−1, 1) plus a per-class offset of size `spread`. */
function randomFeatures(rng: () => number, d: number, layout: ClassLayout, spread = 2): Dense {
  const offsets = Array.from({ length: layout.K }, () => Array.from({ length: d }, () => spread * (2 * rng() - 1)));
  const H = zeros(d, layout.N);
  for (let r = 0; r < d; r++) for (let i = 0; i < layout.N; i++) H.data[r * layout.N + i] = offsets[layout.labels[i]][r] + (2 * rng() - 1);
  return H;
}

/** Column i of H as an ml-matrix column vector. */
const column = (H: Dense, i: number) => Matrix.columnVector(Array.from({ length: H.rows }, (_, r) => H.data[r * H.cols + i]));

/**
 * The textbook NC1, independently of src/metrics: explicit d×d Σ_W and Σ_B (ml-matrix), the symmetric
 * eigen-decomposition of Σ_B, the pseudo-inverse from the largest ≤ K−1 eigenpairs with λ ≥ 1e-10 λ_max,
 * and (1/K) tr(Σ_W Σ_B†).
 */
function nc1Explicit(H: Dense, layout: ClassLayout): number {
  const { K, N, sizes, offsets } = layout;
  const d = H.rows;
  const means = sizes.map((nk, k) => {
    let m = Matrix.zeros(d, 1);
    for (let i = offsets[k]; i < offsets[k + 1]; i++) m = m.add(column(H, i));
    return m.div(nk);
  });
  let global = Matrix.zeros(d, 1);
  for (let i = 0; i < N; i++) global = global.add(column(H, i));
  global = global.div(N);
  let SW = Matrix.zeros(d, d);
  for (let i = 0; i < N; i++) {
    const c = column(H, i).sub(means[layout.labels[i]]);
    SW = SW.add(c.mmul(c.transpose()));
  }
  SW = SW.div(N);
  let SB = Matrix.zeros(d, d);
  for (const m of means) {
    const c = m.clone().sub(global);
    SB = SB.add(c.mmul(c.transpose()));
  }
  SB = SB.div(K);
  const evd = new EigenvalueDecomposition(SB, { assumeSymmetric: true });
  const pairs = evd.realEigenvalues.map((l, j) => ({ l, v: evd.eigenvectorMatrix.getColumnVector(j) })).sort((a, b) => b.l - a.l);
  const lmax = pairs[0].l;
  let pinv = Matrix.zeros(d, d);
  pairs.slice(0, K - 1).forEach(({ l, v }) => {
    if (l > 0 && l >= 1e-10 * lmax) pinv = pinv.add(v.mmul(v.transpose()).div(l));
  });
  return SW.mmul(pinv).trace() / K;
}

function expectInputError(f: () => unknown, mention: string): void {
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  expect(isInputError(thrown)).toBe(true);
  expect((thrown as Error).message).toContain(mention);
}

const sizesArb = fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 2, maxLength: 6 });

describe('NC1', () => {
  it('agrees with an explicit d×d computation (Σ_W, Σ_B, truncated eigen-pseudo-inverse)', () => {
    fc.assert(
      fc.property(sizesArb, fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (n, d, seed) => {
        const layout = classLayout(n);
        const H = randomFeatures(seedrandom(String(seed)), d, layout);
        const expected = nc1Explicit(H, layout);
        const got = ncMetrics(H, layout).nc1;
        // Both routes are backward stable in the kept spectrum (eigenvalues ≥ 1e-10 λ_max, here ≫ that for
        // random offsets); a relative 1e-8 covers the conditioning of the smallest kept eigenvalue.
        expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-8 * Math.max(1, expected));
      }),
      { numRuns: 60, seed: 20240211 },
    );
  });

  it('drops the direction of a rank-deficient Σ_B (two classes with the same mean) like the explicit route', () => {
    const layout = classLayout([4, 4, 5]);
    const rng = seedrandom('rank');
    const H = randomFeatures(rng, 5, layout);
    // Make class 1's mean equal to class 0's: shift its columns by the difference of means.
    const M = classMeans(H, layout);
    for (let r = 0; r < 5; r++) for (let i = 4; i < 8; i++) H.data[r * 13 + i] += M.data[r * 3] - M.data[r * 3 + 1];
    const m = ncMetrics(H, layout);
    expect(m.betweenClassRank).toBe(1);
    expect(Math.abs(m.nc1 - nc1Explicit(H, layout))).toBeLessThanOrEqual(1e-8 * nc1Explicit(H, layout));
  });

  it('is 0 at a collapsed H (every column equal to its class mean)', () => {
    const layout = classLayout([3, 7, 2, 5]);
    const rng = seedrandom('collapsed');
    const means = Array.from({ length: 4 }, () => Array.from({ length: 6 }, () => 10 * rng()));
    const H = zeros(6, layout.N);
    for (let r = 0; r < 6; r++) for (let i = 0; i < layout.N; i++) H.data[r * layout.N + i] = means[layout.labels[i]][r];
    const m = ncMetrics(H, layout);
    // The mean of n copies of x is x to within n ε |x|, so centred columns are ~1e-15·10 and Σ_W ~ 1e-28;
    // divided by eigenvalues of Σ_B of order 1–100, NC1 ≲ 1e-26.
    expect(m.nc1).toBeLessThan(1e-24);
    expect(m.nc1).toBeGreaterThanOrEqual(0);
    expect(m.withinClassVariation.every((v) => v < 1e-13)).toBe(true);
    expect(m.betweenClassRank).toBe(3);
  });

  it('is 0 at H = 0 and +∞ when the class means coincide but the classes spread', () => {
    const layout = classLayout([2, 2]);
    expect(ncMetrics(zeros(3, 4), layout).nc1).toBe(0);
    // Both classes have mean (1, 1): Σ_B = 0, Σ_W ≠ 0.
    const H = fromRows([
      [0, 2, 0, 2],
      [1, 1, 1, 1],
    ]);
    const m = ncMetrics(H, layout);
    expect(m.betweenClassRank).toBe(0);
    expect(m.nc1).toBe(Number.POSITIVE_INFINITY);
  });

  it('is invariant under a permutation of the feature coordinates', () => {
    fc.assert(
      fc.property(sizesArb, fc.integer({ min: 2, max: 8 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (n, d, seed) => {
        const layout = classLayout(n);
        const rng = seedrandom(String(seed));
        const H = randomFeatures(rng, d, layout);
        const perm = Array.from({ length: d }, (_, r) => r).sort(() => rng() - 0.5);
        const P = zeros(d, layout.N);
        perm.forEach((src, r) => P.data.set(H.data.subarray(src * layout.N, (src + 1) * layout.N), r * layout.N));
        const a = nc1(H, layout).nc1;
        const b = nc1(P, layout).nc1;
        // Same numbers in a different summation order: agreement to ~1e-12 relative (SVD rounding ~1e-15·cond).
        expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-10 * Math.max(1, a));
      }),
      { numRuns: 50, seed: 7 },
    );
  });

  it('reads the ratio of within to between spread in a 1-d two-class example', () => {
    // Class means ±1 (global mean 0, balanced), each class spread ±s around its mean:
    // Σ_W = s², Σ_B = 1, NC1 = (1/2) s² / 1.
    const s = 0.3;
    const H = fromRows([[1 - s, 1 + s, -1 - s, -1 + s]]);
    expect(ncMetrics(H, classLayout([2, 2])).nc1).toBeCloseTo((s * s) / 2, 14);
  });
});

describe('class-mean geometry', () => {
  it('maxClassMeanCosine is 0 for non-negative features with disjoint class supports; Gram is diagonal', () => {
    const layout = classLayout([3, 2, 4]);
    const rng = seedrandom('disjoint');
    const H = zeros(7, layout.N);
    const support = [[0, 1], [2, 3], [4, 5, 6]];
    for (let i = 0; i < layout.N; i++) for (const r of support[layout.labels[i]]) H.data[r * layout.N + i] = rng();
    const m = ncMetrics(H, layout);
    expect(m.maxClassMeanCosine).toBe(0);
    const diag = m.classMeanNorms.map((a, j) => m.classMeanNorms.map((_, k) => (j === k ? a * a : 0)));
    expect(nc2Distance(m.classMeanGram, diag)).toBeLessThan(1e-15);
  });

  it('maxClassMeanCosine reads a known angle (means (1,0), (1,1), (0,−3): largest |cos| = 1/√2)', () => {
    const H = fromRows([
      [1, 1, 0],
      [0, 1, -3],
    ]);
    const m = ncMetrics(H, classLayout([1, 1, 1]));
    expect(m.maxClassMeanCosine).toBeCloseTo(Math.SQRT1_2, 15);
    expect(m.classMeanNorms).toEqual([1, Math.SQRT2, 3]);
  });

  it('flags zero class means, counts them as cosine 0, and uses a relative cut-off', () => {
    const layout = classLayout([2, 2, 2, 2]);
    const H = fromRows([
      // class 0: mean (1, 0); class 1: mean (1e-9, 1e-9) (≤ 1e-6 relative); class 2: mean 0 from ±(1,1);
      // class 3: mean (1e-3, 0) (not zero)
      [1, 1, 1e-9, 1e-9, 1, -1, 1e-3, 1e-3],
      [0, 0, 1e-9, 1e-9, 1, -1, 0, 0],
    ]);
    const m = ncMetrics(H, layout);
    expect(m.zeroClassMeans).toEqual([1, 2]);
    expect(m.classMeanNorms[2]).toBe(0);
    expect(m.withinClassVariation[2]).toBeCloseTo(Math.SQRT2, 15);
    // Class 1's mean is parallel to (1,1) (cos 1/√2 with class 0) but flagged, so only classes 0 and 3
    // (parallel: cos 1) count.
    expect(m.maxClassMeanCosine).toBe(1);
    expect(m.convention).toContain('1e-6');
    expect(Number.isNaN(m.maxClassMeanCosine)).toBe(false);
  });
});

describe('classifier metrics (NC3)', () => {
  const layout = classLayout([9, 4, 1, 6]);
  const rng = seedrandom('nc3');
  const H = randomFeatures(rng, 7, layout);
  const M = classMeans(H, layout);
  /** W = C (sqrt(n_k) h̄_k − (1/K) Σ_m sqrt(n_m) h̄_m), THEORY.md §1, built here entry by entry. */
  const optimalW = (C: number): Dense => {
    const { K, sizes } = layout;
    const W = zeros(K, 7);
    for (let r = 0; r < 7; r++) {
      let avg = 0;
      for (let m = 0; m < K; m++) avg += (Math.sqrt(sizes[m]) * M.data[r * K + m]) / K;
      for (let k = 0; k < K; k++) W.data[k * 7 + r] = C * (Math.sqrt(sizes[k]) * M.data[r * K + k] - avg);
    }
    return W;
  };

  it('classifierAlignment = 1 and row sum 0 when W is the scaled-and-centred means times C', () => {
    const W = optimalW(2.7);
    const m = ncMetrics(H, layout, W);
    // w_k and a_k are equal up to the factor C/K and a few roundings per entry: cosine 1 to ~1e-15.
    for (const a of m.classifierAlignment!) expect(Math.abs(a - 1)).toBeLessThan(1e-13);
    expect(m.classifierRowSum!).toBeLessThan(1e-13 * Math.max(...m.classifierNorms!));
    expect(nc3Distance(W, scaledCentredMeans(M, layout.sizes))).toBeLessThan(1e-13);
    for (let k = 0; k < 4; k++) {
      let s = 0;
      for (let r = 0; r < 7; r++) s += W.data[k * 7 + r] ** 2;
      expect(m.classifierNorms![k]).toBeCloseTo(Math.sqrt(s), 13);
    }
  });

  it('alignment drops below 1 and NC3 distance grows when W is perturbed', () => {
    const W = optimalW(1);
    W.data[0] += 0.5 * Math.max(...ncMetrics(H, layout, W).classifierNorms!);
    const m = ncMetrics(H, layout, W);
    expect(m.classifierAlignment![0]).toBeLessThan(0.99);
    expect(nc3Distance(W, scaledCentredMeans(M, layout.sizes))).toBeGreaterThan(0.01);
  });

  it('classifierGram and classMeanLogits are W Wᵀ and W H̄', () => {
    const W = optimalW(1);
    const m = ncMetrics(H, layout, W);
    const Wm = new Matrix(Array.from({ length: 4 }, (_, k) => Array.from(W.data.subarray(k * 7, k * 7 + 7))));
    const Hm = new Matrix(Array.from({ length: 7 }, (_, r) => Array.from(M.data.subarray(r * 4, r * 4 + 4))));
    expect(normalisedFrobeniusDistance(m.classifierGram!, Wm.mmul(Wm.transpose()).to2DArray())).toBeLessThan(1e-14);
    expect(normalisedFrobeniusDistance(m.classMeanLogits!, Wm.mmul(Hm).to2DArray())).toBeLessThan(1e-14);
  });

  it('alignment is zero-safe: 1 when w_k and a_k both vanish, 0 when only one does', () => {
    const two = classLayout([1, 1]);
    const zeroBoth = ncMetrics(zeros(2, 2), two, zeros(2, 2));
    expect(zeroBoth.classifierAlignment).toEqual([1, 1]);
    expect(zeroBoth.classifierRowSum).toBe(0);
    const onlyH = ncMetrics(fromRows([[1, 0], [0, 1]]), two, zeros(2, 2));
    expect(onlyH.classifierAlignment).toEqual([0, 0]);
  });

  it('metrics without W leave the classifier fields out', () => {
    const m = ncMetrics(H, layout);
    expect(m.classifierNorms).toBeUndefined();
    expect(m.classifierAlignment).toBeUndefined();
    expect(m.classifierRowSum).toBeUndefined();
  });
});

describe('normalised distances', () => {
  it('are scale-free, 0-safe, and √2 for orthogonal matrices', () => {
    expect(normalisedFrobeniusDistance([[2, 0], [0, 2]], [[1e-7, 0], [0, 1e-7]])).toBeLessThan(1e-15);
    expect(normalisedFrobeniusDistance([[0, 0]], [[0, 0]])).toBe(0);
    expect(normalisedFrobeniusDistance([[0, 0]], [[3, 4]])).toBe(1);
    expect(normalisedFrobeniusDistance([[1, 0]], [[0, 1]])).toBeCloseTo(Math.SQRT2, 15);
    expect(normalisedFrobeniusDistance([[1, 0]], [[-1, 0]])).toBe(2);
    expect(normalisedFrobeniusDistance([[1e200, 1e200]], [[1, 1]])).toBeLessThan(1e-15);
    expect(nc3Distance(fromRows([[1, 2]]), fromRows([[2, 4]]))).toBeLessThan(1e-15);
  });
});

describe('input errors', () => {
  const layout = classLayout([2, 3]);
  it('name the parameter and the rule', () => {
    expectInputError(() => ncMetrics(zeros(3, 4), layout), 'H: must have N = 5 columns');
    expectInputError(() => ncMetrics(zeros(3, 5), layout, zeros(2, 4)), 'W: must be K×d = 2×3');
    const bad = zeros(3, 5);
    bad.data[7] = Number.NaN;
    expectInputError(() => ncMetrics(bad, layout), 'H: every entry must be a finite number');
    expectInputError(() => ncMetrics(zeros(3, 5), layout, undefined, { pinvRelativeCutoff: 2 }), 'options.pinvRelativeCutoff');
    expectInputError(() => normalisedFrobeniusDistance([[1, 2]], [[1], [2]]), 'must have the same shape');
    expectInputError(() => normalisedFrobeniusDistance([[1, 2], [3]], [[1, 2], [3, 4]]), 'every row must have the same length');
    expectInputError(() => nc3Distance(zeros(2, 3), zeros(3, 2)), 'W, predictedW: must have the same shape');
  });
});
