/**
 * The MSE loss (src/loss/mse.ts): value, gradient, shape checks — and the certified float64 solver
 * with this loss (plain UFM, THEORY.md §1b spectral-norm certificate, valid because MSE is convex in
 * Z) against the MSE closed forms of THEORY.md §4 (bias-free M = 1 and free bias L = 1).
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { type Dense, fromRows, zeros } from '../src/linalg/dense.ts';
import { centredMse, mse } from '../src/loss/mse.ts';
import { certifyUfm } from '../src/certificate/ufm.ts';
import { classLayout } from '../src/problem/layout.ts';
import { classMeans } from '../src/metrics/classMeans.ts';
import { solve } from '../src/solver/solver.ts';
import { predictMseDeepLinear } from '../src/theory/mseDeepLinear.ts';
import { predictMseBias } from '../src/theory/mseBias.ts';

function randomDense(rows: number, cols: number, seed: string): Dense {
  const rng = seedrandom(seed);
  const m = zeros(rows, cols);
  for (let t = 0; t < m.data.length; t++) m.data[t] = 4 * rng() - 2;
  return m;
}

describe('mse loss', () => {
  it('L(0) = 1/2 (each column misses its one-hot target by 1) and L(Y) = 0', () => {
    const layout = classLayout([2, 1, 3]);
    expect(mse.evaluate(zeros(3, 6), layout)).toBe(0.5);
    const Y = fromRows([[1, 1, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1]]);
    expect(mse.evaluate(Y, layout)).toBe(0);
  });

  it('a hand example: Z = [[2, 0], [0, 0]] with labels (0, 1) gives ((2−1)² + 1²)/(2·2) = 0.5, ∇L = (Z − Y)/N', () => {
    const g = zeros(2, 2);
    expect(mse.evaluate(fromRows([[2, 0], [0, 0]]), classLayout([1, 1]), g)).toBe(0.5);
    expect(Array.from(g.data)).toEqual([0.5, 0, 0, -0.5]);
  });

  it('the gradient agrees with central differences (a quadratic: exact up to rounding)', () => {
    const layout = classLayout([3, 2, 4]);
    const Z = randomDense(3, 9, 'z');
    const g = zeros(3, 9);
    mse.evaluate(Z, layout, g);
    // L is quadratic, so central differences have no truncation error; rounding ≈ 1e-16/h = 1e-11.
    const h = 1e-5;
    for (let t = 0; t < Z.data.length; t++) {
      const keep = Z.data[t];
      Z.data[t] = keep + h;
      const fp = mse.evaluate(Z, layout);
      Z.data[t] = keep - h;
      const fm = mse.evaluate(Z, layout);
      Z.data[t] = keep;
      expect(Math.abs((fp - fm) / (2 * h) - g.data[t])).toBeLessThan(1e-9);
    }
  });

  it('centredMse = min over a bias of the mse (optimal b = row means of Y − Z), with gradient (Z − Y)C/N', () => {
    const layout = classLayout([3, 2, 4]);
    const Z = randomDense(3, 9, 'c');
    const g = zeros(3, 9);
    const value = centredMse.evaluate(Z, layout, g);
    const shifted = zeros(3, 9);
    for (let k = 0; k < 3; k++) {
      let b = 0;
      for (let i = 0; i < 9; i++) b += (layout.labels[i] === k ? 1 : 0) - Z.data[k * 9 + i];
      b /= 9;
      for (let i = 0; i < 9; i++) shifted.data[k * 9 + i] = Z.data[k * 9 + i] + b;
    }
    // Two summation orders of the same O(1) quantity: a few ulps.
    expect(Math.abs(value - mse.evaluate(shifted, layout))).toBeLessThan(1e-15);
    // Any other bias does worse: move b_1 by 1e-3 (row 1 of the logits shifts by a constant).
    shifted.data.forEach((_, t) => { if (t < 9) shifted.data[t] += 1e-3; });
    expect(mse.evaluate(shifted, layout)).toBeGreaterThan(value);
    const h = 1e-5;
    for (let t = 0; t < Z.data.length; t++) {
      const keep = Z.data[t];
      Z.data[t] = keep + h;
      const fp = centredMse.evaluate(Z, layout);
      Z.data[t] = keep - h;
      const fm = centredMse.evaluate(Z, layout);
      Z.data[t] = keep;
      expect(Math.abs((fp - fm) / (2 * h) - g.data[t])).toBeLessThan(1e-9);
    }
  });

  it('throws RangeError when Z or the gradient does not match the layout', () => {
    expect(() => mse.evaluate(zeros(2, 3), classLayout([1, 1]))).toThrow(RangeError);
    expect(() => mse.evaluate(zeros(2, 2), classLayout([1, 1]), zeros(2, 3))).toThrow(RangeError);
  });
});

/** Row norms² of W, class-mean norms², w_kᵀh̄_k. */
function readOff(W: Dense, H: Dense, n: number[]) {
  const layout = classLayout(n);
  const means = classMeans(H, layout);
  const K = n.length;
  const d = W.cols;
  return n.map((_, k) => {
    let w2 = 0;
    let h2 = 0;
    let wh = 0;
    for (let j = 0; j < d; j++) {
      w2 += W.data[k * d + j] ** 2;
      h2 += means.data[j * K + k] ** 2;
      wh += W.data[k * d + j] * means.data[j * K + k];
    }
    return { w2, h2, wh };
  });
}

describe('the certified solver with the mse loss (plain UFM) against THEORY.md §4', () => {
  it('bias-free, L = 1: certified (ρ ≤ 1 + 1e-6), f = f*, norms and w_kᵀh̄_k as predicted, class 1 collapsed', () => {
    const n = [3, 12, 20, 40];
    const reg = { lambdaW: 3.6e-2, lambdaH: 2.5e-2 }; // N = 75: N²λ_Wλ_H = 5.06, class 1 (n = 3) collapses
    const r = solve({ n, ...reg, d: 6, nonNegative: false, loss: mse }, { seed: 1 });
    expect(r.certified).toBe(true);
    expect(r.certificate.dualNormRatio).toBeLessThanOrEqual(1 + 1e-6);
    const p = predictMseDeepLinear({ n, ...reg, layers: 1 });
    expect(p.classes.map((c) => c.alive)).toEqual([false, true, true, true]);
    // Certified to KKT residual 1e-10: f − f* ≲ residual²/λ ≪ 1e-12 (relative).
    expect(Math.abs(r.objective - p.objective)).toBeLessThan(1e-12 * p.objective);
    readOff(r.W, r.H, n).forEach((m, k) => {
      const c = p.classes[k];
      expect(Math.abs(m.w2 - c.wNormSquared)).toBeLessThan(1e-7 * (1 + c.wNormSquared));
      expect(Math.abs(m.h2 - c.hNormSquared)).toBeLessThan(1e-7 * (1 + c.hNormSquared));
      expect(Math.abs(m.wh - c.wDotH)).toBeLessThan(1e-7);
    });
  });

  it('free bias, L = 1: certified, f = f*, bias = n/N (Liu 2024)', () => {
    const n = [5, 10, 20, 40];
    const reg = { lambdaW: 3e-3, lambdaH: 5e-3 };
    const r = solve({ n, ...reg, d: 5, nonNegative: false, bias: true, loss: mse }, { seed: 2 });
    expect(r.certified).toBe(true);
    const p = predictMseBias({ n, ...reg });
    expect(Math.abs(r.objective - p.objective)).toBeLessThan(1e-12 * p.objective);
    r.b?.forEach((b, k) => expect(Math.abs(b - p.bias[k])).toBeLessThan(1e-7));
  });

  it('free bias through centredMse: the bias-free certificate of the profiled problem proves the solver point optimal', () => {
    const n = [5, 10, 20, 40];
    const reg = { lambdaW: 3e-3, lambdaH: 5e-3 };
    const r = solve({ n, ...reg, d: 5, nonNegative: false, bias: true, loss: mse }, { seed: 2 });
    const c = certifyUfm(r.W, r.H, classLayout(n), reg, { loss: centredMse });
    expect(c.dualNormRatio).toBeLessThanOrEqual(1 + 1e-6);
    // f(W, H, b) ≥ f_c(W, H) ≥ lowerBound; the gap is the rounding plus the O(residual) slack of ρ ≈ 1.
    expect(c.lowerBound).not.toBeNull();
    const p = predictMseBias({ n, ...reg });
    expect(c.lowerBound as number).toBeLessThanOrEqual(p.objective + 1e-15);
    expect(r.objective - (c.lowerBound as number)).toBeLessThan(1e-8 * r.objective);
  });
});

describe('the spectral certificate with the mse loss at hand-built points (THEORY.md §1b, §4(a))', () => {
  /** The M = 1 closed-form optimum in d = K: w_k = ‖w_k‖ e_k, h_i = ‖h̄_k‖ e_k for i in class k. */
  function explicitOptimum(n: number[], lambdaW: number, lambdaH: number): { W: Dense; H: Dense } {
    const p = predictMseDeepLinear({ n, lambdaW, lambdaH, layers: 1 });
    const { K, N, labels } = classLayout(n);
    const W = zeros(K, K);
    const H = zeros(K, N);
    p.classes.forEach((c, k) => { W.data[k * K + k] = Math.sqrt(c.wNormSquared); });
    for (let i = 0; i < N; i++) H.data[labels[i] * N + i] = Math.sqrt(p.classes[labels[i]].hNormSquared);
    return { W, H };
  }

  it('ρ = 1 at the closed-form optimum, and its Fenchel bound equals f* (tight)', () => {
    const n = [3, 12, 20, 40];
    const reg = { lambdaW: 3.6e-2, lambdaH: 2.5e-2 };
    const { W, H } = explicitOptimum(n, reg.lambdaW, reg.lambdaH);
    const c = certifyUfm(W, H, classLayout(n), reg, { loss: mse });
    // Along an alive class, ‖G‖₂ = μ exactly (stationarity); rounding of O(1) quantities: 1e-12.
    expect(Math.abs(c.dualNormRatio - 1)).toBeLessThan(1e-12);
    const fStar = predictMseDeepLinear({ n, ...reg, layers: 1 }).objective;
    expect(Math.abs(c.objective - fStar)).toBeLessThan(1e-14);
    expect(Math.abs((c.lowerBound as number) - fStar)).toBeLessThan(1e-14);
  });

  it('at Z = 0: ρ = sqrt(max n_k)/(N sqrt(λ_W λ_H)) (G = Y/N), so 0 is optimal iff max n_k ≤ N² λ_W λ_H (the M = 1 threshold)', () => {
    const n = [2, 3, 5];
    const layout = classLayout(n);
    for (const lambda of [0.1, 0.5]) {
      const c = certifyUfm(zeros(3, 3), zeros(3, 10), layout, { lambdaW: lambda, lambdaH: lambda }, { loss: mse });
      // G = Y/N has orthogonal rows of norms sqrt(n_k)/N: ‖G‖₂ = sqrt(5)/10.
      expect(Math.abs(c.dualNormRatio - Math.sqrt(5) / (10 * lambda))).toBeLessThan(1e-15);
      expect(c.dualNormRatio <= 1).toBe(5 <= 100 * lambda * lambda);
    }
  });
});
