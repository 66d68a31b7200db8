/**
 * Mutation killers for the Fenchel lower bound and the certificates' glue (issue #8, area "bound"):
 * src/certificate/lowerBound.ts, src/certificate/_internals/fenchel.ts, src/certificate/ufmPlus.ts,
 * src/certificate/ufm.ts.
 *
 * What is checked, each against an oracle written here from the documented formulas (never against
 * values copied from a run):
 * - crossEntropyLowerBound equals (1/N) Σ_i Entropy(q_i) with q_i = r_i/s + (1 − 1/s) e_{c_i},
 *   s = max(1, dual/μ), r_i = p_i or, with a free bias, the mixed α p_i + (1 − α) c/N of the module
 *   comment, minus ‖G 1‖²/(2 λ_b s²) with a regularised bias; the K×K reduction handed to
 *   collapsedDualNormUpper is the documented one; the log-domain evaluation survives logit gaps of
 *   10³ and 10³⁰⁸ (p = 0 and p = 1 exactly);
 * - genericLowerBound's formula (and its doc example);
 * - validity f* ≥ lowerBound on the bias-only problem whose optimum is known in closed form
 *   (W = H = 0, b = log n: f* = Entropy(n/N)), for both certificates with a free bias;
 * - certifyUfm / certifyUfmPlus with a free bias: lowerBound equals the formula with the dual norms
 *   computed independently (ml-matrix SVD for ‖·‖₂, enumeration of supports for Ω°);
 * - fenchel.ts's dual norms of a reduction; the null lower bound for a non-CE loss with a free bias;
 *   the `bound` label, the node budget and the decision mode of certifyUfmPlus.
 */
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { orthantDualNormOfReduction, spectralDualNormOfReduction } from '../src/certificate/_internals/fenchel.ts';
import { crossEntropyLowerBound, genericLowerBound } from '../src/certificate/lowerBound.ts';
import { certifyUfm } from '../src/certificate/ufm.ts';
import { maxOrthantRayleigh } from '../src/certificate/orthantRayleigh.ts';
import { certifyUfmPlus } from '../src/certificate/ufmPlus.ts';
import type { Dense } from '../src/linalg/dense.ts';
import { mse } from '../src/loss/mse.ts';
import { classLayout } from '../src/problem/layout.ts';

const rng = seedrandom('certificate-killers-bound');
const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());

/**
 * Every bound below is O(log K) ≤ 3 and is a sum of N ≤ 40 terms, each computed to a few ulps, by
 * the code and by the oracle along different routes (log-softmax + log1p vs plain softmax + log):
 * the two differ by ≈ 1e-15; 1e-12 absolute leaves a factor 1000 of margin and is far below the
 * effect of any change to a formula (≥ 1e-4 on these instances).
 */
const ROUNDING = 1e-12;

const dense = (rows: number, cols: number, f: (r: number, c: number) => number): Dense => {
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[r * cols + c] = f(r, c);
  return { rows, cols, data };
};

/** Column softmax of a K×N logit matrix, written from scratch (max shift, plain exp/sum). p[i][k]. */
function softmaxColumns(Y: Dense): number[][] {
  const { rows: K, cols: N, data } = Y;
  const out: number[][] = [];
  for (let i = 0; i < N; i++) {
    const col = Array.from({ length: K }, (_, k) => data[k * N + i]);
    const m = Math.max(...col);
    const e = col.map((y) => Math.exp(y - m));
    const z = e.reduce((a, b) => a + b, 0);
    out.push(e.map((x) => x / z));
  }
  return out;
}

const entropy = (q: readonly number[]): number => -q.reduce((a, x) => a + (x > 0 ? x * Math.log(x) : 0), 0);

/** The documented mixing: α = min(1, min_j n_j/P_j), c = (n − α P)/(1 − α) clipped at 0, rescaled to Σ c = N. */
function mixing(p: number[][], n: readonly number[]): { alpha: number; c: number[] } {
  const K = n.length;
  const N = p.length;
  const P = Array.from({ length: K }, (_, k) => p.reduce((a, pi) => a + pi[k], 0));
  const alpha = Math.min(1, ...n.map((nk, k) => nk / P[k]));
  if (alpha >= 1) return { alpha: 1, c: new Array<number>(K).fill(0) };
  const c = n.map((nk, k) => Math.max(0, (nk - alpha * P[k]) / (1 - alpha)));
  const sum = c.reduce((a, b) => a + b, 0);
  return { alpha, c: c.map((x) => (x * N) / sum) };
}

/** The documented K×K reduction of the collapsed matrix: R[r][k] = sqrt(n_k)(c_r/N − δ_rk)/N. */
function collapsedReductionOracle(c: readonly number[], n: readonly number[]): number[][] {
  const N = n.reduce((a, b) => a + b, 0);
  return c.map((cr, r) => n.map((nk, k) => (Math.sqrt(nk) * (cr / N - (r === k ? 1 : 0))) / N));
}

/** The full K×N collapsed matrix C of the module comment (class-k columns (c/N − e_k)/N). */
function collapsedMatrix(c: readonly number[], n: readonly number[]): number[][] {
  const N = n.reduce((a, b) => a + b, 0);
  const labels = n.flatMap((nk, k) => new Array<number>(nk).fill(k));
  return c.map((cr, r) => labels.map((k) => (cr / N - (r === k ? 1 : 0)) / N));
}

const frobenius = (A: readonly (readonly number[])[]): number => Math.sqrt(A.flat().reduce((a, x) => a + x * x, 0));

interface OracleOptions {
  /** Free bias: Ω°(C) (or ‖C‖₂) of the K×N collapsed matrix C, as the oracle's dual-norm bound. */
  collapsed?: (C: number[][]) => number;
  regularised?: { lambdaB: number; residual: number };
}

/** The cross-entropy Fenchel bound of lowerBound.ts's module comment, in plain arithmetic. */
function ceBoundOracle(Y: Dense, n: readonly number[], mu: number, dualNormUpper: number, options: OracleOptions = {}): number {
  const p = softmaxColumns(Y);
  const N = p.length;
  const labels = n.flatMap((nk, k) => new Array<number>(nk).fill(k));
  let alpha = 1;
  let c: number[] = [];
  let dual = dualNormUpper;
  if (options.collapsed !== undefined && options.regularised === undefined) {
    ({ alpha, c } = mixing(p, n));
    if (alpha < 1) dual = alpha * dualNormUpper + (1 - alpha) * options.collapsed(collapsedMatrix(c, n));
  }
  const s = Math.max(1, dual / mu);
  let total = 0;
  for (let i = 0; i < N; i++) {
    const r = p[i].map((pik, k) => (alpha < 1 ? alpha * pik + ((1 - alpha) * c[k]) / N : pik));
    const q = r.map((x) => x / s);
    q[labels[i]] = 1 - r.reduce((a, x, k) => a + (k === labels[i] ? 0 : x), 0) / s;
    total += entropy(q);
  }
  const bias = options.regularised;
  return total / N - (bias === undefined ? 0 : bias.residual ** 2 / (2 * bias.lambdaB * s * s));
}

/** Log-softmax of the columns of Y (K×N row-major), from the oracle softmax. */
const logSoftmaxOracle = (Y: Dense): Float64Array => {
  const p = softmaxColumns(Y);
  return Float64Array.from({ length: Y.rows * Y.cols }, (_, j) => Math.log(p[j % Y.cols][Math.floor(j / Y.cols)]));
};

const randomLogits = (K: number, N: number, scale: number): Dense => dense(K, N, () => scale * gauss());

describe('crossEntropyLowerBound equals the documented entropy formula (no bias)', () => {
  const n = [3, 5, 4];
  const layout = classLayout(n);

  it('with s = 1 and s > 1, with and without a precomputed log-softmax', () => {
    for (let t = 0; t < 6; t++) {
      const Y = randomLogits(3, 12, [0.3, 2, 6][t % 3]);
      for (const [mu, dual] of [
        [1, 0.2], // s = 1: the bound is the mean entropy of the p_i
        [0.05, 0.2], // s = 4
        [0.1, 0.35], // s = 3.5
      ]) {
        const want = ceBoundOracle(Y, n, mu, dual);
        expect(Math.abs(crossEntropyLowerBound({ logits: Y, layout, mu, dualNormUpper: dual }) - want)).toBeLessThan(ROUNDING);
        const given = crossEntropyLowerBound({ logits: Y, layout, mu, dualNormUpper: dual, logSoftmax: logSoftmaxOracle(Y) });
        expect(Math.abs(given - want)).toBeLessThan(ROUNDING);
        expect(Math.abs(crossEntropyLowerBound({ logits: Y, layout, mu, dualNormUpper: dual, logSoftmax: null }) - want)).toBeLessThan(ROUNDING);
      }
    }
  });

  it('the doc example: Z = 0, every n_k ≤ T: the bound is log K', () => {
    const Y = dense(3, 6, () => 0);
    expect(Math.abs(crossEntropyLowerBound({ logits: Y, layout: classLayout([2, 2, 2]), mu: 1, dualNormUpper: 0.1 }) - Math.log(3))).toBeLessThan(1e-15);
  });

  it('logit gaps of 800 in every position of the maximum (log-sum-exp about the column maximum, no overflow)', () => {
    // exp(800) overflows: any normaliser not taken about the true column maximum gives ±∞ or NaN.
    const big = 800;
    const cols = [
      [0, 1, big], // (class 0) the first entry above the class-0 one is not the column maximum
      [big, 0, -5],
      [0, big, 3],
      [1, -2, big],
      [-big, 0.5, -1],
      [2, big, big - 1],
    ];
    const m = [2, 2, 2];
    const Y = dense(3, 6, (k, i) => cols[i][k]);
    for (const [mu, dual] of [
      [1, 0.1],
      [0.1, 0.3],
    ]) {
      const got = crossEntropyLowerBound({ logits: Y, layout: classLayout(m), mu, dualNormUpper: dual });
      expect(Number.isFinite(got)).toBe(true);
      expect(Math.abs(got - ceBoundOracle(Y, m, mu, dual))).toBeLessThan(ROUNDING);
    }
  });

  it('p = 0 and p = 1 exactly (logits ±1e308, log-softmax −∞): 0·log 0 counts as 0, the bound is finite', () => {
    // Both samples put all mass on class 0; sample 0 is of class 0 (q = e_0: entropy 0), sample 1 of
    // class 1 (q = (1/s, 1 − 1/s): entropy 0 at s = 1, log 2 at s = 2).
    const Y = dense(2, 2, (k) => (k === 0 ? 1e308 : -1e308));
    const layout2 = classLayout([1, 1]);
    expect(crossEntropyLowerBound({ logits: Y, layout: layout2, mu: 1, dualNormUpper: 0.5 })).toBe(0);
    expect(Math.abs(crossEntropyLowerBound({ logits: Y, layout: layout2, mu: 1, dualNormUpper: 2 }) - Math.log(2) / 2)).toBeLessThan(1e-15);
  });
});

describe('crossEntropyLowerBound with a bias', () => {
  const n = [2, 3, 4, 3];
  const layout = classLayout(n);
  const N = 12;

  it('free bias off bias-stationarity: the mixed q and the collapsed reduction are the documented ones', () => {
    for (let t = 0; t < 6; t++) {
      const Y = randomLogits(4, N, [0.7, 1.5, 3][t % 3]);
      const p = softmaxColumns(Y);
      const { alpha, c } = mixing(p, n);
      expect(alpha).toBeLessThan(0.999); // random logits are far from Σ_i p_i = n: the mixing matters
      const R = collapsedReductionOracle(c, n);
      for (const [mu, dual] of [
        [1, 0.2], // s = 1: only the mixed q matter
        [0.02, 0.1], // s > 1: the collapsed dual norm enters s too
      ]) {
        const seen: Float64Array[] = [];
        const got = crossEntropyLowerBound({
          logits: Y,
          layout,
          mu,
          dualNormUpper: dual,
          collapsedDualNormUpper: (reduction) => {
            seen.push(Float64Array.from(reduction));
            return Math.sqrt(reduction.reduce((a, x) => a + x * x, 0)); // ‖C‖_F = ‖R‖_F ≥ Ω°(C): a valid bound
          },
        });
        expect(seen.length).toBe(1);
        expect(seen[0].length).toBe(16);
        // c is computed from the p's to ≈ 1e-15 N/(1 − α); R = O(1/N): 1e-12 is ample
        for (let r = 0; r < 4; r++) for (let k = 0; k < 4; k++) expect(Math.abs(seen[0][r * 4 + k] - R[r][k])).toBeLessThan(1e-12);
        const want = ceBoundOracle(Y, n, mu, dual, { collapsed: frobenius });
        // s = (α dual + (1 − α)‖C‖_F)/μ > 1 with μ = 0.02, so a wrong mixture moves the bound visibly
        expect(Math.abs(got - want)).toBeLessThan(ROUNDING);
      }
    }
  });

  it('at a bias-stationary point (Σ_i p_i = n exactly, α = 1) the collapsed bound is not used: even +∞ leaves the bias-free bound', () => {
    // Z = 0 with balanced classes: p_i = 1/K exactly (K = 2, 4: powers of two), P = n, α = 1.
    for (const m of [
      [2, 2],
      [4, 4, 4, 4],
    ]) {
      const lay = classLayout(m);
      const Y = dense(m.length, lay.N, () => 0);
      const bound = crossEntropyLowerBound({ logits: Y, layout: lay, mu: 1, dualNormUpper: 0.1, collapsedDualNormUpper: () => Infinity });
      expect(Math.abs(bound - Math.log(m.length))).toBeLessThan(1e-15);
    }
  });

  it('regularised bias: no mixing (the collapsed bound is ignored) and ‖G 1‖²/(2 λ_b s²) is subtracted', () => {
    const never = (): number => {
      throw new Error('collapsedDualNormUpper must be ignored with a regularised bias');
    };
    for (let t = 0; t < 4; t++) {
      const Y = randomLogits(4, N, 2);
      for (const [mu, dual] of [
        [1, 0.5], // s = 1
        [0.1, 0.3], // s = 3
      ]) {
        const regularisedBias = { lambdaB: 0.05, residual: 0.1 + 0.2 * rng() };
        const got = crossEntropyLowerBound({ logits: Y, layout, mu, dualNormUpper: dual, collapsedDualNormUpper: never, regularisedBias });
        expect(Math.abs(got - ceBoundOracle(Y, n, mu, dual, { regularised: regularisedBias }))).toBeLessThan(ROUNDING);
      }
    }
  });
});

describe('genericLowerBound: (L + ⟨G, Y⟩)/s − ‖G 1‖²/(2 λ_b s²), s = max(1, dual/μ)', () => {
  it('the doc example and its s = 1 counterpart', () => {
    expect(genericLowerBound(0.5, 0.1, 0.02, 0.01)).toBeCloseTo(0.3, 15); // s = 2
    expect(genericLowerBound(0.5, 0.1, 0.005, 0.01)).toBeCloseTo(0.6, 15); // s = 1
  });

  it('with a regularised bias', () => {
    // s = 4: 0.8/4 − 0.3²/(2 · 0.5 · 16) = 0.2 − 0.005625
    expect(genericLowerBound(0.6, 0.2, 0.4, 0.1, { lambdaB: 0.5, residual: 0.3 })).toBeCloseTo(0.2 - 0.09 / 16, 15);
    // s = 1: 0.8 − 0.09
    expect(genericLowerBound(0.6, 0.2, 0.04, 0.1, { lambdaB: 0.5, residual: 0.3 })).toBeCloseTo(0.8 - 0.09, 15);
  });
});

describe('validity: the bound never exceeds f* on the bias-only problem (f* = Entropy(n/N) in closed form)', () => {
  // λ_W = λ_H = 1: at (W, H) = 0 with b = log n every softmax is n/N, G 1 = 0 and Ω°(G) ≤ ‖G‖_F ≤ 1/√N·√2
  // < μ = 1, so (0, 0, log n) is a global minimiser of the (jointly convex) F with a free bias, for the
  // UFM+ and the plain UFM alike: f* = L = Entropy(n/N). Off the optimum the bound must stay below it.
  const n = [2, 7, 4];
  const N = 13;
  const layout = classLayout(n);
  const reg = { lambdaW: 1, lambdaH: 1 };
  const fStar = entropy(n.map((nk) => nk / N));

  it('at b = 0 (uniform softmax, far from Σ p = n) and at random (W, H, b), both certificates', () => {
    const points: { W: Dense; H: Dense; bias: Float64Array }[] = [{ W: dense(3, 2, () => 0), H: dense(2, N, () => 0), bias: new Float64Array(3) }];
    for (let t = 0; t < 6; t++) {
      const scale = [0.1, 0.5, 1.5][t % 3];
      points.push({
        W: dense(3, 2, () => scale * gauss()),
        H: dense(2, N, () => scale * Math.abs(gauss())),
        bias: Float64Array.from({ length: 3 }, () => 2 * gauss()),
      });
    }
    for (const { W, H, bias } of points) {
      for (const c of [certifyUfmPlus(W, H, layout, reg, { bias }), certifyUfm(W, H, layout, reg, { bias })]) {
        expect(c.lowerBound!).toBeLessThanOrEqual(fStar + ROUNDING);
      }
    }
  });
});

/** G = (onehot − p)/N as a K×N matrix of rows, from the oracle softmax. */
function negativeGradientRows(Y: Dense, n: readonly number[]): number[][] {
  const p = softmaxColumns(Y);
  const labels = n.flatMap((nk, k) => new Array<number>(nk).fill(k));
  const N = labels.length;
  return Array.from({ length: Y.rows }, (_, k) => p.map((pi, i) => ((labels[i] === k ? 1 : 0) - pi[k]) / N));
}

const spectralNorm = (A: number[][]): number => new SingularValueDecomposition(new Matrix(A), { computeLeftSingularVectors: false, computeRightSingularVectors: false, autoTranspose: true }).diagonal[0];

/**
 * Ω°(C) = max_{v ≥ 0, ‖v‖ = 1} ‖C v‖ for a K×N matrix whose columns are constant within classes: the
 * max over supports S of λ_max(R_Sᵀ R_S) with a one-signed eigenvector (R the K×K reduction), by
 * enumeration of all 2^K − 1 supports (ml-matrix eigen-solver).
 */
function orthantDualNormOracle(R: number[][]): number {
  const K = R.length;
  const M = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => R.reduce((a, row) => a + row[i] * row[j], 0)));
  let best = 0;
  for (let mask = 1; mask < 2 ** K; mask++) {
    const S = Array.from({ length: K }, (_, i) => i).filter((i) => (mask >> i) & 1);
    const eig = new EigenvalueDecomposition(new Matrix(S.map((i) => S.map((j) => M[i][j]))), { assumeSymmetric: true });
    const values = eig.realEigenvalues;
    const top = values.indexOf(Math.max(...values));
    const v = eig.eigenvectorMatrix.getColumn(top);
    const sign = v.reduce((a, b) => a + b, 0) >= 0 ? 1 : -1;
    if (v.every((x) => sign * x >= -1e-12)) best = Math.max(best, values[top]);
  }
  return Math.sqrt(best);
}

describe('fenchel.ts: dual norms of a collapsed matrix given by its K×K reduction', () => {
  it('spectralDualNormOfReduction = ‖R‖₂ and orthantDualNormOfReduction = Ω°, both exact for K ≤ 6', () => {
    for (let t = 0; t < 8; t++) {
      const K = 2 + (t % 5);
      const R = Array.from({ length: K }, () => Array.from({ length: K }, gauss));
      const flat = Float64Array.from(R.flat());
      // eigenvalues of the K×K Gram to ≈ 1e-15 K ‖R‖²: 1e-12 relative on the norm is ample
      const s = spectralNorm(R);
      expect(Math.abs(spectralDualNormOfReduction(flat) - s)).toBeLessThan(1e-12 * s);
      // the K×K search is exact to 1e-10 relative on Ω°² for K ≤ 12 (orthantRayleigh.ts): 1e-10 on Ω°
      const w = orthantDualNormOracle(R);
      expect(Math.abs(orthantDualNormOfReduction(flat) - w)).toBeLessThan(1e-10 * w);
    }
  });

  it('a zero reduction has dual norm 0', () => {
    expect(spectralDualNormOfReduction(new Float64Array(9))).toBe(0);
  });
});

describe('certificates with a free bias: lowerBound is the formula with independently computed dual norms', () => {
  const n = [3, 6, 2, 5];
  const N = 16;
  const layout = classLayout(n);
  // μ = 0.02 makes s = dual/μ > 1 at these points, so both dual norms enter the bound
  const reg = { lambdaW: 0.02, lambdaH: 0.02 };
  const mu = 0.02;

  it('certifyUfm: dual = ‖G‖₂, collapsed = ‖C‖₂ (SVD)', () => {
    for (let t = 0; t < 4; t++) {
      const W = dense(4, 3, () => gauss());
      const H = dense(3, N, () => gauss());
      const bias = Float64Array.from({ length: 4 }, gauss);
      const cert = certifyUfm(W, H, layout, reg, { bias });
      const Y = dense(4, N, (k, i) => H.data.reduce((a, _, j) => (j < 3 ? a + W.data[k * 3 + j] * H.data[j * N + i] : a), 0) + bias[k]);
      const G = negativeGradientRows(Y, n);
      const U = spectralNorm(G);
      expect(Math.abs(cert.dualNormRatio * mu - U)).toBeLessThan(1e-12 * U);
      const want = ceBoundOracle(Y, n, mu, U, { collapsed: spectralNorm });
      // dual norms agree to ≈ 1e-15 relative; s = O(10): the bound moves by ≈ 1e-14
      expect(Math.abs(cert.lowerBound! - want)).toBeLessThan(1e-10);
      expect(cert.optimalityGap).toBe(cert.objective - cert.lowerBound!);
    }
  });

  it('certifyUfmPlus: dual = the certificate’s proven upper bound, collapsed = Ω°(C) (enumeration)', () => {
    for (let t = 0; t < 4; t++) {
      const W = dense(4, 3, () => gauss());
      const H = dense(3, N, () => Math.abs(gauss()));
      const bias = Float64Array.from({ length: 4 }, gauss);
      const cert = certifyUfmPlus(W, H, layout, reg, { bias });
      const Y = dense(4, N, (k, i) => H.data.reduce((a, _, j) => (j < 3 ? a + W.data[k * 3 + j] * H.data[j * N + i] : a), 0) + bias[k]);
      const U = cert.dualNormRatioUpper * mu;
      const want = ceBoundOracle(Y, n, mu, U, { collapsed: (C) => orthantDualNormOracle(collapsedReductionFromMatrix(C, n)) });
      // Ω°(C) is exact to 1e-10 relative (K = 4 ≤ 12: enumeration); s = O(10): ≤ 1e-9 on the bound
      expect(Math.abs(cert.lowerBound! - want)).toBeLessThan(1e-8);
    }
  });
});

/** The K×K reduction of a class-constant K×N matrix: column k = sqrt(n_k) × (class-k column). */
function collapsedReductionFromMatrix(C: number[][], n: readonly number[]): number[][] {
  const offsets = n.map((_, k) => n.slice(0, k).reduce((a, b) => a + b, 0));
  return C.map((row) => n.map((nk, k) => Math.sqrt(nk) * row[offsets[k]]));
}

describe('a non-CE loss with a free bias has no lower bound (fenchel.ts, certificates)', () => {
  it('MSE, free bias: lowerBound and optimalityGap are null for both certificates; with λ_b > 0 they are not', () => {
    const layout = classLayout([2, 3]);
    const W = dense(2, 2, () => gauss());
    const H = dense(2, 5, () => Math.abs(gauss()));
    const bias = Float64Array.from([0.3, -0.2]);
    const reg = { lambdaW: 0.1, lambdaH: 0.1 };
    for (const c of [certifyUfmPlus(W, H, layout, reg, { loss: mse, bias }), certifyUfm(W, H, layout, reg, { loss: mse, bias })]) {
      expect(c.lowerBound).toBeNull();
      expect(c.optimalityGap).toBeNull();
    }
    for (const c of [certifyUfmPlus(W, H, layout, reg, { loss: mse, bias, lambdaB: 0.1 }), certifyUfm(W, H, layout, reg, { loss: mse, bias, lambdaB: 0.1 })]) {
      expect(c.lowerBound).not.toBeNull();
      expect(c.optimalityGap).toBe(c.objective - c.lowerBound!);
    }
  });
});

/** A candidate whose H columns are equal within each class (so G is collapsed), W ~ scale·N(0, 1), H ≥ 0. */
function collapsedCandidate(n: readonly number[], d: number, scale: number): { W: Dense; H: Dense; Y: Dense } {
  const K = n.length;
  const N = n.reduce((a, b) => a + b, 0);
  const labels = n.flatMap((nk, k) => new Array<number>(nk).fill(k));
  const W = dense(K, d, () => scale * gauss());
  const hc = Array.from({ length: K }, () => Array.from({ length: d }, () => Math.abs(gauss())));
  const H = dense(d, N, (r, i) => hc[labels[i]][r]);
  const Y = dense(K, N, (k, i) => hc[labels[i]].reduce((a, h, r) => a + W.data[k * d + r] * h, 0));
  return { W, H, Y };
}

/** M = G̃ᵀG̃ (K×K, row-major) for a collapsed G: G̃'s column k is sqrt(n_k) × the class-k column of G. */
function classGram(Y: Dense, n: readonly number[]): Float64Array {
  const R = collapsedReductionFromMatrix(negativeGradientRows(Y, n), n);
  const K = n.length;
  return Float64Array.from({ length: K * K }, (_, j) => R.reduce((a, row) => a + row[Math.floor(j / K)] * row[j % K], 0));
}

describe('certifyUfmPlus: exact search by default, decision mode with decideAt, the `bound` label', () => {
  const reg = { lambdaW: 1e-2, lambdaH: 1e-2 };
  const mu = 1e-2;
  // K = 13, 14: above the enumeration limit (12), so exactness rests on the branch and bound closing
  const hard = [0, 1, 2].map((t) => {
    const n = Array.from({ length: 13 + (t % 2) }, () => 1 + Math.floor(rng() * 3));
    return { n, ...collapsedCandidate(n, 4, 2) };
  });

  it('without decideAt: exact whenever maxOrthantRayleigh (default options) is exact on the class Gram, with the same ρ', () => {
    for (const { n, W, H, Y } of hard) {
      const c = certifyUfmPlus(W, H, classLayout(n), reg);
      const r = maxOrthantRayleigh(classGram(Y, n), n.length);
      expect(r.exact).toBe(true); // the premise (these instances close at once, ≈ 50 eigenproblems)
      expect(c.collapsed).toBe(true);
      expect(c.exact).toBe(true);
      expect(c.bound).toBe('exact');
      // both are the maximum to 1e-10 relative on Ω°² (orthantRayleigh.ts): 1e-9 on ρ is ample
      expect(Math.abs(c.dualNormRatio - Math.sqrt(r.value) / mu)).toBeLessThan(1e-9 * c.dualNormRatio);
    }
  });

  it('decideAt far below ρ: the search stops once the incumbent beats the level, with fewer eigenproblems than the exact search', () => {
    for (const { n, W, H, Y } of hard) {
      const rho = Math.sqrt(maxOrthantRayleigh(classGram(Y, n), n.length).value) / mu;
      const exact = certifyUfmPlus(W, H, classLayout(n), reg);
      const decided = certifyUfmPlus(W, H, classLayout(n), reg, { decideAt: 0.5 * rho });
      expect(decided.dualNormRatio).toBeGreaterThan(0.5 * rho);
      expect(decided.search.nodes).toBeLessThan(exact.search.nodes);
      expect(decided.bound).toBe(decided.exact ? 'exact' : 'lower');
    }
  });

  it('decideAt just above / below ρ with μ = 2 (the level is decideAt·μ in units of Ω°): the bracket decides', () => {
    const reg2 = { lambdaW: 2, lambdaH: 2 };
    for (let t = 0; t < 4; t++) {
      const n = [3, 5, 2, 4, 6].slice(0, 4 + (t % 2));
      const { W, H, Y } = collapsedCandidate(n, 3, 1.5);
      // ρ from the exhaustive oracle over supports, independent of src/
      const rho = orthantDualNormOracle(collapsedReductionFromMatrix(negativeGradientRows(Y, n), n)) / 2;
      // ±1e-4 relative: far above the 1e-10 accuracy of the search, far below the gap ‖G̃‖₂ − Ω° here
      const above = certifyUfmPlus(W, H, classLayout(n), reg2, { decideAt: rho * (1 + 1e-4) });
      expect(above.dualNormRatioUpper).toBeLessThanOrEqual(rho * (1 + 1e-4));
      const below = certifyUfmPlus(W, H, classLayout(n), reg2, { decideAt: rho * (1 - 1e-4) });
      expect(below.dualNormRatio).toBeGreaterThan(rho * (1 - 1e-4));
    }
  });

  it('`bound` is "lower" exactly when the certificate is not exact (a candidate far from collapse)', () => {
    const n = [3, 4, 5];
    const W = dense(3, 2, () => 2 * gauss());
    const H = dense(2, 12, () => Math.abs(gauss()));
    const c = certifyUfmPlus(W, H, classLayout(n), reg);
    expect(c.collapsed).toBe(false);
    expect(c.exact).toBe(c.dualNormRatioUpper - c.dualNormRatio <= 1e-9 * c.dualNormRatioUpper);
    expect(c.exact).toBe(false); // the premise: within-class spread makes the bracket loose here
    expect(c.bound).toBe('lower');
  });
});
