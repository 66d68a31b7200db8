/**
 * The per-epoch paper checks (src/metrics/paperChecks.ts, src/train/paperMetrics.ts) at the exact
 * UFM+ optimum of THEORY.md §1 (where each must read its ideal value) and away from it (where
 * each must move), so none of them can pass vacuously.
 */
import { describe, expect, it } from 'vitest';
import { type Dense, matmul, zeros } from '../src/linalg/dense.ts';
import { ncMetrics } from '../src/metrics/nc.ts';
import { centredRows, classifierCentring, nearestCentreAgreement, orderAgreement } from '../src/metrics/paperChecks.ts';
import { classLayout } from '../src/problem/layout.ts';
import { featureGram, optimalPair, predictUfmPlus } from '../src/theory/ufmPlusCe.ts';
import { paperMetrics, type TheoryTargets } from '../src/train/paperMetrics.ts';
import { seededNormal } from '../src/train/seeded.ts';

const n = [5, 5, 10, 10, 15, 15, 20, 20, 25, 25];
const lambdaW = 5e-3;
const lambdaH = 5e-4;
const d = 16;
const layout = classLayout(n);
const prediction = predictUfmPlus({ n, lambdaW, lambdaH, d });
const theory: TheoryTargets = {
  margins: prediction.classes.map((c) => c.margin),
  classMeanNorms: prediction.classes.map((c) => c.featureNorm),
  classifierNorms: prediction.classes.map((c) => c.classifierNorm),
  classMeanGram: featureGram(n, lambdaW, lambdaH),
};
const checks = (W: Dense, H: Dense) => paperMetrics(H, layout, W, matmul(W, H), ncMetrics(H, layout, W), theory);
/** float64 on O(1)–O(10) numbers through a few sums and square roots: 1e-9 leaves 6 orders above rounding. */
const EXACT = 1e-9;

describe('paper checks at the UFM+ optimum (THEORY.md §1)', () => {
  it('read their ideal values: NC2 = NC3 = centring = 0, margins = s_k, norms exact, order 1, NC4 = 1', () => {
    expect(prediction.classes.every((c) => c.alive)).toBe(true);
    const { W, H } = optimalPair({ n, lambdaW, lambdaH, d });
    const p = checks(W, H);
    for (const v of [p.nc2, p.nc3, p.nc3Centred, p.classifierCentring, p.marginRelativeError, p.classMeanNormRelativeError, p.classifierNormRelativeError, p.classifierNormRelativeErrorCentred]) {
      expect(v).toBeLessThan(EXACT);
    }
    expect(p.classMeanNormOrder).toBe(1);
    expect(p.nc4).toBe(1);
    expect(p.minClassifierAlignmentCentred).toBeGreaterThan(1 - EXACT);
  });

  it('a common vector added to every row of W shows in the raw metrics only: centring, NC3 and norms move; the centred ones, margins and NC4 do not', () => {
    const { W, H } = optimalPair({ n, lambdaW, lambdaH, d });
    const shift = seededNormal(d, 0.3, 'paper-metrics', 'shift');
    const Ws: Dense = { ...W, data: W.data.map((x, i) => x + shift[i % d]) };
    const p = checks(Ws, H);
    expect(p.classifierCentring).toBeGreaterThan(0.5);
    expect(p.nc3).toBeGreaterThan(0.05);
    expect(p.classifierNormRelativeError).toBeGreaterThan(0.05);
    expect(p.nc3Centred).toBeLessThan(EXACT);
    expect(p.classifierNormRelativeErrorCentred).toBeLessThan(EXACT);
    expect(p.marginRelativeError).toBeLessThan(EXACT);
    expect(p.nc4).toBe(1);
    expect(classifierCentring(centredRows(Ws))).toBeLessThan(EXACT);
  });

  it('margins, NC2 and the norm order move when the features do', () => {
    const { W, H } = optimalPair({ n, lambdaW, lambdaH, d });
    // class 9's features scaled by 1.5 and given a component along class 0's coordinate
    const H2: Dense = { ...H, data: Float64Array.from(H.data) };
    for (let i = layout.offsets[9]; i < layout.N; i++) {
      H2.data[9 * layout.N + i] *= 1.5;
      H2.data[0 * layout.N + i] = 0.5;
    }
    const p = checks(W, H2);
    expect(p.marginRelativeError).toBeGreaterThan(0.1);
    expect(p.nc2).toBeGreaterThan(0.01);
    expect(p.classMeanNormRelativeError).toBeGreaterThan(0.4);
    expect(p.classMeanNormOrder).toBeLessThan(1);
  });
});

describe('paperChecks building blocks', () => {
  it('classifier centring is ≈ √K for random rows (scale-free) and 0 for centred ones', () => {
    const K = 10;
    const W: Dense = { rows: K, cols: 256, data: Float64Array.from(seededNormal(K * 256, 7, 'paper-metrics', 'random-W')) };
    // ‖Σ w_k‖² / mean ‖w_k‖² → K for independent rows; with d = 256 its relative spread is ≈ sqrt(2/d) ≈ 9 %, so ±25 % on the root is > 4σ
    expect(classifierCentring(W) / Math.sqrt(K)).toBeGreaterThan(0.75);
    expect(classifierCentring(W) / Math.sqrt(K)).toBeLessThan(1.25);
    expect(classifierCentring(centredRows(W))).toBeLessThan(1e-12);
    expect(classifierCentring(zeros(3, 4))).toBe(0);
  });

  it('NC4 counts disagreements between the classifier and the nearest class mean', () => {
    // two classes on the line: means at 0 and 2; a classifier that puts the boundary at 1.5
    const H: Dense = { rows: 1, cols: 4, data: Float64Array.from([0, 1.2, 1.8, 2]) };
    const Hbar: Dense = { rows: 1, cols: 2, data: Float64Array.from([0, 2]) };
    const logits: Dense = { rows: 2, cols: 4, data: Float64Array.from([...[0, 1.2, 1.8, 2].map((h) => 1.5 - h), ...[0, 1.2, 1.8, 2].map((h) => h - 1.5)]) };
    // nearest centre: 0, 1, 1, 1; classifier: 0, 0, 1, 1 → 3 of 4 agree
    expect(nearestCentreAgreement(logits, H, Hbar)).toBe(0.75);
  });

  it('order agreement compares size-group means, skipping pairs the prediction ties', () => {
    expect(orderAgreement([1, 2, 3], [0.1, 0.2, 0.3], [10, 20, 30])).toBe(1);
    expect(orderAgreement([3, 2, 1], [0.1, 0.2, 0.3], [10, 20, 30])).toBe(0);
    expect(orderAgreement([1, 3, 2], [0.1, 0.3, 0.2], [10, 20, 30])).toBe(1); // unimodal
    expect(orderAgreement([1, 2, 3], [0.1, 0.3, 0.2], [10, 20, 30])).toBeCloseTo(2 / 3, 15);
    expect(orderAgreement([5, 1], [0.2, 0.2], [10, 20])).toBe(1);
  });
});
