/**
 * Tests written for mutants of src/certificate that survived `npm run test:mutation`
 * (docs/mutation.md). They check what the certificate promises (THEORY.md §1b) against values
 * known independently of it: the closed-form optimal value f* of THEORY.md §1 (weak duality
 * lowerBound ≤ f* at every candidate, near and far from the optimum; tightness at the optimum), the
 * free/regularised-bias problem on balanced classes (whose optimum is the bias-free one with b ∝ 1),
 * and an exhaustive oracle for the orthant Rayleigh quotient (honest `upper`, exact `value`).
 */
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { maxOrthantRayleigh } from '../src/certificate/orthantRayleigh.ts';
import { certifyUfm } from '../src/certificate/ufm.ts';
import { certifyUfmPlus, isCertified } from '../src/certificate/ufmPlus.ts';
import type { Dense } from '../src/linalg/dense.ts';
import { classLayout } from '../src/problem/layout.ts';
import { optimalObjective, optimalPair } from '../src/theory/ufmPlusCe.ts';

const rng = seedrandom('certificate-mutation-killers');
const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());

/** (W, H) perturbed: W by ε·N(0,1) entries, H by ε|N(0,1)| (kept ≥ 0), relative to their scale. */
function perturb(W: Dense, H: Dense, eps: number): { W: Dense; H: Dense } {
  const scale = (A: Dense): number => Math.max(1e-3, Math.max(...A.data.map(Math.abs)));
  const sw = scale(W);
  const sh = scale(H);
  return {
    W: { ...W, data: W.data.map((x) => x + eps * sw * gauss()) },
    H: { ...H, data: H.data.map((x) => Math.max(0, x + eps * sh * gauss())) },
  };
}

/**
 * Rounding allowance of the bound and of f* (both ≈ 1e-16 relative per operation over N samples and
 * K classes); 1e-12 absolute is far above it and far below the effect of any change to a formula.
 */
const ROUNDING = 1e-12;

const INSTANCES = [
  { n: [10, 10, 40, 40], lambdaW: 5e-3, lambdaH: 5e-3 }, // two classes collapse (T = 1/3 · 100 ·…)
  { n: [3, 8, 5, 12], lambdaW: 4e-3, lambdaH: 4e-3 }, // all alive
  { n: [5, 10, 20, 40, 80], lambdaW: 1e-2, lambdaH: 1e-2 }, // minority collapse
  { n: [4, 6], lambdaW: 1, lambdaH: 1 }, // complete collapse
];

describe('Fenchel lower bound against the closed-form f* (UFM+, no bias)', () => {
  for (const inst of INSTANCES) {
    const layout = classLayout(inst.n);
    const K = inst.n.length;
    const fStar = optimalObjective(inst.n, inst.lambdaW, inst.lambdaH);

    it(`n = (${inst.n}): tight at the explicit optimum, and the certificate says so`, () => {
      const { W, H } = optimalPair({ ...inst, d: K + 1 });
      const c = certifyUfmPlus(W, H, layout, inst);
      expect(Math.abs(c.objective - fStar)).toBeLessThan(ROUNDING);
      expect(Math.abs(c.lowerBound! - fStar)).toBeLessThan(1e-10);
      expect(c.optimalityGap!).toBeLessThan(1e-10);
      expect(c.exact).toBe(true);
      expect(c.bound).toBe('exact');
      expect(isCertified(c)).toBe(true);
    });

    it(`n = (${inst.n}): never above f* at perturbed points (ε from 1e-6 to 1), and the gap closes as ε → 0`, () => {
      const { W, H } = optimalPair({ ...inst, d: K + 1 });
      let previousGap = Infinity;
      for (const eps of [1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-6]) {
        const p = perturb(W, H, eps);
        const c = certifyUfmPlus(p.W, p.H, layout, inst);
        expect(c.lowerBound!).toBeLessThanOrEqual(fStar + ROUNDING);
        expect(c.objective).toBeGreaterThanOrEqual(fStar - ROUNDING);
        expect(c.optimalityGap!).toBeGreaterThanOrEqual(c.objective - fStar - ROUNDING);
        previousGap = Math.min(previousGap, c.optimalityGap!);
      }
      // at ε = 1e-6 the gap is O(ε) (first-order stationarity of both f and the bound): 1e-4 is ample
      expect(previousGap).toBeLessThan(1e-4);
    });
  }

  it('certifyUfm (plain UFM) at random points: the bound never exceeds the UFM+ optimum f* (f*_UFM ≤ f*_UFM+), and it is a lower bound of f', () => {
    const inst = INSTANCES[1];
    const layout = classLayout(inst.n);
    const fStarPlus = optimalObjective(inst.n, inst.lambdaW, inst.lambdaH);
    for (let t = 0; t < 10; t++) {
      const { W, H } = optimalPair({ ...inst, d: 5 });
      const p = perturb(W, H, 10 ** (-t / 2));
      const c = certifyUfm(p.W, { ...p.H, data: p.H.data.map((x) => x * (rng() < 0.3 ? -1 : 1)) }, layout, inst);
      expect(c.lowerBound!).toBeLessThanOrEqual(fStarPlus + ROUNDING);
      expect(c.lowerBound!).toBeLessThanOrEqual(c.objective + ROUNDING);
    }
  });
});

describe('Fenchel lower bound with a bias, on balanced classes (the bias-free optimum with b ∝ 1 is optimal)', () => {
  // Balanced n: at the bias-free optimum Σ_i p_i = n (symmetry), so G 1 = 0 and b = 0 (or any
  // b = t·1, logits being shift invariant) is optimal for the free and the regularised bias alike
  // (regularised: only b = 0). Hence f*_bias = f*, and the bound must stay ≤ f* everywhere.
  const n = [15, 15, 15, 15];
  const inst = { n, lambdaW: 3e-3, lambdaH: 3e-3 };
  const layout = classLayout(n);
  const fStar = optimalObjective(n, inst.lambdaW, inst.lambdaH);
  const { W, H } = optimalPair({ ...inst, d: 5 });

  for (const lambdaB of [undefined, 0.05]) {
    const name = lambdaB === undefined ? 'free bias' : `regularised bias λ_b = ${lambdaB}`;

    it(`${name}: tight at the optimum (b = 0${lambdaB === undefined ? ', and b = 3·1' : ''})`, () => {
      const biases = lambdaB === undefined ? [new Float64Array(4), new Float64Array(4).fill(3)] : [new Float64Array(4)];
      for (const bias of biases) {
        const c = certifyUfmPlus(W, H, layout, inst, { bias, ...(lambdaB === undefined ? {} : { lambdaB }) });
        expect(Math.abs(c.objective - fStar)).toBeLessThan(ROUNDING);
        expect(Math.abs(c.lowerBound! - fStar)).toBeLessThan(1e-10);
        expect(isCertified(c)).toBe(true);
      }
    });

    it(`${name}: never above f* at points with a random bias and perturbed (W, H)`, () => {
      for (let t = 0; t < 12; t++) {
        const eps = 10 ** (-t / 3);
        const p = perturb(W, H, eps);
        const bias = Float64Array.from({ length: 4 }, () => eps * 3 * gauss());
        const c = certifyUfmPlus(p.W, p.H, layout, inst, { bias, ...(lambdaB === undefined ? {} : { lambdaB }) });
        expect(c.lowerBound!, `ε = ${eps}`).toBeLessThanOrEqual(fStar + ROUNDING);
        expect(c.objective).toBeGreaterThanOrEqual(fStar - ROUNDING);
        expect(c.biasResidual!).toBeGreaterThanOrEqual(0);
      }
    });
  }

  it('plain UFM with a bias: never above the UFM optimum, which lies below f*', () => {
    for (let t = 0; t < 6; t++) {
      const p = perturb(W, H, 10 ** -t);
      const c = certifyUfm(p.W, p.H, layout, inst, { bias: Float64Array.from({ length: 4 }, gauss) });
      expect(c.lowerBound!).toBeLessThanOrEqual(fStar + ROUNDING);
    }
  });
});

describe('isCertified: the documented rule', () => {
  const base = { objective: 2, dualNormRatioUpper: 1, amGmSlack: 0, biasResidual: null, optimalityGap: null };
  it('with a lower bound: optimalityGap ≤ tolerance · max(1, |f|), nothing else consulted', () => {
    expect(isCertified({ ...base, optimalityGap: 1.9e-8, dualNormRatioUpper: 5 }, 1e-8)).toBe(true); // 1.9e-8 ≤ 1e-8 · 2
    expect(isCertified({ ...base, optimalityGap: 2.1e-8 }, 1e-8)).toBe(false);
    expect(isCertified({ ...base, objective: 0.5, optimalityGap: 1.1e-8 }, 1e-8)).toBe(false); // scale max(1, 0.5) = 1
    expect(isCertified({ ...base, objective: -3, optimalityGap: 2.9e-8 }, 1e-8)).toBe(true); // |f| = 3
    expect(isCertified({ ...base, optimalityGap: 2e-8 }, 1e-8)).toBe(true); // the bound itself counts: ≤, not <
  });

  it('without a lower bound: ρ upper ≤ 1 + tol, AM–GM slack ≤ tol · scale, bias residual ≤ tol (when there is a bias)', () => {
    const tol = 1e-8;
    expect(isCertified({ ...base }, tol)).toBe(true);
    expect(isCertified({ ...base, dualNormRatioUpper: 1 + 0.9e-8 }, tol)).toBe(true);
    expect(isCertified({ ...base, dualNormRatioUpper: 1 + 1.1e-8 }, tol)).toBe(false);
    expect(isCertified({ ...base, amGmSlack: 1.9e-8 }, tol)).toBe(true); // scale 2
    expect(isCertified({ ...base, amGmSlack: 2e-8, dualNormRatioUpper: 1 + 1e-8, biasResidual: 1e-8 }, tol)).toBe(true); // each bound inclusive
    expect(isCertified({ ...base, amGmSlack: 2.1e-8 }, tol)).toBe(false);
    expect(isCertified({ ...base, biasResidual: 0.9e-8 }, tol)).toBe(true);
    expect(isCertified({ ...base, biasResidual: 1.1e-8 }, tol)).toBe(false);
  });
});

describe('maxOrthantRayleigh against an exhaustive oracle', () => {
  /** max over supports S of λ_max(M_SS) with a one-signed eigenvector (ml-matrix; independent of src/). */
  function oracle(M: Float64Array, K: number): number {
    let best = 0;
    for (let mask = 1; mask < 2 ** K; mask++) {
      const S = Array.from({ length: K }, (_, i) => i).filter((i) => (mask >> i) & 1);
      const eig = new EigenvalueDecomposition(new Matrix(S.map((i) => S.map((j) => M[i * K + j]))), { assumeSymmetric: true });
      const values = eig.realEigenvalues;
      const top = values.indexOf(Math.max(...values));
      const v = eig.eigenvectorMatrix.getColumn(top);
      const sign = v.reduce((a, b) => a + b, 0) >= 0 ? 1 : -1;
      if (v.every((x) => sign * x >= -1e-9)) best = Math.max(best, values[top]);
    }
    return best;
  }

  /** A Gram of K random columns with mixed-sign couplings (softmax-like residuals, as the certificate sees). */
  function randomGram(K: number, sigma: number): Float64Array {
    const G = Float64Array.from({ length: K * K }, () => sigma * gauss());
    for (let k = 0; k < K; k++) G[k * K + k] += 2 * Math.abs(gauss()); // a positive diagonal part, like e_k − p_k
    const M = new Float64Array(K * K);
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) for (let r = 0; r < K; r++) M[i * K + j] += G[r * K + i] * G[r * K + j];
    return M;
  }

  it('K = 2…11: value equals the oracle (exact), β ≥ 0 unit attains it, upper ≥ value', () => {
    for (let t = 0; t < 40; t++) {
      const K = 2 + (t % 10);
      const M = randomGram(K, [0.3, 1, 3][t % 3]);
      const r = maxOrthantRayleigh(M, K);
      const want = oracle(M, K);
      const scale = Math.max(...Array.from({ length: K }, (_, k) => M[k * K + k]));
      expect(r.exact).toBe(true);
      expect(Math.abs(r.value - want)).toBeLessThanOrEqual(1e-10 * scale);
      expect(r.upper).toBeGreaterThanOrEqual(want - 1e-12 * scale);
      expect(r.upper - r.value).toBeLessThanOrEqual(1e-10 * scale);
      expect(Array.from(r.beta).every((b) => b >= 0)).toBe(true);
      let q = 0;
      let norm = 0;
      for (let i = 0; i < K; i++) {
        norm += r.beta[i] ** 2;
        for (let j = 0; j < K; j++) q += r.beta[i] * M[i * K + j] * r.beta[j];
      }
      expect(Math.abs(norm - 1)).toBeLessThan(1e-12);
      expect(Math.abs(q - r.value)).toBeLessThanOrEqual(1e-12 * scale);
    }
  });

  it('K = 13, 14 with a tiny node budget (no enumeration): upper is still a valid bound, value attained, exact only if true', () => {
    for (let t = 0; t < 6; t++) {
      const K = 13 + (t % 2);
      const M = randomGram(K, [1, 3][t % 2]);
      const want = oracle(M, K);
      const scale = Math.max(...Array.from({ length: K }, (_, k) => M[k * K + k]));
      for (const nodeBudget of [5, 50, 4000]) {
        const r = maxOrthantRayleigh(M, K, { nodeBudget, enumerationMaxK: 0 });
        expect(r.value).toBeLessThanOrEqual(want + 1e-10 * scale);
        expect(r.upper, `budget ${nodeBudget}`).toBeGreaterThanOrEqual(want - 1e-10 * scale);
        if (r.exact) expect(Math.abs(r.value - want)).toBeLessThanOrEqual(1e-10 * scale);
      }
    }
  });

  it('decision mode (level): decides the question correctly on both sides of the maximum', () => {
    for (let t = 0; t < 10; t++) {
      const K = 4 + (t % 8);
      const M = randomGram(K, 1);
      const want = oracle(M, K);
      const above = maxOrthantRayleigh(M, K, { level: want * 1.01 });
      expect(above.upper).toBeGreaterThanOrEqual(want * (1 - 1e-10)); // still a valid bound
      expect(above.value).toBeLessThanOrEqual(want * (1 + 1e-10));
      expect(above.upper <= want * 1.01 * (1 + 1e-9) || above.exact).toBe(true); // settled: max is below the level
      const below = maxOrthantRayleigh(M, K, { level: want * 0.99 });
      expect(below.value).toBeGreaterThan(want * 0.99); // settled: a feasible β beats the level
    }
  });
});

/** G = −∇L(W H + b1ᵀ) = (onehot − softmax)/N, written here from scratch (log-sum-exp with the column max). */
function negativeGradientOf(W: Dense, H: Dense, n: readonly number[], bias?: Float64Array): { G: number[][]; loss: number } {
  const K = W.rows;
  const N = H.cols;
  const labels = n.flatMap((nk, k) => Array<number>(nk).fill(k));
  const G = Array.from({ length: K }, () => new Array<number>(N).fill(0));
  let loss = 0;
  for (let i = 0; i < N; i++) {
    const z = Array.from({ length: K }, (_, k) => {
      let s = bias?.[k] ?? 0;
      for (let r = 0; r < W.cols; r++) s += W.data[k * W.cols + r] * H.data[r * N + i];
      return s;
    });
    const m = Math.max(...z);
    const lse = m + Math.log(z.reduce((a, x) => a + Math.exp(x - m), 0));
    loss += (lse - z[labels[i]]) / N;
    for (let k = 0; k < K; k++) G[k][i] = ((k === labels[i] ? 1 : 0) - Math.exp(z[k] - lse)) / N;
  }
  return { G, loss };
}

describe('certificate internals through their results, against independent computations', () => {
  it('spread (non-collapsed) candidates, N ≤ 10: ρ_lower ≤ Ω°(G)/μ ≤ ρ_upper with Ω°(G)² from the N-dimensional orthant oracle', () => {
    // Ω°(G) = max_{v ≥ 0, ‖v‖ = 1} ‖G v‖ (THEORY.md §1b): for N ≤ 10 the orthant Rayleigh quotient of
    // GᵀG (N×N) over all 2^N − 1 supports gives it exactly (eigen-decomposition per support, ml-matrix).
    const n = [3, 2, 4];
    const layout = classLayout(n);
    const reg = { lambdaW: 2e-2, lambdaH: 2e-2 };
    const mu = 2e-2;
    for (let t = 0; t < 8; t++) {
      const d = 2 + (t % 3);
      const W: Dense = { rows: 3, cols: d, data: Float64Array.from({ length: 3 * d }, () => (1 + t) * 0.5 * gauss()) };
      const H: Dense = { rows: d, cols: 9, data: Float64Array.from({ length: 9 * d }, () => Math.abs(gauss()) * (rng() < 0.2 ? 0 : 1)) };
      const { G } = negativeGradientOf(W, H, n);
      const GtG = new Float64Array(81);
      for (let a = 0; a < 9; a++) for (let b = 0; b < 9; b++) for (let k = 0; k < 3; k++) GtG[a * 9 + b] += G[k][a] * G[k][b];
      let best = 0;
      for (let mask = 1; mask < 2 ** 9; mask++) {
        const S = Array.from({ length: 9 }, (_, i) => i).filter((i) => (mask >> i) & 1);
        const eig = new EigenvalueDecomposition(new Matrix(S.map((i) => S.map((j) => GtG[i * 9 + j]))), { assumeSymmetric: true });
        const values = eig.realEigenvalues;
        const top = values.indexOf(Math.max(...values));
        const v = eig.eigenvectorMatrix.getColumn(top);
        const sign = v.reduce((a, b) => a + b, 0) >= 0 ? 1 : -1;
        if (v.every((x) => sign * x >= -1e-9)) best = Math.max(best, values[top]);
      }
      const rho = Math.sqrt(best) / mu;
      const c = certifyUfmPlus(W, H, layout, reg);
      expect(c.dualNormRatio).toBeLessThanOrEqual(rho * (1 + 1e-9));
      expect(c.dualNormRatioUpper).toBeGreaterThanOrEqual(rho * (1 - 1e-9));
      if (c.exact) expect(Math.abs(c.dualNormRatio - rho)).toBeLessThanOrEqual(1e-9 * rho);
      expect(c.bound).toBe(c.exact ? 'exact' : 'lower');
    }
  });

  it('loss, objective, AM–GM slack and bias residual equal their definitions (with and without a regularised bias)', () => {
    const n = [4, 3, 5];
    const layout = classLayout(n);
    const reg = { lambdaW: 3e-2, lambdaH: 7e-3 };
    for (let t = 0; t < 6; t++) {
      const W: Dense = { rows: 3, cols: 4, data: Float64Array.from({ length: 12 }, gauss) };
      const H: Dense = { rows: 4, cols: 12, data: Float64Array.from({ length: 48 }, () => Math.abs(gauss())) };
      const bias = t % 2 === 0 ? undefined : Float64Array.from({ length: 3 }, gauss);
      const lambdaB = t % 4 === 1 ? 0.2 : undefined;
      const { G, loss } = negativeGradientOf(W, H, n, bias);
      const sq = (a: Float64Array): number => a.reduce((s, x) => s + x * x, 0);
      const penalty = bias !== undefined && lambdaB !== undefined ? 0.5 * lambdaB * sq(bias) : 0;
      const f = loss + 0.5 * reg.lambdaW * sq(W.data) + 0.5 * reg.lambdaH * sq(H.data) + penalty;
      let factorSum = 0;
      for (let r = 0; r < 4; r++) {
        let w = 0;
        let h = 0;
        for (let k = 0; k < 3; k++) w += W.data[k * 4 + r] ** 2;
        for (let i = 0; i < 12; i++) h += H.data[r * 12 + i] ** 2;
        factorSum += Math.sqrt(w * h);
      }
      const slack = 0.5 * reg.lambdaW * sq(W.data) + 0.5 * reg.lambdaH * sq(H.data) - Math.sqrt(reg.lambdaW * reg.lambdaH) * factorSum;
      const options = { ...(bias === undefined ? {} : { bias }), ...(lambdaB === undefined ? {} : { lambdaB }) };
      for (const c of [certifyUfmPlus(W, H, layout, reg, options), certifyUfm(W, H, layout, reg, options)]) {
        expect(Math.abs(c.loss - loss)).toBeLessThan(1e-13 * Math.max(1, loss));
        expect(Math.abs(c.objective - f)).toBeLessThan(1e-13 * Math.max(1, f));
        expect(Math.abs(c.amGmSlack - slack)).toBeLessThan(1e-12 * Math.max(1, f));
        expect(c.amGmSlack).toBeGreaterThanOrEqual(-1e-15);
        if (bias === undefined) expect(c.biasResidual).toBeNull();
        else expect(Math.abs(c.biasResidual! - Math.hypot(...G.map((row) => row.reduce((a, x) => a + x, 0))))).toBeLessThan(1e-14);
        expect(c.optimalityGap === null ? null : c.objective - c.lowerBound!).toBe(c.optimalityGap);
      }
    }
  });

  it('certifyUfm: exact, and its atom is the top singular pair of G (‖G v‖ = ‖G‖₂ μ ρ, v = Gᵀu/‖Gᵀu‖)', () => {
    const n = [4, 3, 5];
    const layout = classLayout(n);
    const reg = { lambdaW: 1e-2, lambdaH: 1e-2 };
    const W: Dense = { rows: 3, cols: 3, data: Float64Array.from({ length: 9 }, gauss) };
    const H: Dense = { rows: 3, cols: 12, data: Float64Array.from({ length: 36 }, gauss) };
    const { G } = negativeGradientOf(W, H, n);
    const c = certifyUfm(W, H, layout, reg);
    expect(c.exact).toBe(true);
    const sigma = c.dualNormRatio * 1e-2;
    const Gv = G.map((row) => row.reduce((s, x, i) => s + x * c.atom.v[i], 0));
    expect(Math.abs(Math.hypot(...Gv) - sigma)).toBeLessThan(1e-12);
    const Gtu = G[0].map((_, i) => G.reduce((s, row, k) => s + row[i] * c.atom.u[k], 0));
    expect(Math.abs(Math.hypot(...Gtu) - sigma)).toBeLessThan(1e-12);
    expect(new SingularValueDecomposition(new Matrix(G)).diagonal[0]).toBeCloseTo(sigma, 13);
  });

  it('logits with gaps of 10^4: loss, gradient and bound stay finite and exact (log-sum-exp about the column maximum)', () => {
    // Softmax of (0, 1e4, …) is e_2 to all digits; G's column i is (e_{y_i} − e_top)/N exactly.
    const n = [2, 3];
    const layout = classLayout(n);
    const W: Dense = { rows: 2, cols: 1, data: Float64Array.from([0, 100]) };
    const H: Dense = { rows: 1, cols: 5, data: Float64Array.from([100, 100, 100, 100, 100]) };
    const c = certifyUfmPlus(W, H, layout, { lambdaW: 1e-3, lambdaH: 1e-3 });
    expect(Number.isFinite(c.objective) && Number.isFinite(c.lowerBound!) && Number.isFinite(c.dualNormRatio)).toBe(true);
    // two samples of class 1 have loss 1e4 each, three of class 2 have loss e^{-1e4} ≈ 0: L = 2e4/5
    expect(c.loss).toBeCloseTo(4000, 9);
    expect(c.lowerBound!).toBeLessThanOrEqual(c.objective);
  });

  it('refusals name the parameter and the rule', () => {
    const layout = classLayout([2, 2]);
    const W: Dense = { rows: 2, cols: 2, data: new Float64Array(4) };
    const H: Dense = { rows: 2, cols: 4, data: new Float64Array(8) };
    const reg = { lambdaW: 1e-2, lambdaH: 1e-2 };
    const cases: [() => unknown, string, RegExp][] = [
      [() => certifyUfmPlus({ ...W, rows: 3, data: new Float64Array(6) }, H, layout, reg), 'W', /K = 2 rows/],
      [() => certifyUfmPlus(W, { ...H, cols: 5, data: new Float64Array(10) }, layout, reg), 'H', /N = 4 columns/],
      [() => certifyUfmPlus(W, { ...H, rows: 3, data: new Float64Array(12) }, layout, reg), 'H', /d = 2 rows/],
      [() => certifyUfmPlus({ ...W, data: Float64Array.from([0, NaN, 0, 0]) }, H, layout, reg), 'W', /finite/],
      [() => certifyUfmPlus(W, { ...H, data: H.data.map((_, i) => (i === 5 ? Infinity : 0)) }, layout, reg), 'H', /finite/],
      [() => certifyUfmPlus(W, { ...H, data: H.data.map((_, i) => (i === 5 ? -1 : 0)) }, layout, reg), 'H', /non-negative.*H\[1\]\[1\] = -1/],
      [() => certifyUfmPlus(W, H, layout, { lambdaW: 1e-2, lambdaH: 0 }), 'lambdaH', /> 0/],
      [() => certifyUfmPlus(W, H, layout, reg, { bias: new Float64Array(3) }), 'bias', /K = 2 entries/],
      [() => certifyUfmPlus(W, H, layout, reg, { bias: Float64Array.from([0, NaN]) }), 'bias', /finite/],
      [() => certifyUfmPlus(W, H, layout, reg, { lambdaB: 1 }), 'lambdaB', /only applies with a bias/],
      [() => certifyUfmPlus(W, H, layout, reg, { bias: new Float64Array(2), lambdaB: -1 }), 'lambdaB', /≥ 0/],
      [() => certifyUfmPlus(W, H, layout, reg, { bias: new Float64Array(2), lambdaB: NaN }), 'lambdaB', /finite/],
    ];
    for (const [f, parameter, rule] of cases) {
      let err: { name?: string; parameter?: string; message?: string } | undefined;
      try {
        f();
      } catch (e) {
        err = e as typeof err;
      }
      expect(err?.name).toBe('InputError');
      expect(err?.parameter).toBe(parameter);
      expect(err?.message).toMatch(rule);
    }
    // a plain-UFM candidate may have negative features
    expect(() => certifyUfm(W, { ...H, data: H.data.map((_, i) => (i === 5 ? -1 : 0)) }, layout, reg)).not.toThrow();
  });
});
