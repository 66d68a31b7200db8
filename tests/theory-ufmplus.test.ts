/**
 * Tests of the UFM+ cross-entropy closed form (src/theory/ufmPlusCe.ts, THEORY.md §1).
 * The closed-form fields are checked against independent routes: hand computations, the explicit
 * pair (W, H) evaluated by ufmObjective / matmul / the CE gradient, a naive re-implementation of
 * the formulas away from the threshold, exact BigInt rationals next to it, and a Taylor series.
 */
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { isInputError } from '../src/errors.ts';
import { type Dense, matmul, transpose, zeros } from '../src/linalg/dense.ts';
import { crossEntropy } from '../src/loss/crossEntropy.ts';
import { classMeans } from '../src/metrics/classMeans.ts';
import { classLayout } from '../src/problem/layout.ts';
import { ufmObjective } from '../src/problem/objective.ts';
import {
  classConstants, classifierGram, classifierNorms, classMargins, classMeanNorms, featureGram,
  isCompleteCollapse, minorityCollapseThreshold, optimalObjective, optimalPair, predictUfmPlus, ufmPlusCe,
} from '../src/theory/ufmPlusCe.ts';
import type { UfmInstance } from '../src/theory/types.ts';
import { gramFromBSquared } from '../src/theory/_internals/ufmPlusClosedForm.ts';

const { log, sqrt } = Math;

/** |a − b| ≤ tol · max(|b|, floor): relative with an absolute floor for values near 0. */
function expectClose(a: number, b: number, tol: number, floor = 0): void {
  const scale = Math.max(Math.abs(b), floor);
  if (!(Math.abs(a - b) <= tol * scale)) {
    throw new Error(`expected ${a} ≈ ${b} (tol ${tol} × ${scale}), off by ${Math.abs(a - b)}`);
  }
}

function randomInstance(rng: () => number, dExtra = 0): Required<UfmInstance> {
  const K = 2 + Math.floor(rng() * 7); // 2..8
  const n = Array.from({ length: K }, () => 1 + Math.floor(rng() * 200));
  const logUniform = (lo: number, hi: number) => Math.exp(log(lo) + rng() * (log(hi) - log(lo)));
  return { n, lambdaW: logUniform(1e-4, 3e-2), lambdaH: logUniform(1e-4, 3e-2), d: K + dExtra };
}

/** The seeded instances used by the consistency tests (a fixed, reproducible sample). */
function sampleInstances(seed: string, count: number, dExtra = 0): Required<UfmInstance>[] {
  const rng = seedrandom(seed);
  return Array.from({ length: count }, () => randomInstance(rng, dExtra));
}

// ---------------------------------------------------------------------------------------------
describe('hand-worked values', () => {
  it('K = 2, n = (1, 4), λ_W = 1/15, λ_H = 2/15', () => {
    // N = 5, λ_W λ_H = 2/225, (K−1)/K = 1/2.
    // c_1 = 5 sqrt((2/225)(1/2)/1) = 5/15 = 1/3; c_2 = 5 sqrt((2/225)(1/2)/4) = 1/6.
    // T = 25 · (2/225) · 2 = 4/9 < 1: both alive.
    // s_1 = log(1 · (2/3)/(1/3)) = log 2; s_2 = log((5/6)/(1/6)) = log 5.
    // ‖h̄_k‖² = s_k sqrt(λ_W/(2 λ_H n_k)) = s_k sqrt(1/(4 n_k)): log 2 / 2, log 5 / 4.
    // b_k² = s_k sqrt(λ_H · 2 n_k/λ_W) = s_k sqrt(4 n_k): 2 log 2, 4 log 5.
    // K = 2: ‖w_k‖² = (b_1² + b_2²)/4 = (log 2 + 2 log 5)/2 both, ⟨w_1, w_2⟩ = −(b_1² + b_2²)/4.
    // f* = (1/5)[log(1 + 1/2) + (1/3) log 2] + (4/5)[log(1 + 1/5) + (1/6) log 5].
    // C = sqrt(λ_H · 2/λ_W) = 2.
    const p = predictUfmPlus({ n: [1, 4], lambdaW: 1 / 15, lambdaH: 2 / 15 });
    const tol = 1e-14; // a handful of roundings on each side: ≈ 10 ulp
    expectClose(p.threshold, 4 / 9, tol);
    expect(p.classes.map((c) => c.alive)).toEqual([true, true]);
    expectClose(p.classes[0].c, 1 / 3, tol);
    expectClose(p.classes[1].c, 1 / 6, tol);
    expectClose(p.classes[0].margin, log(2), tol);
    expectClose(p.classes[1].margin, log(5), tol);
    expectClose(p.featureGram[0][0], log(2) / 2, tol);
    expectClose(p.featureGram[1][1], log(5) / 4, tol);
    expectClose(p.classes[0].b ** 2, 2 * log(2), tol);
    expectClose(p.classes[1].b ** 2, 4 * log(5), tol);
    const wn2 = (log(2) + 2 * log(5)) / 2;
    expectClose(p.classifierGram[0][0], wn2, tol);
    expectClose(p.classifierGram[1][1], wn2, tol);
    expectClose(p.classifierGram[0][1], -wn2, tol);
    expectClose(p.objective, (log(1.5) + log(2) / 3) / 5 + (4 / 5) * (log(1.2) + log(5) / 6), tol);
    expectClose(p.alignment.constant, 2, tol);
  });

  it('K = 3, n = (1, 4, 4), λ_W = 1/12, λ_H = 1/18', () => {
    // N = 9, λ_W λ_H = 1/216, (K−1)/K = 2/3. c_k = 9 sqrt((1/216)(2/3)/n_k) = 9 sqrt(1/(324 n_k)) = 1/(2 sqrt(n_k)):
    // c_1 = 1/2, c_2 = c_3 = 1/4. T = 81 · (1/216) · 3/2 = 0.5625 < 1: all alive.
    // s_1 = log(2 (1/2)/(1/2)) = log 2; s_2 = s_3 = log(2 (3/4)/(1/4)) = log 6.
    // ‖h̄_k‖² = s_k sqrt(λ_W 2/(λ_H 3 n_k)) = s_k sqrt(1/n_k): log 2, log 6 / 2, log 6 / 2.
    // b_k² = s_k sqrt(λ_H 3 n_k/(λ_W 2)) = s_k sqrt(n_k): log 2, 2 log 6, 2 log 6; Σ b² = log 2 + 4 log 6.
    // ‖w_1‖² = (4/9) log 2 + (1/9)(4 log 6);  ‖w_2‖² = (4/9)(2 log 6) + (1/9)(log 2 + 2 log 6).
    // ⟨w_1, w_2⟩ = −(1/3)(log 2 + 2 log 6) + (log 2 + 4 log 6)/9 = −(2 log 2 + 2 log 6)/9.
    // ⟨w_2, w_3⟩ = −(1/3)(4 log 6) + (log 2 + 4 log 6)/9 = (log 2 − 8 log 6)/9.
    // f* = (1/9)[log(1 + 2/2) + (1/2) log 2] + (8/9)[log(1 + 2/6) + (1/4) log 6]. C = sqrt((1/18) 3/((1/12) 2)) = 1.
    const p = predictUfmPlus({ n: [1, 4, 4], lambdaW: 1 / 12, lambdaH: 1 / 18 });
    const tol = 1e-14;
    expectClose(p.threshold, 0.5625, tol);
    expect(p.completeCollapse).toBe(false);
    expectClose(p.classes[0].c, 0.5, tol);
    expectClose(p.classes[1].c, 0.25, tol);
    expectClose(p.classes[0].margin, log(2), tol);
    expectClose(p.classes[2].margin, log(6), tol);
    expectClose(p.classes[0].featureNorm ** 2, log(2), tol);
    expectClose(p.classes[1].featureNorm ** 2, log(6) / 2, tol);
    expectClose(p.classifierGram[0][0], (4 * log(2) + 4 * log(6)) / 9, tol);
    expectClose(p.classifierGram[1][1], (10 * log(6) + log(2)) / 9, tol);
    expectClose(p.classifierGram[0][1], -(2 * log(2) + 2 * log(6)) / 9, tol);
    expectClose(p.classifierGram[1][2], (log(2) - 8 * log(6)) / 9, tol);
    expectClose(p.objective, (log(2) + log(2) / 2) / 9 + (8 / 9) * (log(4 / 3) + log(6) / 4), tol);
    expectClose(p.alignment.constant, 1, tol);
  });
});

// ---------------------------------------------------------------------------------------------
describe('the explicit optimal pair reproduces every closed-form field (independent routes)', () => {
  const instances = sampleInstances('ufmplus-pair', 40, 2);

  it('W Wᵀ equals classifierGram, and rows of W sum to 0', () => {
    for (const inst of instances) {
      const p = predictUfmPlus(inst);
      const { W } = optimalPair(inst);
      const G = matmul(W, transpose(W));
      const scale = Math.max(...p.classifierGram.map((r, i) => r[i]), 1e-300);
      // Entries of W carry ≈ 5 ulp; a K-term dot product adds K ulp of Σ|terms| ≤ ‖w_j‖‖w_k‖ ≤ scale:
      // ≤ 20 ulp ≈ 4e-15 of the largest diagonal entry.
      for (let j = 0; j < inst.n.length; j++) {
        for (let k = 0; k < inst.n.length; k++) expectClose(G.data[j * G.cols + k], p.classifierGram[j][k], 1e-14, scale);
      }
      for (let c = 0; c < W.cols; c++) {
        let sum = 0;
        let abs = 0;
        for (let k = 0; k < W.rows; k++) { sum += W.data[k * W.cols + c]; abs += Math.abs(W.data[k * W.cols + c]); }
        expect(Math.abs(sum)).toBeLessThanOrEqual(1e-15 * abs * W.rows); // K terms, ≈ 1 ulp each
      }
    }
  });

  it('class means: collapsed (NC1), orthogonal, norms ‖h̄_k‖, H ≥ 0', () => {
    for (const inst of instances) {
      const p = predictUfmPlus(inst);
      const { H } = optimalPair(inst);
      const layout = classLayout(inst.n);
      expect(H.data.every((x) => x >= 0)).toBe(true);
      const M = classMeans(H, layout);
      const gram = matmul(transpose(M), M);
      for (let j = 0; j < layout.K; j++) {
        for (let k = 0; k < layout.K; k++) {
          // the mean of n_k equal numbers: exact up to n_k roundings of a sum, then squared: ≤ 1e-13 relative
          expectClose(gram.data[j * layout.K + k], p.featureGram[j][k], 1e-13, 1e-300);
        }
      }
    }
  });

  it('logits W h̄_k = s_k (e_k − 1/K): the gap to every other class is s_k', () => {
    for (const inst of instances) {
      const p = predictUfmPlus(inst);
      const { W, H } = optimalPair(inst);
      const layout = classLayout(inst.n);
      const Z = matmul(W, classMeans(H, layout));
      const K = layout.K;
      const sMax = Math.max(...p.classes.map((c) => c.margin));
      for (let k = 0; k < K; k++) {
        for (let j = 0; j < K; j++) {
          const expected = p.classes[k].margin * ((j === k ? 1 : 0) - 1 / K);
          // uses C² n_k ‖h̄_k‖² = b_k² and b_k ‖h̄_k‖ = s_k; ≈ 6 roundings: 1e-14 of the largest margin
          expectClose(Z.data[j * K + k], expected, 1e-14, sMax);
        }
      }
    }
  });

  it('ufmObjective at the pair equals f*', () => {
    for (const inst of instances) {
      const p = predictUfmPlus(inst);
      const { W, H } = optimalPair(inst);
      const f = ufmObjective(W, H, classLayout(inst.n), inst);
      // f sums N ≤ 1600 log-sum-exp terms: accumulated rounding ≤ N ulp ≈ 2e-13 relative
      expectClose(f, p.objective, 1e-12);
    }
  });

  it('the pair satisfies the KKT conditions of min_{W, H ≥ 0} f', () => {
    for (const inst of instances) {
      const layout = classLayout(inst.n);
      const { W, H } = optimalPair(inst);
      const G = zeros(layout.K, layout.N);
      crossEntropy.evaluate(matmul(W, H), layout, G);
      const gW = matmul(G, transpose(H));
      const gH = matmul(transpose(W), G);
      const scale = 1e-13; // gradients are O(1/N)·O(‖W‖) sums of ≤ N terms; 1e-13 absolute is ≫ rounding
      gW.data.forEach((g, i) => expect(Math.abs(g + inst.lambdaW * W.data[i])).toBeLessThanOrEqual(scale));
      gH.data.forEach((g, i) => {
        const total = g + inst.lambdaH * H.data[i];
        if (H.data[i] > 0) expect(Math.abs(total)).toBeLessThanOrEqual(scale);
        else expect(total).toBeGreaterThanOrEqual(-scale); // H = 0: the gradient must not point into H > 0
      });
    }
  });

  it('no random feasible perturbation lowers f (local optimality probe)', () => {
    const rng = seedrandom('ufmplus-perturb');
    for (const inst of instances.slice(0, 15)) {
      const layout = classLayout(inst.n);
      const { W, H } = optimalPair(inst);
      const f0 = ufmObjective(W, H, layout, inst);
      for (let trial = 0; trial < 10; trial++) {
        const t = 1e-3;
        const W1: Dense = { rows: W.rows, cols: W.cols, data: W.data.map((w) => w + t * (2 * rng() - 1)) };
        const H1: Dense = { rows: H.rows, cols: H.cols, data: H.data.map((h) => Math.max(0, h + t * (2 * rng() - 1))) };
        // a first-order error in the closed form would lower f by O(t) = 1e-3 · |∇f|; second-order
        // terms are ≥ 0 at a minimiser. Rounding of f: ≤ 1e-12 relative (as above).
        expect(ufmObjective(W1, H1, layout, inst)).toBeGreaterThanOrEqual(f0 - 1e-12 * f0);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('the scalar problem and a naive re-implementation', () => {
  it('s_k minimises log(1 + (K−1)e^{−s}) + c_k s on s ≥ 0', () => {
    for (const inst of sampleInstances('ufmplus-scalar', 60)) {
      const p = predictUfmPlus(inst);
      const K = p.K;
      for (const cls of p.classes) {
        const derivative = (s: number) => cls.c - (K - 1) / (Math.exp(s) + K - 1);
        if (cls.alive) {
          expect(cls.margin).toBeGreaterThan(0);
          // g'(s_k) = c_k − (K−1)/(e^{s_k} + K − 1): two O(1) terms with ≈ 4 ulp each
          expect(Math.abs(derivative(cls.margin))).toBeLessThanOrEqual(1e-15);
        } else {
          expect(cls.margin).toBe(0);
          expect(derivative(0)).toBeGreaterThanOrEqual(0); // the minimum over s ≥ 0 is at 0
        }
      }
    }
  });

  it('agrees to 1e-12 relative with the formulas of THEORY.md §1 written naively, away from T', () => {
    let compared = 0;
    for (const inst of sampleInstances('ufmplus-naive', 200)) {
      const { n, lambdaW: lw, lambdaH: lh } = inst;
      const K = n.length;
      const N = n.reduce((a, b) => a + b, 0);
      const T = (N * N * lw * lh * K) / (K - 1);
      // the naive margin loses ≈ ulp/|1 − T/n_k| relatively; keep classes with |1 − T/n_k| ≥ 1e-2
      if (n.some((nk) => Math.abs(1 - T / nk) < 1e-2)) continue;
      compared++;
      const c = n.map((nk) => N * sqrt((lw * lh * (K - 1)) / (K * nk)));
      const s = c.map((ck) => (ck < (K - 1) / K ? log(((K - 1) * (1 - ck)) / ck) : 0));
      const h2 = n.map((nk, k) => s[k] * sqrt((lw * (K - 1)) / (lh * K * nk)));
      const b2 = n.map((nk, k) => s[k] * sqrt((lh * K * nk) / (lw * (K - 1))));
      const S = b2.reduce((a, b) => a + b, 0);
      const f = n.reduce((acc, nk, k) => acc + (nk / N) * (log(1 + (K - 1) * Math.exp(-s[k])) + c[k] * s[k]), 0);
      const p = predictUfmPlus(inst);
      const tol = 1e-12; // naive: ≤ 100 ulp / 1e-2 conditioning ≈ 1e-12 worst case
      expectClose(p.threshold, T, tol);
      expectClose(p.objective, f, tol);
      p.classes.forEach((cls, k) => {
        expect(cls.alive).toBe(n[k] > T);
        expectClose(cls.c, c[k], tol);
        expectClose(cls.margin, s[k], tol);
        expectClose(cls.featureNorm ** 2, h2[k], tol);
        expectClose(cls.b ** 2, b2[k], tol);
      });
      const gScale = Math.max(...b2) / K;
      p.classifierGram.forEach((row, j) => row.forEach((g, k) => {
        const expected = j === k ? (1 - 1 / K) ** 2 * b2[j] + (S - b2[j]) / K ** 2 : -(b2[j] + b2[k]) / K + S / K ** 2;
        expectClose(g, expected, tol, gScale);
      }));
    }
    expect(compared).toBeGreaterThan(100);
  });
});

// ---------------------------------------------------------------------------------------------
/** A positive double as an exact rational num/den (BigInt). */
function toRational(x: number): { num: bigint; den: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = exp === 0 ? frac : frac | (1n << 52n);
  const e = (exp === 0 ? 1 : exp) - 1075;
  return e >= 0 ? { num: mant << BigInt(e), den: 1n } : { num: mant, den: 1n << BigInt(-e) };
}

/** a/b (BigInt, b > 0) rounded to a double (to within 1 ulp). */
function ratioToNumber(a: bigint, b: bigint): number {
  if (a === 0n) return 0;
  const neg = a < 0n;
  const abs = neg ? -a : a;
  const shift = BigInt(Math.max(0, 80 + b.toString(2).length - abs.toString(2).length));
  const q = Number((abs << shift) / b) / 2 ** Number(shift);
  return neg ? -q : q;
}

/** δ = 1 − T/n_k = (n_k − T)/n_k exactly from the input doubles, then rounded. */
function exactOneMinusRatio(n: readonly number[], k: number, lw: number, lh: number): number {
  const K = BigInt(n.length);
  const N = BigInt(n.reduce((a, b) => a + b, 0));
  const W = toRational(lw);
  const Hr = toRational(lh);
  const Tnum = N * N * W.num * Hr.num * K;
  const Tden = W.den * Hr.den * (K - 1n);
  const nk = BigInt(n[k]);
  return ratioToNumber(nk * Tden - Tnum, nk * Tden);
}

/**
 * s as a function of δ = 1 − T/n_k by series: q = sqrt(1 − δ) = c_k/c*, e^s = 1 + K(1/q − 1),
 * 1/q − 1 = δ/2 + 3δ²/8 + 5δ³/16 + 35δ⁴/128 + 63δ⁵/256 + O(δ⁶). For δ ≤ 1e-4 the truncation is ≤ 1e-20 relative.
 */
function marginSeries(delta: number, K: number): number {
  const x = delta * (1 / 2 + delta * (3 / 8 + delta * (5 / 16 + delta * (35 / 128 + delta * (63 / 256)))));
  return Math.log1p(K * x);
}

function nextDown(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) - 1n);
  return view.getFloat64(0);
}

function nextUp(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) + 1n);
  return view.getFloat64(0);
}

describe('at, just below and just above the threshold T', () => {
  // K = 3, n = (6, 9, 1), N = 16, λ_W = λ_H = 1/8: T = 256 · (1/64) · 3/2 = 6 exactly in binary.
  const n = [6, 9, 1];

  it('n_k = T exactly: collapsed, margin 0', () => {
    const p = predictUfmPlus({ n, lambdaW: 1 / 8, lambdaH: 1 / 8 });
    expect(p.threshold).toBe(6);
    expect(p.classes.map((c) => c.alive)).toEqual([false, true, false]);
    expect(p.classes[0].margin).toBe(0);
    expect(p.classes[0].featureNorm).toBe(0);
  });

  it('T = 6(1 − 2^-53) (λ_H one ulp below 1/8): alive, s_k from δ = 2^-53 to full precision', () => {
    const lh = nextDown(1 / 8); // = (1/8)(1 − 2^-53), so T/6 = 1 − 2^-53 exactly
    expect(exactOneMinusRatio(n, 0, 1 / 8, lh)).toBe(2 ** -53);
    const p = predictUfmPlus({ n, lambdaW: 1 / 8, lambdaH: lh });
    expect(p.threshold).toBeLessThan(6);
    expect(p.classes[0].alive).toBe(true);
    expectClose(p.classes[0].margin, marginSeries(2 ** -53, 3), 1e-14); // series exact to 1e-30 here
    // the naive formula log((K−1)(1−c)/c) is useless here (kept as a reminder of why the code avoids it)
    const c = p.classes[0].c;
    const naive = log((2 * (1 - c)) / c);
    expect(Math.abs(naive - p.classes[0].margin)).toBeGreaterThan(1e-3 * p.classes[0].margin);
  });

  it('T = 6(1 + 2^-52) (λ_H one ulp above 1/8): collapsed', () => {
    const lh = nextUp(1 / 8);
    expect(exactOneMinusRatio(n, 0, 1 / 8, lh)).toBeLessThan(0);
    const p = predictUfmPlus({ n, lambdaW: 1 / 8, lambdaH: lh });
    expect(p.threshold).toBeGreaterThan(6);
    expect(p.classes[0].alive).toBe(false);
    expect(p.classes[0].margin).toBe(0);
  });

  it('random instances within 1e-5 of T: alive agrees with exact arithmetic, s_k with the series', () => {
    const rng = seedrandom('ufmplus-near-threshold');
    let alive = 0;
    let dead = 0;
    for (let trial = 0; trial < 300; trial++) {
      const K = 2 + Math.floor(rng() * 7);
      const big = rng() < 0.3; // some instances with N up to 1e7
      const n = Array.from({ length: K }, () => 1 + Math.floor(rng() * (big ? 2e6 : 500)));
      const k0 = Math.floor(rng() * K);
      const N = n.reduce((a, b) => a + b, 0);
      const lw = Math.exp(log(1e-6) + rng() * log(1e4));
      const eta = (rng() < 0.5 ? -1 : 1) * Math.exp(log(1e-15) + rng() * log(1e10)); // |η| ∈ [1e-15, 1e-5]
      const lh = ((n[k0] * (K - 1)) / (N * N * lw * K)) * (1 + eta);
      const delta = exactOneMinusRatio(n, k0, lw, lh);
      const p = predictUfmPlus({ n, lambdaW: lw, lambdaH: lh });
      const cls = p.classes[k0];
      if (delta > 0) {
        alive++;
        expect(cls.alive).toBe(true);
        // δ ≤ 1e-4: the series is exact to 1e-20; the code's route: ≈ 10 ulp relative
        expectClose(cls.margin, marginSeries(delta, K), 1e-13);
      } else {
        dead++;
        expect(cls.alive).toBe(false);
        expect(cls.margin).toBe(0);
      }
    }
    expect(alive).toBeGreaterThan(50);
    expect(dead).toBeGreaterThan(50);
  });

  it('f* and ‖w_k‖ are continuous through T (no jump at n_k = T)', () => {
    // on the alive side the margin is ≈ K δ/2 → 0 and f's class term → log K
    const lh = nextDown(1 / 8);
    const a = predictUfmPlus({ n, lambdaW: 1 / 8, lambdaH: lh });
    const b = predictUfmPlus({ n, lambdaW: 1 / 8, lambdaH: 1 / 8 });
    expectClose(a.objective, b.objective, 1e-14);
    a.classes.forEach((c, k) => expectClose(c.classifierNorm, b.classes[k].classifierNorm, 1e-6));
  });
});

describe('classifier Gram entries under cancellation', () => {
  it('each entry is within 2 ulp of (Σ_m b_m² − K b_j² − K b_k²)/K² evaluated exactly (BigInt)', () => {
    const rng = seedrandom('ufmplus-gram-exact');
    for (let trial = 0; trial < 200; trial++) {
      const K = 3 + Math.floor(rng() * 4);
      const bSq = Array.from({ length: K }, () => rng() * 10);
      // make entry (0, 1) cancel: b_2² ≈ K(b_0² + b_1²) − Σ_{m ∉ {0,1,2}} b_m² − b_0² − b_1² (to a few ulp)
      const others = bSq.slice(3).reduce((a, b) => a + b, 0);
      bSq[2] = (K - 1) * (bSq[0] + bSq[1]) - others;
      if (bSq[2] <= 0) continue;
      const G = gramFromBSquared(bSq);
      const r = bSq.map(toRational);
      const den = r.reduce((a, x) => (a > x.den ? a : x.den), 1n); // all dens are powers of 2: the largest is a common one
      const num = r.map((x) => x.num * (den / x.den));
      const S = num.reduce((a, b) => a + b, 0n);
      const KB = BigInt(K);
      for (let j = 0; j < K; j++) {
        for (let k = 0; k < K; k++) {
          const exactNum = j === k ? S + KB * (KB - 2n) * num[j] : S - KB * num[j] - KB * num[k];
          const exact = ratioToNumber(exactNum, den * KB * KB);
          // 1 rounding of the numerator, 1 of the division, 1 of ratioToNumber: ≤ 3 half-ulps
          expect(Math.abs(G[j][k] - exact)).toBeLessThanOrEqual(2 * Number.EPSILON * Math.abs(exact));
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('structural claims of THEORY.md §1', () => {
  it('balanced n: equal norms, W rows a simplex ETF (cosine −1/(K−1), rows summing to 0)', () => {
    for (const K of [2, 3, 5, 10]) {
      const p = predictUfmPlus({ n: Array(K).fill(30), lambdaW: 1e-3, lambdaH: 2e-3 });
      const d0 = p.classifierGram[0][0];
      const h0 = p.featureGram[0][0];
      for (let j = 0; j < K; j++) {
        expectClose(p.featureGram[j][j], h0, 1e-15);
        expectClose(p.classifierGram[j][j], d0, 1e-15);
        let rowSum = 0;
        for (let k = 0; k < K; k++) {
          rowSum += p.classifierGram[j][k];
          if (k !== j) expectClose(p.classifierGram[j][k] / d0, -1 / (K - 1), 1e-14);
        }
        expect(Math.abs(rowSum)).toBeLessThanOrEqual(1e-14 * d0 * K);
      }
    }
  });

  it('Gram rows sum to 0 for any n (Σ_k w_k = 0)', () => {
    for (const inst of sampleInstances('ufmplus-rowsum', 30)) {
      const G = predictUfmPlus(inst).classifierGram;
      const scale = Math.max(...G.map((r, i) => r[i]));
      for (const row of G) expect(Math.abs(row.reduce((a, b) => a + b, 0))).toBeLessThanOrEqual(1e-14 * scale * row.length);
    }
  });

  it('complete collapse: f* = log K, W = H = 0, all Grams 0', () => {
    const inst = { n: [1, 2, 3], lambdaW: 1, lambdaH: 1, d: 4 }; // T = 36 · 3/2 = 54 ≥ every n_k
    const p = predictUfmPlus(inst);
    expect(p.completeCollapse).toBe(true);
    expect(isCompleteCollapse(inst.n, 1, 1)).toBe(true);
    expect(p.objective).toBe(log(3));
    expect(p.classifierGram.flat().every((x) => x === 0)).toBe(true);
    expect(p.featureGram.flat().every((x) => x === 0)).toBe(true);
    const { W, H } = optimalPair(inst);
    expect(W.data.every((x) => x === 0) && H.data.every((x) => x === 0)).toBe(true);
    expect(ufmObjective(W, H, classLayout(inst.n), inst)).toBeCloseTo(log(3), 15);
  });

  it('minority collapse: collapsed classes share one classifier row', () => {
    const inst = { n: [2, 3, 50, 80], lambdaW: 1e-2, lambdaH: 1e-2, d: 4 }; // T = 135² 1e-4 · 4/3 = 2.43
    const p = predictUfmPlus(inst);
    expect(p.classes.map((c) => c.alive)).toEqual([false, true, true, true]);
    const inst2 = { ...inst, n: [2, 2, 50, 80] }; // T = 2.378: two collapsed classes
    const { W } = optimalPair(inst2);
    const p2 = predictUfmPlus(inst2);
    expect(p2.classes.map((c) => c.alive)).toEqual([false, false, true, true]);
    expect(Array.from(W.data.subarray(0, 4))).toEqual(Array.from(W.data.subarray(4, 8)));
    expect(p2.classifierGram[0][0]).toBe(p2.classifierGram[0][1]);
  });

  it('‖w_k‖ is non-decreasing in n_k; for K = 2 the two norms are equal', () => {
    for (const inst of sampleInstances('ufmplus-order', 40)) {
      const p = predictUfmPlus(inst);
      const order = p.classes.map((c, k) => k).sort((a, b) => p.classes[a].n - p.classes[b].n);
      for (let i = 1; i < order.length; i++) {
        const lo = p.classes[order[i - 1]].classifierNorm;
        const hi = p.classes[order[i]].classifierNorm;
        expect(hi).toBeGreaterThanOrEqual(lo * (1 - 1e-15));
      }
      if (p.K === 2) expectClose(p.classes[0].classifierNorm, p.classes[1].classifierNorm, 1e-15);
    }
  });

  it('‖h̄_k‖ is unimodal in n_k: K = 5, N = 1000, λ = 1e-3 peaks at the integer n_k = 5', () => {
    // THEORY.md §1: threshold n = 1.25, real peak n ≈ 4.58, integer argmax 5. ‖h̄_1‖ depends on n only
    // through n_1 and N, so the other classes absorb the rest (N fixed).
    const norms: number[] = [];
    for (let n1 = 1; n1 <= 60; n1++) {
      const rest = 1000 - n1;
      const n = [n1, Math.floor(rest / 4), Math.floor(rest / 4), Math.floor(rest / 4), rest - 3 * Math.floor(rest / 4)];
      norms.push(classMeanNorms(n, 1e-3, 1e-3)[0]);
    }
    const argmax = norms.indexOf(Math.max(...norms)) + 1;
    expect(argmax).toBe(5);
    for (let i = 1; i < 60; i++) {
      if (i + 1 <= argmax) expect(norms[i]).toBeGreaterThan(norms[i - 1]);
      else expect(norms[i]).toBeLessThan(norms[i - 1]);
    }
  });

  it('permuting the classes permutes every output', () => {
    const rng = seedrandom('ufmplus-perm');
    for (const inst of sampleInstances('ufmplus-perm-inst', 20)) {
      const K = inst.n.length;
      const perm = Array.from({ length: K }, (_, k) => k).sort(() => rng() - 0.5);
      const p = predictUfmPlus(inst);
      const q = predictUfmPlus({ ...inst, n: perm.map((k) => inst.n[k]) });
      // per-class fields are computed class by class (bit-identical); sums over classes are accumulated
      // in double-double in another order, which can move the final rounding by 1 ulp
      expectClose(q.objective, p.objective, 1e-15);
      const scale = Math.max(...p.classifierGram.map((r, i) => r[i]));
      perm.forEach((k, i) => {
        const { classifierNorm, ...rest } = q.classes[i];
        const { classifierNorm: expectedNorm, ...expectedRest } = p.classes[k];
        expect(rest).toEqual(expectedRest);
        expectClose(classifierNorm, expectedNorm, 1e-15);
        perm.forEach((l, j) => expectClose(q.classifierGram[i][j], p.classifierGram[k][l], 1e-15, scale));
      });
    }
  });

  it('the exported helpers agree with predictUfmPlus and ufmPlusCe.predict', () => {
    const inst = { n: [10, 10, 40, 40], lambdaW: 5e-3, lambdaH: 5e-3 };
    const p = predictUfmPlus(inst);
    const args = [inst.n, inst.lambdaW, inst.lambdaH] as const;
    expect(ufmPlusCe.name).toBe('ufm-plus-ce');
    expect(ufmPlusCe.predict(inst)).toEqual(p);
    expect(minorityCollapseThreshold(...args)).toBe(p.threshold);
    expect(classConstants(...args)).toEqual(p.classes.map((c) => c.c));
    expect(classMargins(...args)).toEqual(p.classes.map((c) => c.margin));
    expect(classMeanNorms(...args)).toEqual(p.classes.map((c) => c.featureNorm));
    expect(classifierNorms(...args)).toEqual(p.classes.map((c) => c.classifierNorm));
    expect(classifierGram(...args)).toEqual(p.classifierGram);
    expect(featureGram(...args)).toEqual(p.featureGram);
    expect(optimalObjective(...args)).toBe(p.objective);
    expect(isCompleteCollapse(...args)).toBe(false);
    // THEORY.md §2 instance: T = 1/3, all four classes alive
    expect(p.classes.every((c) => c.alive)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
describe('extreme but valid inputs stay finite and accurate', () => {
  it('N = 1e7 and λ = 1e-12: margins match the log form log(K−1) + log1p(−c) − log c', () => {
    for (const n of [[1, 1e7 - 1], [5e6, 3e6, 2e6], [1, 2, 3, 9_999_994]]) {
      for (const [lw, lh] of [[1e-12, 1e-12], [1e-12, 1e-3], [1e-8, 1e-12]]) {
        const p = predictUfmPlus({ n, lambdaW: lw, lambdaH: lh });
        const K = n.length;
        expect(Number.isFinite(p.objective) && p.objective > 0).toBe(true);
        p.classes.forEach((cls) => {
          for (const v of [cls.c, cls.margin, cls.featureNorm, cls.b, cls.classifierNorm]) expect(Number.isFinite(v)).toBe(true);
          if (!cls.alive) return;
          // c ≤ 0.1 here, so this route has no cancellation: ≈ 5 ulp of a value ≥ 1
          const logForm = log(K - 1) + Math.log1p(-cls.c) - log(cls.c);
          expectClose(cls.margin, logForm, 1e-14);
          // ‖h̄_k‖² b_k² = s_k² (independent of the sqrt factors' rounding up to ≈ 8 ulp)
          expectClose(cls.featureNorm * cls.b, cls.margin, 1e-14);
        });
      }
    }
  });

  it('λ_W λ_H far below 1e-300 (T underflows): margins still finite and correct', () => {
    const p = predictUfmPlus({ n: [3, 5], lambdaW: 1e-200, lambdaH: 1e-160 });
    expect(p.threshold).toBe(0);
    const K = 2;
    // c_k = N sqrt(λ_W λ_H/(2 n_k)) ≈ 1e-180: s_k = log((K−1)/c_k) + log1p(−c_k) ≈ −log c_k
    p.classes.forEach((cls) => {
      const logC = log(8) + 0.5 * (log(1e-200) + log(1e-160) - log(2 * cls.n));
      expectClose(cls.margin, log(K - 1) - logC, 1e-13);
      expect(Number.isFinite(cls.featureNorm) && Number.isFinite(cls.b)).toBe(true);
    });
    expect(p.objective).toBeGreaterThan(0);
    expect(p.objective).toBeLessThan(1e-170);
  });
});

// ---------------------------------------------------------------------------------------------
describe('invalid inputs throw InputError naming the parameter', () => {
  const good = { n: [10, 40], lambdaW: 1e-2, lambdaH: 1e-2, d: 2 };
  const cases: [string, UfmInstance, string][] = [
    ['n_k = 0', { ...good, n: [10, 0] }, 'n'],
    ['n_k < 0', { ...good, n: [-1, 5] }, 'n'],
    ['n_k non-integer', { ...good, n: [1.5, 5] }, 'n'],
    ['n_k NaN', { ...good, n: [NaN, 5] }, 'n'],
    ['n_k Infinity', { ...good, n: [Infinity, 5] }, 'n'],
    ['K = 1', { ...good, n: [10] }, 'n'],
    ['empty n', { ...good, n: [] }, 'n'],
    ['λ_W = 0', { ...good, lambdaW: 0 }, 'lambdaW'],
    ['λ_W < 0', { ...good, lambdaW: -1e-3 }, 'lambdaW'],
    ['λ_W NaN', { ...good, lambdaW: NaN }, 'lambdaW'],
    ['λ_W Infinity', { ...good, lambdaW: Infinity }, 'lambdaW'],
    ['λ_H = 0', { ...good, lambdaH: 0 }, 'lambdaH'],
    ['λ_H NaN', { ...good, lambdaH: NaN }, 'lambdaH'],
    ['λ_H Infinity', { ...good, lambdaH: Infinity }, 'lambdaH'],
    ['d < K', { ...good, d: 1 }, 'd'],
    ['d non-integer', { ...good, d: 2.5 }, 'd'],
    ['d NaN', { ...good, d: NaN }, 'd'],
  ];

  function expectInputError(fn: () => unknown, parameter: string): void {
    let thrown: unknown;
    try { fn(); } catch (e) { thrown = e; }
    expect(isInputError(thrown)).toBe(true);
    expect((thrown as { parameter: string }).parameter).toBe(parameter);
  }

  it.each(cases)('%s', (_label, inst, parameter) => {
    expectInputError(() => predictUfmPlus(inst), parameter);
    expectInputError(() => optimalPair(inst), parameter);
    if (parameter !== 'd') {
      for (const fn of [minorityCollapseThreshold, classConstants, classMargins, classMeanNorms, classifierNorms,
        classifierGram, featureGram, optimalObjective, isCompleteCollapse]) {
        expectInputError(() => fn(inst.n, inst.lambdaW, inst.lambdaH), parameter);
      }
    }
  });

  it('optimalPair without d', () => {
    expectInputError(() => optimalPair({ n: [1, 2], lambdaW: 1, lambdaH: 1 }), 'd');
  });
});
