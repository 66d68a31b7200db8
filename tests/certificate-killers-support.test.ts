/**
 * Contracts of the certificate's building blocks (src/certificate/_internals), checked directly
 * against independent computations written here:
 *
 * - classReduction.ts: G̃ (column k = sqrt(n_k) ḡ_k), ‖E‖_F, ‖G‖_F, E Eᵀ, A Aᵀ and G̃ᵀ G̃ against naive
 *   loops, and the identity G Gᵀ = G̃ G̃ᵀ + E Eᵀ of THEORY.md §1b;
 * - negativeGradient.ts: G = −∇L, L and log softmax against a from-scratch softmax; the documented
 *   accuracy for well-classified samples (true-class entry Σ_{k≠y} p_k/N, loss via log1p) and for
 *   logit gaps beyond exp's range; the generic path (MSE) through `loss.evaluate`;
 * - supportEigen.ts: the positive graph G⁺ and its components against a naive definition, βᵀMβ,
 *   and SupportEigen.evaluate against ml-matrix on every support (λ_max(M_SS), the non-negative
 *   eigenvector, the DEGENERACY_GAP rule for `unresolved`, the evaluation count);
 * - candidate.ts: evaluateCandidate's values and refusals (parameter, rule and `got` text).
 *
 * The oracles never call src/ code for the quantity under test.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { evaluateCandidate } from '../src/certificate/_internals/candidate.ts';
import { columnGram, reduceByClass, residualGram, rowGram } from '../src/certificate/_internals/classReduction.ts';
import { negativeGradient } from '../src/certificate/_internals/negativeGradient.ts';
import {
  DEGENERACY_GAP,
  positiveAdjacency,
  positiveComponents,
  quadraticForm,
  SIGN_TOLERANCE,
  SupportEigen,
} from '../src/certificate/_internals/supportEigen.ts';
import type { Dense } from '../src/linalg/dense.ts';
import { crossEntropy } from '../src/loss/crossEntropy.ts';
import { mse } from '../src/loss/mse.ts';
import { classLayout } from '../src/problem/layout.ts';

const rng = seedrandom('certificate-killers-support');
const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
const randomDense = (rows: number, cols: number, scale = 1): Dense => ({ rows, cols, data: Float64Array.from({ length: rows * cols }, () => scale * gauss()) });

/** Entrywise |a − b| ≤ tol. */
function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `entry ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol);
}

describe('classReduction: G = G_c + E, with G̃ and the Grams as defined', () => {
  const n = [1, 3, 2, 5];
  const layout = classLayout(n);
  const K = 4;
  const N = 11;

  /** Class means ḡ_k (K×K, column k) and E = G − G_c, by plain loops over the columns of each class. */
  function naive(G: Dense): { mean: number[][]; E: number[][] } {
    const mean = Array.from({ length: K }, () => new Array<number>(K).fill(0));
    const E = Array.from({ length: K }, () => new Array<number>(N).fill(0));
    let start = 0;
    n.forEach((nk, k) => {
      for (let r = 0; r < K; r++) {
        let s = 0;
        for (let i = start; i < start + nk; i++) s += G.data[r * N + i];
        mean[r][k] = s / nk;
        for (let i = start; i < start + nk; i++) E[r][i] = G.data[r * N + i] - s / nk;
      }
      start += nk;
    });
    return { mean, E };
  }

  // Entries are O(1) sums of ≤ 11 products: rounding ≈ 11 · 2.2e-16 · scale; 1e-13 is ample.
  const TOL = 1e-13;

  it('reduceByClass: G̃[r][k] = sqrt(n_k) ḡ_k[r], ‖E‖_F and ‖G‖_F equal their definitions', () => {
    for (let t = 0; t < 5; t++) {
      const G = randomDense(K, N, 1 + t);
      const { mean, E } = naive(G);
      const red = reduceByClass(G, layout);
      expect(red.Gtilde.length).toBe(K * K);
      for (let r = 0; r < K; r++) for (let k = 0; k < K; k++) expect(Math.abs(red.Gtilde[r * K + k] - Math.sqrt(n[k]) * mean[r][k])).toBeLessThan(TOL * (1 + t));
      const eF = Math.sqrt(E.flat().reduce((s, x) => s + x * x, 0));
      const gF = Math.sqrt(G.data.reduce((s, x) => s + x * x, 0));
      expect(Math.abs(red.residualFrobenius - eF)).toBeLessThan(TOL * (1 + t));
      expect(Math.abs(red.gradientFrobenius - gF)).toBeLessThan(TOL * (1 + t));
    }
  });

  it('reduceByClass: a class-constant G has ‖E‖_F = 0 and ‖G̃‖_F = ‖G‖_F', () => {
    const G = randomDense(K, N);
    const labels = layout.labels;
    for (let r = 0; r < K; r++) for (let i = 0; i < N; i++) G.data[r * N + i] = G.data[r * N + layout.offsets[labels[i]]];
    const red = reduceByClass(G, layout);
    // the mean of equal numbers is that number up to one rounding of the sum/division
    expect(red.residualFrobenius).toBeLessThan(1e-15 * red.gradientFrobenius * N);
    const gtF = Math.sqrt(red.Gtilde.reduce((s, x) => s + x * x, 0));
    expect(Math.abs(gtF - red.gradientFrobenius)).toBeLessThan(TOL);
  });

  it('residualGram = E Eᵀ (every entry, both triangles), and G Gᵀ = G̃ G̃ᵀ + E Eᵀ', () => {
    for (let t = 0; t < 4; t++) {
      const G = randomDense(K, N);
      const { E } = naive(G);
      const want = new Float64Array(K * K);
      for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) for (let i = 0; i < N; i++) want[a * K + b] += E[a][i] * E[b][i];
      const got = residualGram(G, layout);
      expectClose(got, want, TOL);
      const red = reduceByClass(G, layout);
      const GGt = new Float64Array(K * K);
      for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) for (let i = 0; i < N; i++) GGt[a * K + b] += G.data[a * N + i] * G.data[b * N + i];
      const sum = new Float64Array(K * K);
      for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) for (let k = 0; k < K; k++) sum[a * K + b] += red.Gtilde[a * K + k] * red.Gtilde[b * K + k];
      for (let i = 0; i < K * K; i++) sum[i] += got[i];
      expectClose(sum, GGt, TOL);
    }
  });

  it('rowGram = A Aᵀ and columnGram = G̃ᵀ G̃, every entry (both triangles), non-square A included', () => {
    for (const [rows, cols] of [
      [3, 7],
      [5, 2],
      [4, 4],
    ]) {
      const A = randomDense(rows, cols).data;
      const want = new Float64Array(rows * rows);
      for (let a = 0; a < rows; a++) for (let b = 0; b < rows; b++) for (let i = 0; i < cols; i++) want[a * rows + b] += A[a * cols + i] * A[b * cols + i];
      expectClose(rowGram(A, rows, cols), want, TOL);
    }
    for (const k of [2, 3, 5]) {
      const Gt = randomDense(k, k).data;
      const want = new Float64Array(k * k);
      for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) for (let r = 0; r < k; r++) want[a * k + b] += Gt[r * k + a] * Gt[r * k + b];
      expectClose(columnGram(Gt, k), want, TOL);
    }
  });
});

/** (onehot − softmax)/N, L and log softmax from scratch: z − (m + log Σ exp(z − m)), m = column max. */
function ceOracle(Y: Dense, labels: Int32Array): { G: Float64Array; value: number; logP: Float64Array } {
  const { rows: K, cols: N, data: y } = Y;
  const G = new Float64Array(K * N);
  const logP = new Float64Array(K * N);
  let value = 0;
  for (let i = 0; i < N; i++) {
    const z = Array.from({ length: K }, (_, k) => y[k * N + i]);
    const m = Math.max(...z);
    const lse = m + Math.log(z.reduce((s, x) => s + Math.exp(x - m), 0));
    for (let k = 0; k < K; k++) {
      logP[k * N + i] = z[k] - lse;
      G[k * N + i] = ((k === labels[i] ? 1 : 0) - Math.exp(z[k] - lse)) / N;
    }
    value += (lse - z[labels[i]]) / N;
  }
  return { G, value, logP };
}

describe('negativeGradient: G = −∇L(Y), L(Y) and log softmax', () => {
  it('cross-entropy at random logits: G, L and log softmax equal the from-scratch softmax; columns of G sum to 0', () => {
    const layout = classLayout([2, 3, 1, 4]);
    for (let t = 0; t < 5; t++) {
      const Y = randomDense(4, 10, 1 + 2 * t);
      const want = ceOracle(Y, layout.labels);
      const got = negativeGradient(Y, layout, crossEntropy);
      expect(got.G.rows).toBe(4);
      expect(got.G.cols).toBe(10);
      // entries ≤ 1/N, a few roundings each: 1e-15 absolute; L and log p are O(10): 1e-13
      expectClose(got.G.data, want.G, 1e-15);
      expect(Math.abs(got.value - want.value)).toBeLessThan(1e-13);
      expect(got.logSoftmax).not.toBeNull();
      expectClose(got.logSoftmax!, want.logP, 1e-13);
      for (let i = 0; i < 10; i++) expect(Math.abs([0, 1, 2, 3].reduce((s, k) => s + got.G.data[k * 10 + i], 0))).toBeLessThan(1e-16);
    }
  });

  it('cross-entropy with logit gaps of 800 (exp overflows past 709), the six rank orders of (−800, 0, 800): finite and exact', () => {
    // Column i holds a permutation of (−800, 0, 800). Softmax is e_top to all digits: the other
    // probabilities are e^{-800} and e^{-1600}, which underflow to 0 in double precision. So
    // G's column is (e_y − e_top)/N exactly and the sample's loss is 800 − z_y.
    const K = 3;
    const layout = classLayout([2, 2, 2]);
    const N = 6;
    const orders = [
      [-800, 0, 800],
      [-800, 800, 0],
      [0, -800, 800],
      [0, 800, -800],
      [800, -800, 0],
      [800, 0, -800],
    ];
    const Y: Dense = { rows: K, cols: N, data: new Float64Array(K * N) };
    orders.forEach((z, i) => z.forEach((x, k) => (Y.data[k * N + i] = x)));
    const got = negativeGradient(Y, layout, crossEntropy);
    let loss = 0;
    for (let i = 0; i < N; i++) {
      const y = layout.labels[i];
      const top = orders[i].indexOf(800);
      loss += (800 - orders[i][y]) / N;
      for (let k = 0; k < K; k++) {
        const want = ((k === y ? 1 : 0) - (k === top ? 1 : 0)) / N;
        expect(Math.abs(got.G.data[k * N + i] - want), `G[${k}][${i}]`).toBeLessThan(1e-300);
        expect(Math.abs(got.logSoftmax![k * N + i] - (orders[i][k] - 800))).toBeLessThan(1e-12);
      }
    }
    // per-sample losses 0, 800 or 1600 (+ log1p of underflowed terms): L to rounding
    expect(Math.abs(got.value - loss)).toBeLessThan(1e-12 * loss);
  });

  it('cross-entropy, well-classified samples (p_y = 1 − 2e^{−30}): the true-class entry and L keep full relative accuracy', () => {
    // Column i: logit 0 on its own class, −30 on the two others. Then 1 − p_y = 2e^{-30}/(1 + 2e^{-30})
    // ≈ 1.9e-13: computed as 1 − p_y it would carry a relative error ≈ 1e-16/1.9e-13 ≈ 5e-4; the
    // documented formula Σ_{k≠y} p_k keeps ≈ 1e-15. Likewise L = log1p(2e^{-30}) per sample (the
    // column maximum is 0, so max + log1p(…) is not rounded against a large max).
    const K = 3;
    const layout = classLayout([1, 2, 1]);
    const N = 4;
    const Y: Dense = { rows: K, cols: N, data: new Float64Array(K * N).fill(-30) };
    for (let i = 0; i < N; i++) Y.data[layout.labels[i] * N + i] = 0;
    const got = negativeGradient(Y, layout, crossEntropy);
    const q = 2 * Math.exp(-30);
    const trueEntry = q / (1 + q) / N;
    const otherEntry = -Math.exp(-30) / (1 + q) / N;
    for (let i = 0; i < N; i++) {
      for (let k = 0; k < K; k++) {
        const want = k === layout.labels[i] ? trueEntry : otherEntry;
        // relative 1e-14: a handful of roundings of exp/log1p/division
        expect(Math.abs(got.G.data[k * N + i] - want)).toBeLessThanOrEqual(1e-14 * Math.abs(want));
      }
    }
    const loss = Math.log1p(q);
    expect(Math.abs(got.value - loss)).toBeLessThanOrEqual(1e-14 * loss);
  });

  it('another loss (MSE): G = −∇L from loss.evaluate, L its value, no log softmax', () => {
    const layout = classLayout([2, 1, 3]);
    const Y = randomDense(3, 6);
    const got = negativeGradient(Y, layout, mse);
    let loss = 0;
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < 6; i++) {
        const r = Y.data[k * 6 + i] - (layout.labels[i] === k ? 1 : 0);
        loss += (r * r) / 12;
        // ∇L = (Z − onehot)/N: one rounding
        expect(Math.abs(got.G.data[k * 6 + i] + r / 6)).toBeLessThan(1e-16);
      }
    }
    expect(Math.abs(got.value - loss)).toBeLessThan(1e-15);
    expect(got.logSoftmax).toBeNull();
  });
});

describe('positive graph G⁺ of M and its components', () => {
  /** A symmetric K×K matrix with off-diagonal entries of random sign (some exactly 0). */
  function signedMatrix(K: number, pPositive: number): Float64Array {
    const M = new Float64Array(K * K);
    for (let i = 0; i < K; i++) {
      M[i * K + i] = 1 + rng();
      for (let j = i + 1; j < K; j++) {
        const u = rng();
        const x = u < pPositive ? 0.1 + rng() : u < pPositive + 0.1 ? 0 : -0.1 - rng();
        M[i * K + j] = x;
        M[j * K + i] = x;
      }
    }
    return M;
  }

  it('positiveAdjacency[i] has bit j exactly when j ≠ i and M_ij > 0 (no bit ≥ K, no self loop)', () => {
    for (const K of [2, 5, 9]) {
      for (let t = 0; t < 4; t++) {
        const M = signedMatrix(K, 0.4);
        const adj = positiveAdjacency(M, K);
        expect(adj.length).toBe(K);
        for (let i = 0; i < K; i++) {
          let want = 0;
          for (let j = 0; j < K; j++) if (j !== i && M[i * K + j] > 0) want |= 1 << j;
          expect(adj[i], `K = ${K}, row ${i}`).toBe(want);
        }
      }
    }
  });

  it('positiveComponents: a partition of the mask into G⁺-connected parts with no positive edge between parts', () => {
    for (const K of [4, 7, 10]) {
      const M = signedMatrix(K, 0.25);
      const adj = positiveAdjacency(M, K);
      for (let t = 0; t < 40; t++) {
        const mask = Math.floor(rng() * 2 ** K);
        // naive: flood fill over the members of mask with the matrix itself
        const label = new Array<number>(K).fill(-1);
        const want: number[] = [];
        for (let s = 0; s < K; s++) {
          if (!((mask >> s) & 1) || label[s] >= 0) continue;
          let comp = 0;
          const stack = [s];
          label[s] = s;
          while (stack.length > 0) {
            const i = stack.pop()!;
            comp |= 1 << i;
            for (let j = 0; j < K; j++) {
              if (j !== i && (mask >> j) & 1 && label[j] < 0 && M[i * K + j] > 0) {
                label[j] = s;
                stack.push(j);
              }
            }
          }
          want.push(comp);
        }
        const got = positiveComponents(mask, adj);
        expect([...got].sort((a, b) => a - b), `mask ${mask.toString(2)}`).toEqual(want.sort((a, b) => a - b));
      }
    }
  });

  it('positiveComponents reuses `out` (cleared first), and gives [] for the empty mask', () => {
    const M = signedMatrix(5, 1); // all off-diagonals positive: one component
    const adj = positiveAdjacency(M, 5);
    const out = [123, 456, 789];
    expect(positiveComponents(0b10110, adj, out)).toBe(out);
    expect(out).toEqual([0b10110]);
    expect(positiveComponents(0, adj, out)).toEqual([]);
  });

  it('quadraticForm(M, K, β) = βᵀMβ, with zero entries in β', () => {
    for (let t = 0; t < 5; t++) {
      const K = 6;
      const M = signedMatrix(K, 0.5);
      const beta = Array.from({ length: K }, () => (rng() < 0.4 ? 0 : gauss()));
      let want = 0;
      for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) want += beta[i] * M[i * K + j] * beta[j];
      expect(Math.abs(quadraticForm(M, K, beta) - want)).toBeLessThan(1e-13);
    }
  });
});

/** λ_max of M_SS and its eigenvector by ml-matrix, with the second-largest eigenvalue. */
function subEigen(M: Float64Array, K: number, S: number[]): { top: number; second: number; vector: number[] } {
  const eig = new EigenvalueDecomposition(new Matrix(S.map((i) => S.map((j) => M[i * K + j]))), { assumeSymmetric: true });
  const order = eig.realEigenvalues.map((v, i) => [v, i]).sort((a, b) => b[0] - a[0]);
  return { top: order[0][0], second: order.length > 1 ? order[1][0] : -Infinity, vector: eig.eigenvectorMatrix.getColumn(order[0][1]) };
}

/** Σ_k λ_k v_k v_kᵀ for orthogonal v_k (normalised here). */
function spectralMatrix(pairs: [number, number[]][]): Float64Array {
  const K = pairs[0][1].length;
  const M = new Float64Array(K * K);
  for (const [lambda, v] of pairs) {
    const len = Math.hypot(...v);
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) M[i * K + j] += (lambda * v[i] * v[j]) / (len * len);
  }
  return M;
}

/** The contract of SupportResult and `beta` on the support `mask`: λ, and β ≥ 0, unit, zero off S, attaining λ. */
function checkSupport(M: Float64Array, K: number, mask: number, se: SupportEigen, r: { lambda: number; nonnegative: boolean; unresolved: boolean }, scale: number): void {
  const S = Array.from({ length: K }, (_, i) => i).filter((i) => (mask >> i) & 1);
  const o = subEigen(M, K, S);
  // two backward-stable eigen-solvers on the same ≤ 8×8 matrix: ≈ 8 · 2.2e-16 · ‖M‖; 1e-13 is ample
  expect(Math.abs(r.lambda - o.top), `mask ${mask.toString(2)}`).toBeLessThan(1e-13 * scale);
  expect(r.nonnegative && r.unresolved).toBe(false);
  if (r.nonnegative) {
    let norm = 0;
    for (let i = 0; i < K; i++) {
      expect(se.beta[i]).toBeGreaterThanOrEqual(0);
      if (!S.includes(i)) expect(se.beta[i]).toBe(0);
      norm += se.beta[i] ** 2;
    }
    expect(Math.abs(norm - 1)).toBeLessThan(1e-14);
    // β is a top eigenvector up to clipping entries ≥ −SIGN_TOLERANCE: βᵀMβ moves by O(1e-18) (stationary)
    expect(Math.abs(quadraticForm(M, K, se.beta) - r.lambda)).toBeLessThan(1e-12 * scale);
  }
}

describe('SupportEigen.evaluate: λ_max(M_SS) and a non-negative top eigenvector, every support', () => {
  /** A Gram matrix G̃ᵀG̃ (PSD) whose columns have mixed-sign inner products. */
  function gram(K: number): Float64Array {
    const G = Float64Array.from({ length: K * K }, gauss);
    for (let k = 0; k < K; k++) G[k * K + k] += 1.5;
    const M = new Float64Array(K * K);
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) for (let r = 0; r < K; r++) M[i * K + j] += G[r * K + i] * G[r * K + j];
    return M;
  }

  it('random Gram matrices, K = 6: λ equals ml-matrix; `nonnegative` exactly when the (well separated) top eigenvector is one-signed', () => {
    const seenBoth = [0, 0];
    for (let t = 0; t < 4; t++) {
      const K = 6;
      const M = gram(K);
      const scale = Math.max(...Array.from({ length: K }, (_, k) => M[k * K + k]));
      const se = new SupportEigen(M, K);
      for (let mask = 1; mask < 2 ** K; mask++) {
        const before = se.evaluations;
        const r = se.evaluate(mask);
        expect(se.evaluations).toBe(before + 1);
        checkSupport(M, K, mask, se, r, scale);
        const S = Array.from({ length: K }, (_, i) => i).filter((i) => (mask >> i) & 1);
        const o = subEigen(M, K, S);
        // well separated (relative gap > 1e-3, far from DEGENERACY_GAP): ml-matrix's vector is accurate
        // to ≈ 1e-16/1e-3, so its entries decide the sign pattern unless one is within 1e-6 of 0
        if (o.top - o.second > 1e-3 * o.top && o.vector.every((x) => Math.abs(x) > 1e-6)) {
          const oneSigned = o.vector.every((x) => x > 0) || o.vector.every((x) => x < 0);
          expect(r.nonnegative, `mask ${mask.toString(2)}`).toBe(oneSigned);
          expect(r.unresolved).toBe(false);
          seenBoth[oneSigned ? 0 : 1]++;
        }
      }
    }
    // both outcomes occur (else the test proves nothing about one of them)
    expect(seenBoth[0]).toBeGreaterThan(10);
    expect(seenBoth[1]).toBeGreaterThan(10);
  });

  it('a single index: λ = M_ii, β = e_i; counts one evaluation per call', () => {
    const M = Float64Array.from([3, -1, 2, -1, 5, 0.5, 2, 0.5, 4]);
    const se = new SupportEigen(M, 3);
    for (const i of [0, 1, 2]) {
      const r = se.evaluate(1 << i);
      expect(r).toEqual({ lambda: M[i * 3 + i], nonnegative: true, unresolved: false });
      expect(Array.from(se.beta)).toEqual([0, 1, 2].map((j) => (j === i ? 1 : 0)));
    }
    expect(se.evaluations).toBe(3);
  });

  it('entrywise positive M (Perron): every support is solved with a positive β', () => {
    const K = 5;
    const M = spectralMatrix([
      [10, [1, 1.2, 0.9, 1.1, 1]],
      [1, [1, -1, 0, 0, 0]],
      [0.5, [0, 0, 1, -1, 0]],
    ]);
    const se = new SupportEigen(M, K);
    for (let mask = 1; mask < 2 ** K; mask++) {
      const r = se.evaluate(mask);
      checkSupport(M, K, mask, se, r, 10);
      expect(r.nonnegative).toBe(true);
      for (let i = 0; i < K; i++) if ((mask >> i) & 1) expect(se.beta[i]).toBeGreaterThan(0);
    }
    expect(se.evaluations).toBe(2 ** K - 1);
  });
});

describe('SupportEigen: the degenerate top eigenvalue (λ₁ − λ₂ ≤ DEGENERACY_GAP · λ₁) and its eigenspace search', () => {
  // Top eigenspace span{(1, −1, 0, 0), (0, 0, 1, −2)}: it holds no non-zero β ≥ 0 (the first two
  // and the last two coordinates have opposite signs), and the projection of 1 on it is not 0.
  const v1 = [1, -1, 0, 0];
  const v2 = [0, 0, 1, -2];
  const lower: [number, number[]][] = [
    [0.3, [1, 1, 0, 0]],
    [0.1, [0, 0, 2, 1]],
  ];

  for (const lambda of [1e3, 1, 1e-3]) {
    it(`λ = ${lambda}: a gap of 0.5·DEGENERACY_GAP·λ is degenerate and unresolved; a gap of 2·DEGENERACY_GAP·λ is a plain mixed-sign vector`, () => {
      for (const [factor, degenerate] of [
        [0.5, true],
        [2, false],
      ] as const) {
        const M = spectralMatrix([[lambda, v1], [lambda * (1 - factor * DEGENERACY_GAP), v2], ...lower.map(([l, v]): [number, number[]] => [l * lambda, v])]);
        const se = new SupportEigen(M, 4);
        const r = se.evaluate(0b1111);
        // λ to ≈ 1e-15 relative; the ±1e-6 relative gap is resolved 1e9 times over
        expect(Math.abs(r.lambda - lambda)).toBeLessThan(1e-13 * lambda);
        expect(r, `factor ${factor}`).toEqual({ lambda: r.lambda, nonnegative: false, unresolved: degenerate });
      }
    });
  }

  it('eigenspace orthogonal to 1 (the search starts at P_E(1) = 0): unresolved', () => {
    const M = spectralMatrix([
      [2, [1, -1, 0, 0]],
      [2, [0, 0, 1, -1]],
      [0.5, [1, 1, -1, -1]],
      [0.2, [1, 1, 1, 1]],
    ]);
    const r = new SupportEigen(M, 4).evaluate(0b1111);
    expect(r).toEqual({ lambda: r.lambda, nonnegative: false, unresolved: true });
  });

  it('eigenspace w⊥, w = (0.9, 0.3, 0.3, −0.1), P_E(1) has a negative entry: alternating projections find β ≥ 0 in it', () => {
    // M = λ(I − w wᵀ): λ is 3-fold, E = w⊥ ∋ (0.1, 0, 0, 0.9) ≥ 0. P_E(1) = 1 − 1.4 w has entry −0.26.
    for (const lambda of [1e3, 2, 1e-3]) {
      const w = [0.9, 0.3, 0.3, -0.1];
      const M = Float64Array.from({ length: 16 }, (_, idx) => lambda * ((idx % 5 === 0 ? 1 : 0) - w[Math.floor(idx / 4)] * w[idx % 4]));
      const se = new SupportEigen(M, 4);
      const r = se.evaluate(0b1111);
      expect(r).toEqual({ lambda: r.lambda, nonnegative: true, unresolved: false });
      checkSupport(M, 4, 0b1111, se, r, lambda);
      // β ∈ E = w⊥, up to the clipped entries (≤ SIGN_TOLERANCE each)
      expect(Math.abs(se.beta.reduce((s, x, i) => s + x * w[i], 0))).toBeLessThan(4 * SIGN_TOLERANCE);
      // the start P_E(1) itself is not admissible: at least two projection rounds were needed
      expect(1 - 1.4 * w[0]).toBeLessThan(-SIGN_TOLERANCE);
    }
  });

  it('near-degenerate top triple (gaps 1e-8·λ, 2e-8·λ): β ≥ 0 in the 3-dimensional near-top eigenspace; λ₄ far below is not mixed in', () => {
    // eigenvalues λ, λ(1 − 1e-8), λ(1 − 2e-8) on w⊥ as above, and 0.01 λ on w. βᵀMβ ≥ λ(1 − 2e-8).
    for (const lambda of [1e3, 1e-3]) {
      const w = [0.9, 0.3, 0.3, -0.1];
      // an orthonormal basis of w⊥ from Gram–Schmidt on e_1, e_2, e_3
      const basis: number[][] = [];
      for (const e of [0, 1, 2]) {
        const x = [0, 1, 2, 3].map((i): number => (i === e ? 1 : 0));
        for (const b of [w, ...basis]) {
          const d = x.reduce((s, xi, i) => s + xi * b[i], 0) / b.reduce((s, bi) => s + bi * bi, 0);
          for (let i = 0; i < 4; i++) x[i] -= d * b[i];
        }
        basis.push(x);
      }
      const M = spectralMatrix([
        [lambda, basis[0]],
        [lambda * (1 - 1e-8), basis[1]],
        [lambda * (1 - 2e-8), basis[2]],
        [0.01 * lambda, w],
      ]);
      const se = new SupportEigen(M, 4);
      const r = se.evaluate(0b1111);
      expect(r.nonnegative).toBe(true);
      expect(Math.min(...se.beta)).toBeGreaterThanOrEqual(0);
      expect(Math.abs(Math.hypot(...se.beta) - 1)).toBeLessThan(1e-14);
      // attained within the eigenvalue spread 2e-8·λ (plus rounding)
      expect(quadraticForm(M, 4, se.beta)).toBeGreaterThan(lambda * (1 - 3e-8));
    }
  });
});

describe('evaluateCandidate: the candidate’s numbers, and its refusals', () => {
  const n = [2, 3, 1];
  const layout = classLayout(n);
  const reg = { lambdaW: 2e-2, lambdaH: 5e-3 };
  const K = 3;
  const N = 6;
  const d = 4;

  it('logits W H + b 1ᵀ, L, f, the AM–GM bound, ⟨G, Y⟩, μ, λ_b and ‖G 1‖ equal their definitions', () => {
    for (const [bias, lambdaB] of [
      [undefined, undefined],
      [Float64Array.from([0.5, -1, 2]), undefined],
      [Float64Array.from([0.5, -1, 2]), 0],
      [Float64Array.from([0.5, -1, 2]), 0.3],
    ] as const) {
      const W = randomDense(K, d);
      const H: Dense = { rows: d, cols: N, data: Float64Array.from({ length: d * N }, () => Math.abs(gauss())) };
      const options = { ...(bias === undefined ? {} : { bias }), ...(lambdaB === undefined ? {} : { lambdaB }) };
      const c = evaluateCandidate(W, H, layout, reg, options, true);
      const Y = new Float64Array(K * N);
      for (let k = 0; k < K; k++) for (let i = 0; i < N; i++) for (let r = 0; r < d; r++) Y[k * N + i] += W.data[k * d + r] * H.data[r * N + i];
      if (bias !== undefined) for (let k = 0; k < K; k++) for (let i = 0; i < N; i++) Y[k * N + i] += bias[k];
      // O(1) sums of 4 products: 1e-14
      expectClose(c.logits.data, Y, 1e-14);
      const oracle = ceOracle({ rows: K, cols: N, data: Y }, layout.labels);
      expectClose(c.G.data, oracle.G, 1e-15);
      expect(Math.abs(c.lossValue - oracle.value)).toBeLessThan(1e-14);
      const sq = (a: ArrayLike<number>): number => Array.from(a).reduce((s, x) => s + x * x, 0);
      const lb = lambdaB ?? 0;
      const penalty = bias === undefined ? 0 : 0.5 * lb * sq(bias);
      expect(c.lambdaB).toBe(lb);
      expect(Math.abs(c.objective - (oracle.value + 0.5 * reg.lambdaW * sq(W.data) + 0.5 * reg.lambdaH * sq(H.data) + penalty))).toBeLessThan(1e-14);
      const mu = Math.sqrt(reg.lambdaW * reg.lambdaH);
      expect(Math.abs(c.mu - mu)).toBeLessThan(1e-17);
      let factorSum = 0;
      for (let r = 0; r < d; r++) {
        let w = 0;
        let h = 0;
        for (let k = 0; k < K; k++) w += W.data[k * d + r] ** 2;
        for (let i = 0; i < N; i++) h += H.data[r * N + i] ** 2;
        factorSum += Math.sqrt(w) * Math.sqrt(h);
      }
      expect(Math.abs(c.balancedBound - (oracle.value + mu * factorSum + penalty))).toBeLessThan(1e-14);
      // AM–GM: the bound never exceeds f
      expect(c.balancedBound).toBeLessThanOrEqual(c.objective + 1e-15);
      let inner = 0;
      for (let i = 0; i < K * N; i++) inner += oracle.G[i] * Y[i];
      expect(Math.abs(c.innerGY - inner)).toBeLessThan(1e-14);
      if (bias === undefined) expect(c.biasResidual).toBeNull();
      else {
        const rowSums = [0, 1, 2].map((k) => oracle.G.slice(k * N, (k + 1) * N).reduce((s, x) => s + x, 0));
        expect(Math.abs(c.biasResidual! - Math.hypot(...rowSums))).toBeLessThan(1e-15);
      }
      expect(c.lossName).toBe('cross-entropy');
      expect(c.logSoftmax).not.toBeNull();
    }
  });

  it('another loss (MSE) is used when given: its value and gradient, no log softmax', () => {
    const W = randomDense(K, d);
    const H = randomDense(d, N);
    const c = evaluateCandidate(W, H, layout, reg, { loss: mse }, false);
    expect(c.lossName).toBe('mse');
    expect(c.logSoftmax).toBeNull();
    let loss = 0;
    for (let k = 0; k < K; k++) for (let i = 0; i < N; i++) loss += (c.logits.data[k * N + i] - (layout.labels[i] === k ? 1 : 0)) ** 2 / (2 * N);
    expect(Math.abs(c.lossValue - loss)).toBeLessThan(1e-14);
  });

  /** The InputError thrown by f: its parameter, rule and `got` text. */
  function refusal(f: () => unknown): { parameter: string; rule: string; got: string | undefined; message: string } {
    try {
      f();
    } catch (e) {
      const err = e as { name: string; parameter: string; rule: string; got?: string; message: string };
      expect(err.name).toBe('InputError');
      return { parameter: err.parameter, rule: err.rule, got: err.got, message: err.message };
    }
    throw new Error('no refusal');
  }

  it('refusals name the parameter, the rule and what was given', () => {
    const W: Dense = { rows: K, cols: 2, data: new Float64Array(K * 2) };
    const H: Dense = { rows: 2, cols: N, data: new Float64Array(2 * N) };
    const bias = new Float64Array(K);
    const call = (w: Dense, h: Dense, r = reg, options = {}, nonNegative = true) => () => evaluateCandidate(w, h, layout, r, options, nonNegative);
    expect(refusal(call({ rows: 4, cols: 2, data: new Float64Array(8) }, H))).toMatchObject({ parameter: 'W', rule: 'must have K = 3 rows (one per class)', got: 'got 4' });
    expect(refusal(call(W, { rows: 2, cols: 7, data: new Float64Array(14) }))).toMatchObject({ parameter: 'H', rule: 'must have N = 6 columns (one per sample)', got: 'got 7' });
    expect(refusal(call(W, { rows: 3, cols: N, data: new Float64Array(3 * N) }))).toMatchObject({ parameter: 'H', rule: "must have d = 2 rows (W's column count)", got: 'got 3' });
    expect(refusal(call({ ...W, data: W.data.map((_, i) => (i === 3 ? Infinity : 0)) }, H))).toMatchObject({ parameter: 'W', rule: 'every entry must be finite' });
    expect(refusal(call(W, { ...H, data: H.data.map((_, i) => (i === 7 ? NaN : 0)) }))).toMatchObject({ parameter: 'H', rule: 'every entry must be finite' });
    expect(refusal(call(W, H, reg, { bias: new Float64Array(4) }))).toMatchObject({ parameter: 'bias', rule: 'must have K = 3 entries', got: 'got 4' });
    expect(refusal(call(W, H, reg, { bias: Float64Array.from([0, 0, -Infinity]) }))).toMatchObject({ parameter: 'bias', rule: 'every entry must be finite' });
    // H[1][4] = −2 (flat index 10 with N = 6): row 1, column 4
    expect(refusal(call(W, { ...H, data: H.data.map((_, i) => (i === 10 ? -2 : i === 11 ? -3 : 0)) }))).toMatchObject({
      parameter: 'H',
      rule: 'UFM+ features must be entrywise non-negative (H ≥ 0)',
      got: 'got H[1][4] = -2',
    });
    // … but plain UFM accepts negative features
    expect(() => call(W, { ...H, data: H.data.map((_, i) => (i === 10 ? -2 : 0)) }, reg, {}, false)()).not.toThrow();
    expect(refusal(call(W, H, { lambdaW: 1e-2, lambdaH: -1 }))).toMatchObject({ parameter: 'lambdaH', got: 'got -1' });
    expect(refusal(call(W, H, { lambdaW: 0, lambdaH: 1e-2 }))).toMatchObject({ parameter: 'lambdaW', got: 'got 0' });
    expect(refusal(call(W, H, reg, { lambdaB: 0.1 }))).toMatchObject({ parameter: 'lambdaB', rule: 'only applies with a bias' });
    for (const lambdaB of [-1, -Number.MIN_VALUE, NaN, Infinity, -Infinity, '0.5' as unknown as number]) {
      expect(refusal(call(W, H, reg, { bias, lambdaB }))).toMatchObject({ parameter: 'lambdaB', rule: 'must be a finite number ≥ 0 (0 = free bias)', got: `got ${String(lambdaB)}` });
    }
    // λ_b = 0 is allowed: the free bias
    expect(evaluateCandidate(W, H, layout, reg, { bias, lambdaB: 0 }, true).lambdaB).toBe(0);
  });
});

describe('SupportEigen: the documented tolerances, at their edges', () => {
  it('SIGN_TOLERANCE: a top-eigenvector entry of −7e-12 counts as non-negative and is clipped to exactly 0; one of −7e-8 does not', () => {
    // M = I + 2 v vᵀ: top eigenpair (3, v), gap 2, so the computed v is accurate to ≈ 1e-16.
    for (const [tiny, accepted] of [
      [-1e-11, true],
      [-1e-7, false],
    ] as const) {
      const v = [1, 1, tiny].map((x) => x / Math.hypot(1, 1, tiny));
      const M = Float64Array.from({ length: 9 }, (_, idx) => (idx % 4 === 0 ? 1 : 0) + 2 * v[Math.floor(idx / 3)] * v[idx % 3]);
      const se = new SupportEigen(M, 3);
      const r = se.evaluate(0b111);
      expect(Math.abs(r.lambda - 3)).toBeLessThan(1e-14);
      expect(r).toEqual({ lambda: r.lambda, nonnegative: accepted, unresolved: false });
      if (accepted) {
        expect(se.beta[2]).toBe(0);
        checkSupport(M, 3, 0b111, se, r, 3);
      }
    }
  });

  it('DEGENERACY_GAP is inclusive: λ₁ − λ₂ = DEGENERACY_GAP · λ₁ exactly (λ = 10⁶, 10⁶ − 1) is degenerate', () => {
    // M = [[10⁶ − ½, −½], [−½, 10⁶ − ½]]: eigenvalues 10⁶ (vector (1, −1)/√2, mixed) and 10⁶ − 1,
    // both exact in double precision, and fl(1e-6 · 10⁶) = 1. The gap equals the threshold, so the
    // top eigenspace is taken as all of R², which holds (1, 1)/√2 ≥ 0: found, attaining 10⁶ − 1,
    // within the documented gap of λ₁.
    expect(DEGENERACY_GAP * 1e6).toBe(1);
    const M = Float64Array.from([1e6 - 0.5, -0.5, -0.5, 1e6 - 0.5]);
    const se = new SupportEigen(M, 2);
    const r = se.evaluate(0b11);
    expect(r).toEqual({ lambda: 1e6, nonnegative: true, unresolved: false });
    expect(se.beta[0]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(se.beta[1]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(quadraticForm(M, 2, se.beta)).toBeGreaterThanOrEqual(1e6 * (1 - DEGENERACY_GAP));
  });

  it('a degenerate eigenspace with exactly representable vectors, P_E(1) = 0 exactly: unresolved (no β is offered)', () => {
    // Two decoupled blocks [[1, −1], [−1, 1]]: eigenvalue 2 twice, eigenspace span{(1, −1, 0, 0), (0, 0, 1, −1)},
    // orthogonal to 1 and free of non-zero β ≥ 0.
    const M = Float64Array.from([1, -1, 0, 0, -1, 1, 0, 0, 0, 0, 1, -1, 0, 0, -1, 1]);
    const se = new SupportEigen(M, 4);
    se.beta.fill(0.5); // a stale vector that must not be reported
    const r = se.evaluate(0b1111);
    expect(Math.abs(r.lambda - 2)).toBeLessThan(1e-15);
    expect(r).toEqual({ lambda: r.lambda, nonnegative: false, unresolved: true });
  });
});
