import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { certifyUfmPlus, isCertified } from '../src/certificate/ufmPlus.ts';
import { isInputError } from '../src/errors.ts';
import { type Dense, zeros } from '../src/linalg/dense.ts';
import { classLayout } from '../src/problem/layout.ts';
import { ufmObjective } from '../src/problem/objective.ts';
import { optimalObjective, optimalPair } from '../src/theory/ufmPlusCe.ts';

/**
 * An independent builder of the UFM+ closed form (THEORY.md §1), optionally with some alive classes
 * forced dead (h̄_k = 0, b_k = 0): the spurious stationary points of §2. Coordinate k of the feature
 * space carries class k; H's class-k columns are a_k e_k; W = Σ_k b_k (e_k − 1/K) e_kᵀ. The problem
 * splits per class over these coordinates, so killing a class leaves the others at their optimum.
 * `fStar` is f at the point built (the optimal value when no class is killed).
 */
function closedForm(n: number[], lambda: number, d: number, dead: number[] = []) {
  const K = n.length;
  const N = n.reduce((a, b) => a + b, 0);
  const W = zeros(K, d);
  const H = zeros(d, N);
  let fStar = 0;
  let offset = 0;
  n.forEach((nk, k) => {
    const c = N * Math.sqrt((lambda * lambda * (K - 1)) / (K * nk));
    const alive = c < (K - 1) / K && !dead.includes(k);
    const s = alive ? Math.log(((K - 1) * (1 - c)) / c) : 0;
    const a = Math.sqrt(s * Math.sqrt((K - 1) / (K * nk)));
    const b = Math.sqrt(s * Math.sqrt((K * nk) / (K - 1)));
    H.data.fill(a, k * N + offset, k * N + offset + nk);
    for (let j = 0; j < K; j++) W.data[j * d + k] = b * ((j === k ? 1 : 0) - 1 / K);
    fStar += (nk / N) * (Math.log1p((K - 1) * Math.exp(-s)) + c * s);
    offset += nk;
  });
  return { W, H, fStar };
}

/** T = N² λ_W λ_H K/(K−1) (THEORY.md §1). */
function threshold(n: number[], lambda: number): number {
  const N = n.reduce((a, b) => a + b, 0);
  return (N * N * lambda * lambda * n.length) / (n.length - 1);
}

const reg = (lambda: number) => ({ lambdaW: lambda, lambdaH: lambda });

describe('certifyUfmPlus at Z = 0 (hand-computed dual gauge)', () => {
  // At Z = 0 every softmax is uniform: g_k = (e_k − 1/K)/N, ⟨g_j, g_k⟩ = −1/(K N²) < 0 for j ≠ k,
  // so max_{β≥0} ‖G̃β‖² is the largest diagonal entry n_k ‖g_k‖² = n_k (K−1)/(K N²), i.e.
  // ρ² = n_max (K−1)/(K N² μ²) = n_max / T. For K = 2: ρ = sqrt(n_max)/(√2 N μ).
  it('K = 2, n = (3, 7), λ = 0.05: ρ = sqrt(7)/(√2 · 10 · 0.05)', () => {
    const n = [3, 7];
    const c = certifyUfmPlus(zeros(2, 2), zeros(2, 10), classLayout(n), reg(0.05));
    // Rounding: a few operations on numbers of size 1, eigenvalues to ≈ 1e-16 relative.
    expect(c.dualNormRatio).toBeCloseTo(Math.sqrt(7) / (Math.SQRT2 * 10 * 0.05), 12);
    expect(c.exact).toBe(true);
    expect(c.collapsed).toBe(true);
    // The maximising atom sits on the larger class.
    expect(c.atom.classWeights[1]).toBeCloseTo(1, 12);
    expect(c.objective).toBeCloseTo(Math.log(2), 15);
  });

  it.each([
    ['every n_k ≤ T: (0, 0) optimal, ρ ≤ 1', [3, 4, 5], 0.05],
    ['n_3 > T: (0, 0) not optimal, ρ > 1', [3, 4, 30], 0.02],
  ])('%s', (_, n, lambda) => {
    const T = threshold(n, lambda);
    const N = n.reduce((a, b) => a + b, 0);
    const c = certifyUfmPlus(zeros(n.length, 4), zeros(4, N), classLayout(n), reg(lambda));
    expect(c.dualNormRatio).toBeCloseTo(Math.sqrt(Math.max(...n) / T), 12);
    expect(c.dualNormRatio <= 1).toBe(Math.max(...n) <= T);
    expect(isCertified(c)).toBe(Math.max(...n) <= T);
    if (Math.max(...n) <= T) {
      // Complete collapse: f* = log K, and the Fenchel bound is tight there.
      expect(Math.abs(c.lowerBound! - Math.log(n.length))).toBeLessThan(1e-14);
    }
  });
});

describe('certifyUfmPlus at the closed form of THEORY.md §1', () => {
  // ρ is 1 along every alive class and n_k/T ≤ 1 on collapsed ones; in double precision the gradient
  // entries carry ≈ 1e-16 relative error and the K×K eigenproblems ≈ 1e-15, so 1e-9 is very loose.
  const rng = seedrandom('certificate-closed-form');
  const instances = Array.from({ length: 36 }, () => {
    const K = 2 + Math.floor(rng() * 7);
    const n = Array.from({ length: K }, () => 1 + Math.floor(rng() ** 2 * 200));
    const lambda = 10 ** (-4 + 2.5 * rng());
    return { n, lambda, d: K + Math.floor(rng() * 4) };
  });

  it.each(instances)('n = $n, λ = $lambda, d = $d (independent builder): ρ = 1, tight bound', ({ n, lambda, d }) => {
    const { W, H, fStar } = closedForm(n, lambda, d);
    const layout = classLayout(n);
    const c = certifyUfmPlus(W, H, layout, reg(lambda));
    const anyAlive = n.some((nk) => nk > threshold(n, lambda));
    if (anyAlive) expect(Math.abs(c.dualNormRatio - 1)).toBeLessThan(1e-9);
    else expect(c.dualNormRatio).toBeLessThanOrEqual(1 + 1e-9);
    expect(c.exact).toBe(true);
    expect(c.collapsed).toBe(true);
    // f from the certificate agrees with src/problem's objective; the balanced factorisation has no AM–GM slack.
    expect(Math.abs(c.objective - ufmObjective(W, H, layout, reg(lambda)))).toBeLessThan(1e-13);
    expect(Math.abs(c.objective - fStar)).toBeLessThan(1e-12);
    expect(Math.abs(c.amGmSlack)).toBeLessThan(1e-12);
    // Lower bound on f*: tight at the optimum (brief: within 1e-8).
    expect(Math.abs(c.lowerBound! - c.objective)).toBeLessThan(1e-8);
    expect(isCertified(c)).toBe(true);
  });

  it.each(instances.slice(0, 24))('n = $n, λ = $lambda (src/theory optimalPair): ρ = 1 ± 1e-9', ({ n, lambda, d }) => {
    const { W, H } = optimalPair({ n, lambdaW: lambda, lambdaH: lambda, d });
    const c = certifyUfmPlus(W, H, classLayout(n), reg(lambda));
    const anyAlive = n.some((nk) => nk > threshold(n, lambda));
    if (anyAlive) expect(Math.abs(c.dualNormRatio - 1)).toBeLessThan(1e-9);
    else expect(c.dualNormRatio).toBeLessThanOrEqual(1 + 1e-9);
    expect(Math.abs(c.lowerBound! - optimalObjective(n, lambda, lambda))).toBeLessThan(1e-8);
  });
});

describe('certifyUfmPlus at spurious stationary points (THEORY.md §2)', () => {
  // At the closed form with an alive class k killed, class k's logits are 0: g_k = (e_k − 1/K)/N and
  // every coupling ⟨g_j, g_k⟩ is negative, so ρ² = max(1, n_k/T) = n_k/T > 1, attained at β = e_k.
  it.each([
    [[10, 10, 40, 40], 5e-3, 0],
    [[5, 10, 20, 40, 80], 1e-2, 0],
    [[5, 5, 100, 100, 100, 5, 5, 5], 6e-3, 6],
    [[30, 60, 90], 2e-3, 1],
  ])('n = %j, λ = %f, class %i dead', (n, lambda, dead) => {
    const T = threshold(n, lambda);
    expect(n[dead]).toBeGreaterThan(T);
    const { W, H } = closedForm(n, lambda, n.length + 1, [dead]);
    const { fStar } = closedForm(n, lambda, n.length + 1);
    const c = certifyUfmPlus(W, H, classLayout(n), reg(lambda));
    expect(c.dualNormRatio).toBeCloseTo(Math.sqrt(n[dead] / T), 10);
    expect(c.dualNormRatio).toBeGreaterThan(1);
    expect(c.exact).toBe(true);
    expect(c.atom.classWeights[dead]).toBeCloseTo(1, 10);
    // The atom's v lives on the dead class's columns only, uniformly.
    const layout = classLayout(n);
    const onDead = c.atom.v.slice(layout.offsets[dead], layout.offsets[dead + 1]);
    expect(Math.min(...onDead)).toBeCloseTo(1 / Math.sqrt(n[dead]), 12);
    // Not certified, and the Fenchel bound stays below the true optimum (f − lowerBound > f − f* > 0).
    expect(isCertified(c)).toBe(false);
    expect(c.objective).toBeGreaterThan(fStar + 1e-6);
    expect(c.lowerBound!).toBeLessThanOrEqual(fStar + 1e-12);
  });
});

describe('certifyUfmPlus at arbitrary points', () => {
  const rng = seedrandom('certificate-random-points');
  const random = (rows: number, cols: number, scale: number, nonNegative: boolean): Dense => {
    const m = zeros(rows, cols);
    for (let i = 0; i < m.data.length; i++) m.data[i] = scale * (nonNegative ? rng() : rng() - 0.5);
    return m;
  };
  const cases = Array.from({ length: 30 }, (_, t) => {
    const K = 2 + (t % 7);
    const n = Array.from({ length: K }, () => 1 + Math.floor(rng() * 30));
    const lambda = 10 ** (-3.5 + 2 * rng());
    return { n, lambda, d: K + 2, scale: 10 ** (-1 + 2 * rng()) };
  });

  it.each(cases)('n = $n, λ = $lambda: lower ≤ ρ ≤ upper, the atom attains ρ, lowerBound ≤ f*', ({ n, lambda, d, scale }) => {
    const layout = classLayout(n);
    const W = random(n.length, d, scale, false);
    const H = random(d, layout.N, scale, true);
    const c = certifyUfmPlus(W, H, layout, reg(lambda));
    expect(c.dualNormRatio).toBeLessThanOrEqual(c.dualNormRatioUpper * (1 + 1e-12));
    expect(c.amGmSlack).toBeGreaterThanOrEqual(-1e-12);
    // The Fenchel bound is below f* (the closed form's optimal value, valid for every d).
    const fStar = optimalObjective(n, lambda, lambda);
    expect(c.lowerBound!).toBeLessThanOrEqual(fStar + 1e-12);
    expect(c.optimalityGap!).toBeGreaterThanOrEqual(c.objective - fStar - 1e-12);
    // Random v ≥ 0 never beat the upper bound, and u, v form a unit atom attaining dualNormRatio.
    const G = negGradient(W, H, n);
    const mu = lambda;
    for (let t = 0; t < 200; t++) {
      const v = Array.from({ length: layout.N }, () => rng() ** 4);
      expect(normGv(G, v) / mu).toBeLessThanOrEqual(c.dualNormRatioUpper * (1 + 1e-12));
    }
    expect(normGv(G, Array.from(c.atom.v)) / mu).toBeCloseTo(c.dualNormRatio, 10);
    expect(Math.min(...c.atom.v)).toBeGreaterThanOrEqual(0);
  });
});

describe('certifyUfmPlus input errors', () => {
  const layout = classLayout([2, 3]);
  it.each([
    ['negative feature', () => certifyUfmPlus(zeros(2, 2), { rows: 2, cols: 5, data: new Float64Array(10).fill(-1) }, layout, reg(0.1)), 'H'],
    ['W rows ≠ K', () => certifyUfmPlus(zeros(3, 2), zeros(2, 5), layout, reg(0.1)), 'W'],
    ['H columns ≠ N', () => certifyUfmPlus(zeros(2, 2), zeros(2, 4), layout, reg(0.1)), 'H'],
    ['λ_W ≤ 0', () => certifyUfmPlus(zeros(2, 2), zeros(2, 5), layout, { lambdaW: 0, lambdaH: 0.1 }), 'lambdaW'],
    ['bias of wrong length', () => certifyUfmPlus(zeros(2, 2), zeros(2, 5), layout, reg(0.1), { bias: new Float64Array(3) }), 'bias'],
    ['λ_b without a bias', () => certifyUfmPlus(zeros(2, 2), zeros(2, 5), layout, reg(0.1), { lambdaB: 1 }), 'lambdaB'],
    ['λ_b < 0', () => certifyUfmPlus(zeros(2, 2), zeros(2, 5), layout, reg(0.1), { bias: new Float64Array(2), lambdaB: -1 }), 'lambdaB'],
    ['non-finite W', () => certifyUfmPlus({ rows: 2, cols: 2, data: new Float64Array([0, NaN, 0, 0]) }, zeros(2, 5), layout, reg(0.1)), 'W'],
  ])('%s → InputError naming the parameter', (_, call, parameter) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(isInputError(error)).toBe(true);
    expect((error as { parameter: string }).parameter).toBe(parameter);
  });
});

/** −∇L(WH) for cross-entropy, straight from the definition (independent of src/). */
function negGradient(W: Dense, H: Dense, n: number[]): number[][] {
  const K = W.rows;
  const N = H.cols;
  const labels = n.flatMap((nk, k) => Array<number>(nk).fill(k));
  const G = Array.from({ length: K }, () => Array<number>(N).fill(0));
  for (let i = 0; i < N; i++) {
    const z = Array.from({ length: K }, (_, k) => {
      let s = 0;
      for (let r = 0; r < W.cols; r++) s += W.data[k * W.cols + r] * H.data[r * N + i];
      return s;
    });
    const m = Math.max(...z);
    const e = z.map((x) => Math.exp(x - m));
    const total = e.reduce((a, b) => a + b, 0);
    for (let k = 0; k < K; k++) G[k][i] = ((k === labels[i] ? 1 : 0) - e[k] / total) / N;
  }
  return G;
}

function normGv(G: number[][], v: number[]): number {
  const len = Math.hypot(...v);
  return Math.hypot(...G.map((row) => row.reduce((s, x, i) => s + x * v[i], 0) / len));
}
