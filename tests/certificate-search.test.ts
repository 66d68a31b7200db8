import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { SupportEigen } from '../src/certificate/_internals/supportEigen.ts';
import { maxOrthantRayleigh } from '../src/certificate/orthantRayleigh.ts';
import { certifyUfm } from '../src/certificate/ufm.ts';
import { certifyUfmPlus } from '../src/certificate/ufmPlus.ts';
import { type Dense, zeros } from '../src/linalg/dense.ts';
import { symmetricEigen, symmetricTopEigenpair } from '../src/linalg/symmetricEigen.ts';
import { crossEntropy } from '../src/loss/crossEntropy.ts';
import { mse } from '../src/loss/mse.ts';
import { classLayout } from '../src/problem/layout.ts';
import { optimalPair } from '../src/theory/ufmPlusCe.ts';

const rng = seedrandom('certificate-search');
const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());

/** G̃ᵀG̃ for a K×K G̃ whose column k is sqrt(n_k)(e_k − softmax(σ z_k)), z_k Gaussian (dense mixed-sign couplings). */
function softmaxGram(K: number, sigma: number): Float64Array {
  const Gt = new Float64Array(K * K);
  for (let k = 0; k < K; k++) {
    const z = Array.from({ length: K }, () => sigma * gauss());
    const m = Math.max(...z);
    const e = z.map((x) => Math.exp(x - m));
    const s = e.reduce((a, b) => a + b, 0);
    const scale = Math.sqrt(1 + Math.floor(rng() * 100));
    for (let j = 0; j < K; j++) Gt[j * K + k] = scale * ((j === k ? 1 : 0) - e[j] / s);
  }
  return gram(Gt, K);
}

function gaussianGram(K: number): Float64Array {
  return gram(Float64Array.from({ length: K * K }, gauss), K);
}

function gram(Gt: Float64Array, K: number): Float64Array {
  const M = new Float64Array(K * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) for (let r = 0; r < K; r++) M[i * K + j] += Gt[r * K + i] * Gt[r * K + j];
  return M;
}

function quadratic(M: Float64Array, K: number, beta: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) s += beta[i] * M[i * K + j] * beta[j];
  return s;
}

/**
 * The oracle, written independently of src/: enumerate every support S, take the top eigenpair of M_SS
 * with ml-matrix, keep it when its eigenvector is one-signed. Exact by the argument of THEORY.md §1b.
 */
function oracle(M: Float64Array, K: number): number {
  let best = 0;
  for (let mask = 1; mask < 2 ** K; mask++) {
    const S = Array.from({ length: K }, (_, i) => i).filter((i) => (mask >> i) & 1);
    const sub = new Matrix(S.map((i) => S.map((j) => M[i * K + j])));
    const eig = new EigenvalueDecomposition(sub, { assumeSymmetric: true });
    const values = eig.realEigenvalues;
    const top = values.indexOf(Math.max(...values));
    const v = eig.eigenvectorMatrix.getColumn(top);
    const sign = v.reduce((a, b) => a + b, 0) >= 0 ? 1 : -1;
    if (v.every((x) => sign * x >= -1e-9)) best = Math.max(best, values[top]);
  }
  return best;
}

describe('maxOrthantRayleigh: max_{β ≥ 0, ‖β‖ = 1} βᵀMβ', () => {
  const cases: [string, number, () => Float64Array][] = [];
  for (const K of [2, 3, 4, 6, 8, 10]) {
    cases.push([`softmax columns σ = 3, K = ${K}`, K, () => softmaxGram(K, 3)]);
    cases.push([`softmax columns σ = 10, K = ${K}`, K, () => softmaxGram(K, 10)]);
    cases.push([`Gaussian G̃, K = ${K}`, K, () => gaussianGram(K)]);
  }
  it.each(cases)('%s: equals the support-enumeration oracle; β attains it', (_, K, make) => {
    for (let rep = 0; rep < 3; rep++) {
      const M = make();
      const r = maxOrthantRayleigh(M, K);
      const truth = oracle(M, K);
      expect(r.exact).toBe(true);
      // Both are eigenvalues of the same sub-matrix computed by different codes: ≈ 1e-15 relative.
      expect(Math.abs(r.value - truth)).toBeLessThanOrEqual(1e-10 * truth);
      expect(Math.abs(quadratic(M, K, r.beta) - r.value)).toBeLessThanOrEqual(1e-12 * truth);
      expect(Math.min(...r.beta)).toBeGreaterThanOrEqual(0);
      expect(Math.hypot(...r.beta)).toBeCloseTo(1, 14);
      expect(r.upper).toBeGreaterThanOrEqual(r.value);
    }
  });

  it('K = 3: no point of a fine grid on the non-negative octant of the sphere beats it', () => {
    for (let rep = 0; rep < 5; rep++) {
      const M = softmaxGram(3, 4);
      const r = maxOrthantRayleigh(M, 3);
      let grid = 0;
      const steps = 300;
      for (let a = 0; a <= steps; a++) {
        for (let b = 0; b <= steps; b++) {
          const t = (a / steps) * (Math.PI / 2);
          const p = (b / steps) * (Math.PI / 2);
          grid = Math.max(grid, quadratic(M, 3, [Math.cos(t), Math.sin(t) * Math.cos(p), Math.sin(t) * Math.sin(p)]));
        }
      }
      expect(grid).toBeLessThanOrEqual(r.value * (1 + 1e-12));
      // Grid spacing h = π/600 loses at most ≈ λ h² relative: 1e-4 is loose.
      expect(grid).toBeGreaterThanOrEqual(r.value * (1 - 1e-4));
    }
  });

  it('random β ≥ 0 (sparse and dense) never exceed it, K = 5..16', () => {
    for (const K of [5, 9, 12, 16]) {
      const M = softmaxGram(K, 3);
      const r = maxOrthantRayleigh(M, K);
      for (let t = 0; t < 3000; t++) {
        const beta = Array.from({ length: K }, () => (rng() < 0.5 ? 0 : rng()));
        const len = Math.hypot(...beta);
        if (len > 0) expect(quadratic(M, K, beta) / (len * len)).toBeLessThanOrEqual(r.upper * (1 + 1e-12));
      }
    }
  });

  it('K = 13: branch and bound agrees with forced enumeration of all supports', () => {
    for (let rep = 0; rep < 2; rep++) {
      const M = softmaxGram(13, 3);
      const bb = maxOrthantRayleigh(M, 13, { enumerationMaxK: 0 });
      const enumerated = maxOrthantRayleigh(M, 13, { enumerationMaxK: 13, nodeBudget: 0 });
      expect(enumerated.method).toBe('enumeration');
      expect(enumerated.exact).toBe(true);
      expect(bb.value).toBeLessThanOrEqual(enumerated.value * (1 + 1e-12));
      expect(bb.upper).toBeGreaterThanOrEqual(enumerated.value * (1 - 1e-12));
      if (bb.exact) expect(Math.abs(bb.value - enumerated.value)).toBeLessThanOrEqual(1e-10 * enumerated.value);
    }
  });

  it('degenerate top eigenvalue, mixed computed eigenvector: the eigenspace search finds a non-negative one', () => {
    // M = 2(I − w wᵀ), w = (0.7, 0.7, −0.1, −0.1) (unit): eigenvalues 2, 2, 2, 0. The top eigenspace w⊥
    // contains β ≥ 0 (e.g. (1, 1, 7, 7)/10), so the maximum is 2; inverse iteration returns the
    // projection of its start vector on w⊥, which has a negative entry, so the search must step in.
    const w = [0.7, 0.7, -0.1, -0.1];
    const M = Float64Array.from({ length: 16 }, (_, idx) => 2 * ((idx % 5 === 0 ? 1 : 0) - w[Math.floor(idx / 4)] * w[idx % 4]));
    const computed = symmetricTopEigenpair(M, 4).top;
    expect(Math.min(...computed) < 0 && Math.max(...computed) > 0).toBe(true);
    const support = new SupportEigen(M, 4);
    const r = support.evaluate(0b1111);
    expect(r).toEqual({ lambda: expect.closeTo(2, 12), nonnegative: true, unresolved: false });
    expect(Math.min(...support.beta)).toBeGreaterThanOrEqual(0);
    expect(Math.abs(support.beta.reduce((s, x, i) => s + x * w[i], 0))).toBeLessThan(1e-9);
    expect(maxOrthantRayleigh(M, 4).value).toBeCloseTo(2, 12);
  });

  it('K = 32 (beyond bit masks): ascent only, honest bounds', () => {
    const M = gaussianGram(32);
    const r = maxOrthantRayleigh(M, 32);
    expect(r.method).toBe('ascent-only');
    expect(Math.abs(quadratic(M, 32, r.beta) - r.value)).toBeLessThanOrEqual(1e-12 * r.value);
    expect(r.upper).toBeGreaterThanOrEqual(r.value);
  });

  it('decision mode settles the question against a level', () => {
    const M = softmaxGram(16, 3);
    const exact = maxOrthantRayleigh(M, 16, { nodeBudget: 1e6 });
    const above = maxOrthantRayleigh(M, 16, { level: exact.value * 0.9 });
    expect(above.value).toBeGreaterThan(exact.value * 0.9);
    const below = maxOrthantRayleigh(M, 16, { level: exact.upper * 1.1 });
    expect(below.upper).toBeLessThanOrEqual(exact.upper * 1.1 * (1 + 1e-10));
  });
});

describe('symmetricEigen / symmetricTopEigenpair', () => {
  it.each([1, 2, 3, 5, 8, 13, 20])('n = %i: agrees with ml-matrix; residual and orthonormality at rounding level', (n) => {
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = gauss();
    const norm = Math.sqrt(A.reduce((s, x) => s + x * x, 0));
    const ws = symmetricEigen(A, n);
    const reference = new EigenvalueDecomposition(new Matrix(Array.from({ length: n }, (_, i) => Array.from(A.subarray(i * n, i * n + n)))), { assumeSymmetric: true });
    const sorted = [...reference.realEigenvalues].sort((a, b) => a - b);
    // Backward-stable eigensolvers: eigenvalue errors ≤ ≈ n ε ‖A‖.
    sorted.forEach((value, j) => expect(Math.abs(ws.values[j] - value)).toBeLessThan(1e-13 * norm));
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        let Av = 0;
        for (let k = 0; k < n; k++) Av += A[i * n + k] * ws.vectors[k * n + j];
        expect(Math.abs(Av - ws.values[j] * ws.vectors[i * n + j])).toBeLessThan(1e-13 * norm);
      }
      for (let l = 0; l < n; l++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += ws.vectors[i * n + j] * ws.vectors[i * n + l];
        expect(Math.abs(dot - (j === l ? 1 : 0))).toBeLessThan(1e-13);
      }
    }
    const top = symmetricTopEigenpair(A, n);
    expect(Math.abs(top.values[n - 1] - ws.values[n - 1])).toBeLessThan(1e-13 * norm);
    let dot = 0;
    for (let i = 0; i < n; i++) dot += top.top[i] * ws.vectors[i * n + n - 1];
    // Inverse iteration with shift 1e-10 beyond λ₁: vector error ≈ (1e-10/gap)³ + rounding.
    expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-10);
  });
});

/** −∇L(Y) through src/loss's evaluate (a second implementation of the gradient), as an ml-matrix. */
function negativeGradientMatrix(W: Dense, H: Dense, n: number[], bias?: Float64Array, loss = crossEntropy): Matrix {
  const layout = classLayout(n);
  const Y = new Matrix(W.rows, H.cols);
  for (let k = 0; k < W.rows; k++) {
    for (let i = 0; i < H.cols; i++) {
      let s = bias?.[k] ?? 0;
      for (let r = 0; r < W.cols; r++) s += W.data[k * W.cols + r] * H.data[r * H.cols + i];
      Y.set(k, i, s);
    }
  }
  const grad = zeros(W.rows, H.cols);
  loss.evaluate({ rows: W.rows, cols: H.cols, data: Float64Array.from(Y.to1DArray()) }, layout, grad);
  return new Matrix(Array.from({ length: W.rows }, (_, k) => Array.from(grad.data.subarray(k * H.cols, (k + 1) * H.cols), (x) => -x)));
}

function randomPoint(K: number, d: number, N: number, scale: number, nonNegative: boolean): { W: Dense; H: Dense } {
  const W = zeros(K, d);
  const H = zeros(d, N);
  W.data.forEach((_, i) => (W.data[i] = scale * gauss()));
  H.data.forEach((_, i) => (H.data[i] = nonNegative ? scale * Math.abs(gauss()) : scale * gauss()));
  return { W, H };
}

describe('certifyUfm (plain UFM, spectral norm)', () => {
  it('Z = 0, K = 2: ‖G‖₂ = 1/sqrt(2N) by hand (G Gᵀ = (1/N)[[1/4, −1/4], [−1/4, 1/4]])', () => {
    const n = [4, 9];
    const c = certifyUfm(zeros(2, 3), zeros(3, 13), classLayout(n), { lambdaW: 0.1, lambdaH: 0.4 });
    expect(c.dualNormRatio).toBeCloseTo(1 / Math.sqrt(2 * 13) / 0.2, 13);
  });

  it('equals the top singular value of −∇L from ml-matrix at random points', () => {
    for (let rep = 0; rep < 8; rep++) {
      const n = [3, 7, 2, 11].slice(0, 2 + (rep % 3));
      const N = n.reduce((a, b) => a + b, 0);
      const { W, H } = randomPoint(n.length, 5, N, 0.7, false);
      const c = certifyUfm(W, H, classLayout(n), { lambdaW: 1e-2, lambdaH: 2e-2 });
      const sigma = new SingularValueDecomposition(negativeGradientMatrix(W, H, n), { autoTranspose: true }).diagonal[0];
      expect(c.dualNormRatio * Math.sqrt(2e-4)).toBeCloseTo(sigma, 12);
    }
  });
});

describe('Fenchel lower bound: weak duality across points, tightness at optima', () => {
  // lowerBound ≤ f* ≤ f(any point), so the bound computed at one point never exceeds f at another.
  const n = [3, 8, 5, 12];
  const layout = classLayout(n);
  const lambda = 4e-3;
  const reg = { lambdaW: lambda, lambdaH: lambda };
  const points = Array.from({ length: 12 }, (_, t) => {
    const p = randomPoint(4, 6, layout.N, 10 ** (-1 + (2 * t) / 11), true);
    return { ...p, bias: Float64Array.from({ length: 4 }, gauss) };
  });

  it.each([
    ['UFM+, cross-entropy', (p: (typeof points)[number]) => certifyUfmPlus(p.W, p.H, layout, reg)],
    ['UFM+, cross-entropy, bias', (p: (typeof points)[number]) => certifyUfmPlus(p.W, p.H, layout, reg, { bias: p.bias })],
    ['UFM, cross-entropy', (p: (typeof points)[number]) => certifyUfm(p.W, p.H, layout, reg)],
    ['UFM, cross-entropy, bias', (p: (typeof points)[number]) => certifyUfm(p.W, p.H, layout, reg, { bias: p.bias })],
    ['UFM, MSE (generic bound)', (p: (typeof points)[number]) => certifyUfm(p.W, p.H, layout, reg, { loss: mse })],
    ['UFM+, cross-entropy, regularised bias', (p: (typeof points)[number]) => certifyUfmPlus(p.W, p.H, layout, reg, { bias: p.bias, lambdaB: 0.05 })],
    ['UFM, MSE, regularised bias (generic bound)', (p: (typeof points)[number]) => certifyUfm(p.W, p.H, layout, reg, { loss: mse, bias: p.bias, lambdaB: 0.05 })],
    ['UFM+, MSE (generic bound)', (p: (typeof points)[number]) => certifyUfmPlus(p.W, p.H, layout, reg, { loss: mse })],
  ])('%s', (_, certify) => {
    const certs: { objective: number; lowerBound: number | null }[] = points.map((p) => certify(p));
    const best = Math.min(...certs.map((c) => c.objective));
    for (const c of certs) {
      expect(c.lowerBound).not.toBeNull();
      expect(c.lowerBound!).toBeLessThanOrEqual(best + 1e-12);
    }
  });

  it('balanced classes: the no-bias optimum is bias-stationary (G1 = 0) and the bias bound is tight', () => {
    const balanced = [20, 20, 20];
    const { W, H } = optimalPair({ n: balanced, lambdaW: 2e-3, lambdaH: 2e-3, d: 3 });
    const c = certifyUfmPlus(W, H, classLayout(balanced), { lambdaW: 2e-3, lambdaH: 2e-3 }, { bias: new Float64Array(3) });
    expect(c.biasResidual!).toBeLessThan(1e-15);
    expect(Math.abs(c.lowerBound! - c.objective)).toBeLessThan(1e-8);
  });

  it('bias only, (W, H) = (0, 0) optimal (μ large): the bound is tight for a free and a regularised bias', () => {
    // Free bias: b = log n gives softmax = n/N for every sample, so G 1 = 0 and f* = L = entropy of n/N
    // (when ρ ≤ 1). Regularised: b minimises −Σ (n_k/N) b_k + lse(b) + (λ_b/2)‖b‖², found by gradient
    // descent (strongly convex, step 1/(1 + λ_b)); then G 1 = λ_b b.
    const sizes = [2, 5, 9];
    const N = 16;
    const big = { lambdaW: 0.5, lambdaH: 0.5 };
    const free = certifyUfmPlus(zeros(3, 2), zeros(2, N), classLayout(sizes), big, { bias: Float64Array.from(sizes, Math.log) });
    const entropy = -sizes.reduce((s, nk) => s + (nk / N) * Math.log(nk / N), 0);
    expect(free.dualNormRatioUpper).toBeLessThan(1);
    expect(free.objective).toBeCloseTo(entropy, 14);
    expect(Math.abs(free.lowerBound! - free.objective)).toBeLessThan(1e-12);
    const lambdaB = 0.3;
    const b = new Float64Array(3);
    for (let t = 0; t < 5000; t++) {
      const m = Math.max(...b);
      const e = Array.from(b, (x) => Math.exp(x - m));
      const z = e.reduce((a, c) => a + c, 0);
      for (let k = 0; k < 3; k++) b[k] -= (e[k] / z - sizes[k] / N + lambdaB * b[k]) / (1 + lambdaB);
    }
    const reg = certifyUfmPlus(zeros(3, 2), zeros(2, N), classLayout(sizes), big, { bias: b, lambdaB });
    expect(reg.dualNormRatioUpper).toBeLessThan(1);
    expect(Math.abs(reg.lowerBound! - reg.objective)).toBeLessThan(1e-12);
    // A perturbed bias is not optimal, and the bound stays below the optimum.
    const off = certifyUfmPlus(zeros(3, 2), zeros(2, N), classLayout(sizes), big, { bias: b.map((x) => x + 0.2 * gauss()), lambdaB });
    expect(off.objective).toBeGreaterThan(reg.objective);
    expect(off.lowerBound!).toBeLessThanOrEqual(reg.objective + 1e-14);
  });

  it('MSE at (0, 0) with ‖Y/N‖₂ = sqrt(n_max)/N ≤ μ: optimal, generic bound tight (= 1/2)', () => {
    const sizes = [2, 5];
    const mu = Math.sqrt(5) / 7;
    const c = certifyUfm(zeros(2, 2), zeros(2, 7), classLayout(sizes), { lambdaW: mu, lambdaH: mu }, { loss: mse });
    expect(c.dualNormRatio).toBeCloseTo(1, 12);
    expect(c.lowerBound!).toBeCloseTo(0.5, 14);
  });
});

describe('certifyUfmPlus: within-class spread and decision mode', () => {
  it('a nearly collapsed candidate (spread 1e-13) stays exact; a spread one is bracketed', () => {
    const n = [10, 10, 40, 40];
    const reg = { lambdaW: 5e-3, lambdaH: 5e-3 };
    const { W, H } = optimalPair({ n, ...{ lambdaW: 5e-3, lambdaH: 5e-3 }, d: 6 });
    const tiny = { ...H, data: H.data.map((x) => (x > 0 ? x * (1 + 1e-13 * gauss()) : x)) };
    const c = certifyUfmPlus(W, tiny, classLayout(n), reg);
    expect(c.exact).toBe(true);
    expect(Math.abs(c.dualNormRatio - 1)).toBeLessThan(1e-9);
    const spread = { ...H, data: H.data.map((x) => x + 0.3 * Math.abs(gauss())) };
    const s = certifyUfmPlus(W, spread, classLayout(n), reg);
    expect(s.collapsed).toBe(false);
    expect(s.dualNormRatio).toBeLessThanOrEqual(s.dualNormRatioUpper);
  });

  it('decideAt = 1 refutes the spurious point and certifies the optimum', () => {
    const n = [5, 10, 20, 40, 80];
    const reg = { lambdaW: 1e-2, lambdaH: 1e-2 };
    const { W, H } = optimalPair({ n, ...reg, d: 6 });
    expect(certifyUfmPlus(W, H, classLayout(n), reg, { decideAt: 1 }).dualNormRatioUpper).toBeLessThanOrEqual(1 + 1e-9);
    const dead = { ...H, data: H.data.map((x, i) => (i < 5 * 155 && Math.floor(i / 155) === 0 && i % 155 < 5 ? 0 : x)) };
    const deadW = { ...W, data: W.data.map((x, i) => (i % 6 === 0 ? 0 : x)) };
    expect(certifyUfmPlus(deadW, dead, classLayout(n), reg, { decideAt: 1 }).dualNormRatio).toBeGreaterThan(1);
  });
});
