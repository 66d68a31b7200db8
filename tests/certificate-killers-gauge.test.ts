/**
 * Mutation killers for src/certificate/gauge.ts and src/certificate/orthantRayleigh.ts (issue #8).
 *
 * What is checked, each against something computed here independently of src/certificate:
 * - nonnegativeDualNorm: the bracket lower ≤ Ω°(G) ≤ upper against an N-dimensional orthant oracle
 *   (all 2^N − 1 supports of GᵀG, ml-matrix); `lower` attained at the returned unit v ≥ 0; u = Gv/‖Gv‖;
 *   class weights; the documented formula upper = max(lower, min(Ω°(G_c) upper + ‖E‖₂, ‖G‖₂)) with the
 *   norms from ml-matrix's SVD; the residual rule (‖E‖_F below 1e-12 · lower, ‖E‖₂ above); the `exact`
 *   and `collapsed` rules; the reported K×K search is maxOrthantRayleigh's on G̃ᵀG̃ (with level²);
 *   Ω°(G) = ‖G‖₂ for G ≥ 0 (Perron–Frobenius), reached by the projected power iterations; G = 0 and
 *   G with zero class means (no NaN, unit u).
 * - spectralDualNorm: the top singular triple (value, u, v = Gᵀu/‖Gᵀu‖) against ml-matrix; G = 0.
 * - maxOrthantRayleigh: M = 0; a zero first diagonal entry; the method actually used (no enumeration
 *   when the branch and bound closes, for K > enumerationMaxK, or in decision mode once the level is
 *   settled; ascent-only exactly for K > 30); the documented cost ≈ 2K eigenproblems on negative
 *   couplings and ≥ 2^K − 1 when all supports are enumerated; upper = min(λ_max(M), λ_max(M⁺)) for
 *   K > 30; the ascent's start at the top eigenvector; the `exact` rule; decision mode at scales ≠ 1.
 */
import { Matrix, SingularValueDecomposition, EigenvalueDecomposition } from 'ml-matrix';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { expandClassWeights, nonnegativeDualNorm, spectralDualNorm } from '../src/certificate/gauge.ts';
import { maxOrthantRayleigh } from '../src/certificate/orthantRayleigh.ts';
import { type Dense, fromRows } from '../src/linalg/dense.ts';
import { classLayout } from '../src/problem/layout.ts';

const rng = seedrandom('certificate-killers-gauge');
const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());

const rowsOf = (G: Dense): number[][] => Array.from({ length: G.rows }, (_, r) => Array.from(G.data.subarray(r * G.cols, (r + 1) * G.cols)));
const norm = (x: ArrayLike<number>): number => Math.sqrt(Array.from(x).reduce((s, t) => s + t * t, 0));
const times = (G: Dense, v: ArrayLike<number>): number[] =>
  Array.from({ length: G.rows }, (_, r) => Array.from({ length: G.cols }, (_, i) => G.data[r * G.cols + i] * v[i]).reduce((a, b) => a + b, 0));
const largestSingular = (A: number[][]): number => new SingularValueDecomposition(new Matrix(A), { autoTranspose: true }).diagonal[0];
const topEigenvalue = (M: ArrayLike<number>, K: number): number =>
  Math.max(...new EigenvalueDecomposition(new Matrix(Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => M[i * K + j]))), { assumeSymmetric: true }).realEigenvalues);

/** Ω°(G) = max_{v ≥ 0, ‖v‖ = 1} ‖G v‖: over every support S of GᵀG, λ_max of the block if its top eigenvector is one-signed. */
function omegaOracle(G: Dense): number {
  const N = G.cols;
  const A = new Matrix(rowsOf(G));
  const GtG = A.transpose().mmul(A);
  let best = 0;
  for (let mask = 1; mask < 2 ** N; mask++) {
    const S = Array.from({ length: N }, (_, i) => i).filter((i) => (mask >> i) & 1);
    const eig = new EigenvalueDecomposition(new Matrix(S.map((i) => S.map((j) => GtG.get(i, j)))), { assumeSymmetric: true });
    const values = eig.realEigenvalues;
    const top = values.indexOf(Math.max(...values));
    const v = eig.eigenvectorMatrix.getColumn(top);
    const sign = v.reduce((a, b) => a + b, 0) >= 0 ? 1 : -1;
    if (v.every((x) => sign * x >= -1e-9)) best = Math.max(best, values[top]);
  }
  return Math.sqrt(best);
}

/**
 * The class split of THEORY.md §1b written out: G_c (class means), E = G − G_c, and M = G̃ᵀG̃ with
 * G̃'s column k = sqrt(n_k) ḡ_k. The means are summed in column order and divided by n_k, as the
 * doc of classReduction states, so M is the matrix the certificate searches (bit for bit, which the
 * node-count comparison below needs).
 */
function split(G: Dense, n: readonly number[]): { E: number[][]; M: Float64Array; frobE: number; frobG: number } {
  const K = n.length;
  const N = G.cols;
  const offsets = [0];
  for (const nk of n) offsets.push(offsets[offsets.length - 1] + nk);
  const Gt = new Float64Array(K * K);
  const E = rowsOf(G);
  for (let r = 0; r < K; r++) {
    for (let k = 0; k < K; k++) {
      let sum = 0;
      for (let i = offsets[k]; i < offsets[k + 1]; i++) sum += G.data[r * N + i];
      const mean = sum / n[k];
      for (let i = offsets[k]; i < offsets[k + 1]; i++) E[r][i] -= mean;
      Gt[r * K + k] = Math.sqrt(n[k]) * mean;
    }
  }
  const M = new Float64Array(K * K);
  for (let a = 0; a < K; a++) {
    for (let b = a; b < K; b++) {
      let s = 0;
      for (let r = 0; r < K; r++) s += Gt[r * K + a] * Gt[r * K + b];
      M[a * K + b] = s;
      M[b * K + a] = s;
    }
  }
  return { E, M, frobE: norm(E.flat()), frobG: norm(G.data) };
}

/** G = G_c + spread · (a random within-class deviation), scaled by `scale`; G_c from Gaussian class means. */
function spreadG(n: readonly number[], spread: number, scale: number): Dense {
  const K = n.length;
  const N = n.reduce((a, b) => a + b, 0);
  const labels = n.flatMap((nk, k) => Array<number>(nk).fill(k));
  const means = Array.from({ length: K }, () => Array.from({ length: K }, gauss));
  const rows = Array.from({ length: K }, (_, r) => Array.from({ length: N }, (_, i) => scale * (means[r][labels[i]] + spread * gauss())));
  return fromRows(rows);
}

describe('nonnegativeDualNorm: bracket, atom, and the documented formulas', () => {
  const n = [3, 2, 4];
  const layout = classLayout(n);
  // Spreads from 1e-9 (‖E‖₂ far below the gap Ω°(G_c) vs ‖G‖₂) to 3 (‖G‖₂ is the smaller term);
  // scales 1 and 1e-6 (so that a tolerance multiplied instead of divided by a norm shows).
  const cases = [1e-9, 1e-3, 0.05, 0.3, 1, 3].flatMap((spread) => [1, 1e-6].map((scale) => ({ spread, scale, G: spreadG(n, spread, scale) })));

  it('lower ≤ Ω°(G) ≤ upper (N-dimensional oracle); lower = ‖G v‖ at a unit v ≥ 0; u = G v/‖G v‖; β_k = ‖v on class k‖', () => {
    for (const { G } of cases) {
      const d = nonnegativeDualNorm(G, layout);
      const omega = omegaOracle(G);
      // Oracle and bounds: eigenvalues of 9×9 Grams, ≈ 1e-15 relative; 1e-12 leaves room.
      expect(d.lower).toBeLessThanOrEqual(omega * (1 + 1e-12));
      expect(d.upper).toBeGreaterThanOrEqual(omega * (1 - 1e-12));
      expect(d.v).toHaveLength(layout.N);
      expect(d.u).toHaveLength(3);
      expect(Math.min(...d.v)).toBeGreaterThanOrEqual(0);
      // Sums of ≤ 9 squares: rounding ≈ 1e-16 relative.
      expect(Math.abs(norm(d.v) - 1)).toBeLessThan(1e-14);
      const Gv = times(G, d.v);
      expect(Math.abs(norm(Gv) - d.lower)).toBeLessThanOrEqual(1e-14 * omega);
      Gv.forEach((x, r) => expect(Math.abs(d.u[r] - x / norm(Gv))).toBeLessThan(1e-14));
      n.forEach((_, k) => expect(d.classWeights[k]).toBeCloseTo(norm(d.v.subarray(layout.offsets[k], layout.offsets[k + 1])), 15));
      expect(Number.isFinite(d.upper)).toBe(true);
    }
  });

  it('upper = max(lower, min(sqrt(search upper on G̃ᵀG̃) + ‖E‖₂, ‖G‖₂)), residualNorm = ‖E‖₂ (E not negligible), both branches of the min occur', () => {
    const branches = new Set<string>();
    for (const { G } of cases) {
      const d = nonnegativeDualNorm(G, layout);
      const { E, M, frobE } = split(G, n);
      const e2 = largestSingular(E);
      const g2 = largestSingular(rowsOf(G));
      const collapsedUpper = Math.sqrt(maxOrthantRayleigh(M, 3).upper);
      expect(frobE).toBeGreaterThan(1e-12 * d.lower); // so the documented rule asks for ‖E‖₂
      // ‖E‖₂ as sqrt(λ_max(E Eᵀ)) vs ml-matrix's SVD: both ≈ 1e-15 relative to ‖E‖₂.
      expect(Math.abs(d.residualNorm - e2)).toBeLessThanOrEqual(1e-12 * e2);
      const want = Math.max(d.lower, Math.min(collapsedUpper + e2, g2));
      // The terms carry ≈ 1e-15 relative error each (eigenvalues of K×K Grams, square roots).
      expect(Math.abs(d.upper - want)).toBeLessThanOrEqual(1e-12 * g2);
      if (d.upper > d.lower * (1 + 1e-6)) branches.add(collapsedUpper + e2 < g2 ? 'collapsed + residual' : 'spectral');
    }
    expect([...branches].sort()).toEqual(['collapsed + residual', 'spectral']);
  });

  it('exact ⇔ upper − lower ≤ 1e-9 upper, collapsed ⇔ ‖E‖_F ≤ 1e-8 ‖G‖_F (both values of each flag occur)', () => {
    const seen = new Set<string>();
    for (const { G } of cases) {
      const d = nonnegativeDualNorm(G, layout);
      const { frobE, frobG } = split(G, n);
      expect(d.exact).toBe(d.upper - d.lower <= 1e-9 * d.upper);
      // The rule's two sides differ by ≥ 10× in every case here, far beyond rounding of the norms.
      expect(d.collapsed).toBe(frobE <= 1e-8 * frobG);
      seen.add(`exact ${d.exact}`).add(`collapsed ${d.collapsed}`);
    }
    expect(seen.size).toBe(4);
  });

  it('the reported search is maxOrthantRayleigh on G̃ᵀG̃, with level² in decision mode and the node budget passed on', () => {
    for (const { G } of cases.slice(0, 4)) {
      const { M } = split(G, n);
      const same = (d: ReturnType<typeof nonnegativeDualNorm>, options: Parameters<typeof maxOrthantRayleigh>[2]): void => {
        const r = maxOrthantRayleigh(M, 3, options);
        expect(d.search).toEqual({ method: r.method, nodes: r.nodes, exact: r.exact });
      };
      same(nonnegativeDualNorm(G, layout), {});
      const omega = Math.sqrt(maxOrthantRayleigh(M, 3).value);
      for (const level of [0.5 * omega, 1.01 * omega]) same(nonnegativeDualNorm(G, layout, { level }), { level: level * level });
      same(nonnegativeDualNorm(G, layout, { nodeBudget: 0 }), { nodeBudget: 0 });
    }
  });

  const pick = ({ method, nodes, exact }: ReturnType<typeof maxOrthantRayleigh>) => ({ method, nodes, exact });

  it('decision mode on a collapsed G with K = 8 (positive couplings): settled on both sides, and the search is the decision one', () => {
    const m = [2, 3, 1, 2, 2, 1, 3, 2];
    const lay = classLayout(m);
    for (let t = 0; t < 3; t++) {
      const G = spreadG(m, 0, 10 ** (t - 1));
      const { M } = split(G, m);
      const omega = Math.sqrt(maxOrthantRayleigh(M, 8).value);
      const full = nonnegativeDualNorm(G, lay);
      const above = nonnegativeDualNorm(G, lay, { level: 1.02 * omega });
      // K ≤ 12: always settled (enumeration fallback); upper carries ≈ 1e-15 relative rounding.
      expect(above.upper).toBeLessThanOrEqual(1.02 * omega * (1 + 1e-12));
      const below = nonnegativeDualNorm(G, lay, { level: 0.98 * omega });
      expect(below.lower).toBeGreaterThan(0.98 * omega);
      // With a level the search prunes against it: the reported search is the decision search.
      expect(below.search).toEqual(pick(maxOrthantRayleigh(M, 8, { level: (0.98 * omega) ** 2 })));
      expect(full.search).toEqual(pick(maxOrthantRayleigh(M, 8)));
      expect(full.search.exact).toBe(true);
    }
  });

  it('G ≥ 0 with within-class spread: Ω°(G) = ‖G‖₂ (Perron–Frobenius), reached by the projected power iterations; exact', () => {
    const m = [3, 2, 4];
    for (const scale of [1, 7, 0.01]) {
      const G = fromRows(Array.from({ length: 3 }, () => Array.from({ length: 9 }, () => scale * (0.2 + rng()))));
      const sv = new SingularValueDecomposition(new Matrix(rowsOf(G)), { autoTranspose: true }).diagonal;
      const g2 = sv[0];
      expect(sv[1] / sv[0]).toBeLessThan(0.5); // the premise of the convergence tolerance below
      const { M } = split(G, m);
      // The collapsed atom alone is visibly short of ‖G‖₂, so the iterations have work to do.
      expect(Math.sqrt(maxOrthantRayleigh(M, 3).value)).toBeLessThan(g2 * (1 - 1e-4));
      const d = nonnegativeDualNorm(G, classLayout(m));
      // 100 power steps with σ₂/σ₁ < 0.5 converge to rounding (≈ 1e-16 relative).
      expect(Math.abs(d.lower - g2)).toBeLessThanOrEqual(1e-12 * g2);
      expect(d.exact).toBe(true);
      expect(Math.abs(norm(d.v) - 1)).toBeLessThan(1e-14);
      expect(Math.abs(norm(times(G, d.v)) - d.lower)).toBeLessThanOrEqual(1e-14 * g2);
    }
  });

  it('E below 1e-12 · lower: residualNorm is ‖E‖_F (not ‖E‖₂), and upper = sqrt(search upper) + ‖E‖_F', () => {
    // Columns x ± d with d = 2^-50: x ± d, their mean x and the deviations ±d are exact in binary, so
    // ‖E‖_F = 2^-50 · sqrt(4) exactly; E has two orthogonal rank-one parts of equal size, ‖E‖₂ = ‖E‖_F/√2.
    const d = 2 ** -50;
    const G = fromRows([
      [0.75 + d, 0.75 - d, -0.5, -0.5],
      [-0.25, -0.25, 0.5 + d, 0.5 - d],
    ]);
    const m = [2, 2];
    const r = nonnegativeDualNorm(G, classLayout(m));
    const { M, frobE } = split(G, m);
    expect(frobE).toBe(2 * d);
    expect(r.residualNorm).toBe(frobE);
    expect(Math.abs(r.upper - (Math.sqrt(maxOrthantRayleigh(M, 2).upper) + frobE))).toBeLessThanOrEqual(1e-15);
    expect(r.collapsed).toBe(true);
    expect(r.lower).toBeLessThanOrEqual(omegaOracle(G) * (1 + 1e-15));
  });

  it('G = 0: lower = upper = 0, exact and collapsed (0 ≤ 0), unit atom, no NaN', () => {
    const m = [2, 1, 3];
    const G = fromRows([Array<number>(6).fill(0), Array<number>(6).fill(0), Array<number>(6).fill(0)]);
    const r = nonnegativeDualNorm(G, classLayout(m));
    expect([r.lower, r.upper, r.residualNorm]).toEqual([0, 0, 0]);
    expect(r.exact).toBe(true);
    expect(r.collapsed).toBe(true);
    expect(norm(r.u)).toBe(1);
    expect(Math.min(...r.u)).toBeGreaterThanOrEqual(0);
    expect(Math.abs(norm(r.v) - 1)).toBeLessThan(1e-15);
    expect(Math.min(...r.v)).toBeGreaterThanOrEqual(0);
  });

  it('zero class means, E ≠ 0: Ω°(G_c) = 0 yet the bracket holds, u is unit, nothing is NaN', () => {
    const m = [2, 2];
    const G = fromRows([
      [1, -1, 2, -2],
      [-3, 3, 1, -1],
    ]);
    const r = nonnegativeDualNorm(G, classLayout(m));
    const omega = omegaOracle(G);
    const g2 = largestSingular(rowsOf(G));
    expect(r.lower).toBeLessThanOrEqual(omega * (1 + 1e-12));
    expect(r.upper).toBeGreaterThanOrEqual(omega * (1 - 1e-12));
    // Here E = G: ‖E‖₂ = ‖G‖₂, both from a 2×2 eigenproblem (≈ 1e-15 relative).
    expect(Math.abs(r.upper - g2)).toBeLessThanOrEqual(1e-12 * g2);
    expect(Math.abs(norm(r.u) - 1)).toBeLessThan(1e-15);
    expect(Math.abs(norm(r.v) - 1)).toBeLessThan(1e-15);
    expect(Math.abs(norm(times(G, r.v)) - r.lower)).toBeLessThanOrEqual(1e-14 * g2);
    expect(r.exact).toBe(r.upper - r.lower <= 1e-9 * r.upper);
  });

  it('expandClassWeights: v_i = β_k / sqrt(n_k) on class k (so ‖v‖ = ‖β‖)', () => {
    const m = [1, 3, 2];
    const v = expandClassWeights([0.6, 0, 0.8], classLayout(m));
    expect(Array.from(v)).toEqual([0.6, 0, 0, 0, 0.8 / Math.SQRT2, 0.8 / Math.SQRT2]);
  });
});

describe('spectralDualNorm: the top singular triple', () => {
  it('value = σ₁ (ml-matrix), u unit, v = Gᵀu/‖Gᵀu‖ unit, ‖G v‖ = value', () => {
    for (let t = 0; t < 6; t++) {
      const K = 2 + (t % 3);
      const N = 3 + t;
      const G = fromRows(Array.from({ length: K }, () => Array.from({ length: N }, () => (t + 1) * gauss())));
      const s = spectralDualNorm(G);
      const sigma = largestSingular(rowsOf(G));
      // σ₁ from sqrt(λ_max(G Gᵀ)) vs SVD: ≈ 1e-15 relative each.
      expect(Math.abs(s.value - sigma)).toBeLessThanOrEqual(1e-12 * sigma);
      expect(s.u).toHaveLength(K);
      expect(s.v).toHaveLength(N);
      expect(Math.abs(norm(s.u) - 1)).toBeLessThan(1e-14);
      expect(Math.abs(norm(s.v) - 1)).toBeLessThan(1e-14);
      const Gtu = Array.from({ length: N }, (_, i) => Array.from({ length: K }, (_, r) => G.data[r * N + i] * s.u[r]).reduce((a, b) => a + b, 0));
      Gtu.forEach((x, i) => expect(Math.abs(s.v[i] - x / norm(Gtu))).toBeLessThan(1e-14));
      expect(Math.abs(norm(times(G, s.v)) - sigma)).toBeLessThanOrEqual(1e-12 * sigma);
    }
  });

  it('G = 0: value 0 with unit u and v (no NaN)', () => {
    const s = spectralDualNorm(fromRows([[0, 0, 0], [0, 0, 0]]));
    expect(s.value).toBe(0);
    expect(Math.abs(norm(s.u) - 1)).toBeLessThan(1e-15);
    expect(norm(s.v)).toBe(1);
  });
});

/** Gram G̃ᵀG̃ of K Gaussian columns, times `scale`. */
function gaussianGram(K: number, scale = 1): Float64Array {
  const A = Float64Array.from({ length: K * K }, gauss);
  const M = new Float64Array(K * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) for (let r = 0; r < K; r++) M[i * K + j] += scale * A[r * K + i] * A[r * K + j];
  return M;
}

/** A PSD matrix with every off-diagonal entry negative (like a Gram of e_k − p_k at a stationary point). */
function negativeCouplings(K: number): Float64Array {
  const M = new Float64Array(K * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) M[i * K + j] = i === j ? 1 + rng() : -0.5 / K;
  return M; // diagonally dominant: PSD
}

const quadratic = (M: ArrayLike<number>, K: number, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) s += b[i] * M[i * K + j] * b[j];
  return s;
};
const maxDiagonal = (M: ArrayLike<number>, K: number): number => Math.max(...Array.from({ length: K }, (_, k) => M[k * K + k]));

describe('maxOrthantRayleigh: degenerate inputs, method, cost and bounds', () => {
  const METHODS = ['enumeration', 'branch-and-bound', 'ascent-only'];

  it('M = 0: value = upper = 0, exact, β a unit vector ≥ 0, a documented method, no eigenproblem', () => {
    const r = maxOrthantRayleigh(new Float64Array(9), 3);
    expect([r.value, r.upper, r.exact, r.nodes]).toEqual([0, 0, true, 0]);
    expect(norm(r.beta)).toBe(1);
    expect(Math.min(...r.beta)).toBeGreaterThanOrEqual(0);
    expect(METHODS).toContain(r.method);
  });

  it('a zero first diagonal entry: the scale is max_k M_kk, not M_00 (value = 4 at β = e_2)', () => {
    const r = maxOrthantRayleigh(new Float64Array([0, 0, 0, 0, 1, -1, 0, -1, 4]), 3);
    expect(r.value).toBeCloseTo(4, 14);
    expect(Array.from(r.beta)).toEqual([0, 0, 1]);
    expect(r.exact).toBe(true);
    expect(maxOrthantRayleigh(new Float64Array([0, 0, 0, 4]), 2).value).toBeCloseTo(4, 14);
  });

  it('negative couplings (stationary points): max = max_k M_kk, exact, found by branch and bound at once, ≈ 2K eigenproblems', () => {
    for (const K of [8, 12, 20, 30]) {
      const M = negativeCouplings(K);
      const r = maxOrthantRayleigh(M, K);
      expect(r.value).toBe(maxDiagonal(M, K));
      expect(r.exact).toBe(true);
      expect(r.method).toBe('branch-and-bound');
      // The doc: "the closed form and the spurious points of THEORY.md §2 take ≈ 2K eigenproblems".
      expect(r.nodes).toBeGreaterThanOrEqual(2 * K);
      expect(r.nodes).toBeLessThanOrEqual(3 * K);
    }
    const r31 = maxOrthantRayleigh(negativeCouplings(31), 31);
    expect(r31.method).toBe('ascent-only');
    expect(Number.isInteger(r31.nodes) && r31.nodes >= 1).toBe(true);
  });

  it('forced enumeration (node budget 0) on all-positive couplings: every one of the 2^K − 1 supports is an eigenproblem', () => {
    for (const K of [4, 7]) {
      const M = new Float64Array(K * K);
      for (let i = 0; i < K; i++) for (let j = 0; j <= i; j++) M[i * K + j] = M[j * K + i] = i === j ? 1 + rng() : 0.1 + 0.1 * rng();
      const r = maxOrthantRayleigh(M, K, { nodeBudget: 0 });
      expect(r.method).toBe('enumeration');
      expect(r.exact).toBe(true);
      expect(r.nodes).toBeGreaterThanOrEqual(2 ** K - 1);
      // All-positive M: the Perron vector is the maximiser, value = λ_max(M).
      expect(Math.abs(r.value - topEigenvalue(M, K))).toBeLessThanOrEqual(1e-12 * r.value);
    }
  });

  it('K = 13, 14 > enumerationMaxK with node budget 0: branch and bound only (no enumeration); value attained ≤ upper; exact ⇔ upper − value ≤ 1e-10 max_k M_kk', () => {
    let inexact = 0;
    for (let t = 0; t < 4; t++) {
      const K = 13 + (t % 2);
      const M = gaussianGram(K);
      const scale = maxDiagonal(M, K);
      const r = maxOrthantRayleigh(M, K, { nodeBudget: 0 });
      expect(r.method).toBe('branch-and-bound');
      // βᵀMβ recomputed: K² products of size ≤ K max_k M_kk, rounding far below 1e-12.
      expect(Math.abs(quadratic(M, K, r.beta) - r.value)).toBeLessThanOrEqual(1e-12 * scale);
      expect(r.upper).toBeGreaterThanOrEqual(r.value);
      // With no eigenproblem allowed the only proof is λ_max(M) itself, a valid upper bound.
      expect(r.upper).toBeLessThanOrEqual(topEigenvalue(M, K) * (1 + 1e-12));
      expect(r.exact).toBe(r.upper - r.value <= 1e-10 * scale);
      if (!r.exact) inexact++;
    }
    expect(inexact).toBeGreaterThan(0); // the rule is exercised on its "false" side too
  });

  it('K = 32 (ascent only): upper = min(λ_max(M), λ_max(M⁺)) with M⁺ = M without its negative off-diagonal entries', () => {
    for (const scale of [1, 1e-3]) {
      const M = gaussianGram(32, scale);
      const r = maxOrthantRayleigh(M, 32);
      const P = M.map((x, idx) => (x < 0 && Math.floor(idx / 32) !== idx % 32 ? 0 : x));
      const lM = topEigenvalue(M, 32);
      const lP = topEigenvalue(P, 32);
      expect(r.method).toBe('ascent-only');
      expect(Math.abs(lM - lP)).toBeGreaterThan(1e-3 * lM); // the min is a real choice here
      // Eigenvalues of 32×32 matrices from two codes: ≈ 1e-14 relative.
      expect(Math.abs(r.upper - Math.min(lM, lP))).toBeLessThanOrEqual(1e-12 * lM);
      expect(r.value).toBeLessThan(r.upper);
      expect(r.exact).toBe(r.upper - r.value <= 1e-10 * maxDiagonal(M, 32));
      expect(Number.isInteger(r.nodes) && r.nodes >= 1).toBe(true);
    }
  });

  it('K = 32 with a non-negative top eigenvector: the ascent started there reaches λ_max, so the answer is exact', () => {
    // M = 0.5 I except the block [[1, ε], [ε, 1]] on {0, 1}: top eigenvector (1, 1, 0, …)/√2, λ = 1 + ε.
    // From a vertex, projected power moves by ≈ ε per step only (ratio (1 − ε)/(1 + ε)), and with
    // K > 30 there is no polish; the start at the top eigenvector is what makes value = 1 + ε.
    const eps = 1e-4;
    const M = new Float64Array(32 * 32);
    for (let k = 0; k < 32; k++) M[k * 32 + k] = k < 2 ? 1 : 0.5;
    M[1] = M[32] = eps;
    const r = maxOrthantRayleigh(M, 32);
    expect(r.method).toBe('ascent-only');
    expect(Math.abs(r.value - (1 + eps))).toBeLessThanOrEqual(1e-14);
    expect(r.exact).toBe(true);
  });
});

describe('maxOrthantRayleigh in decision mode (level), at scales ≠ 1', () => {
  it('level below max_k M_kk: settled by the ascent alone — value > level, no enumeration', () => {
    for (const scale of [100, 1e-2]) {
      for (const K of [6, 9]) {
        const M = gaussianGram(K, scale);
        const level = 0.9 * maxDiagonal(M, K);
        const r = maxOrthantRayleigh(M, K, { level });
        expect(r.value).toBeGreaterThan(level);
        expect(r.method).toBe('branch-and-bound');
      }
    }
  });

  it('level ≥ 1.01 λ_max(M): settled by the root eigenproblems — upper ≤ level, no enumeration', () => {
    for (const scale of [100, 1e-2]) {
      for (const K of [6, 9]) {
        const M = gaussianGram(K, scale);
        const level = 1.01 * topEigenvalue(M, K);
        const r = maxOrthantRayleigh(M, K, { level });
        expect(r.upper).toBeLessThanOrEqual(level);
        expect(r.method).toBe('branch-and-bound');
        expect(r.value).toBeLessThanOrEqual(r.upper);
      }
    }
  });

  it('level exactly at the maximum (max_k M_kk = 1, negative couplings), node budget 0: settled as "not above" — upper ≤ level', () => {
    // All couplings negative: the maximum is max_k M_kk = 1, exactly representable, so level = 1 is
    // the maximum itself; "max > level" is false and, K ≤ 12, must be settled by upper ≤ level.
    const K = 6;
    const M = new Float64Array(K * K);
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) M[i * K + j] = i === j ? [1, 0.5, 0.75, 0.625, 0.875, 0.5][i] : -0.05;
    const r = maxOrthantRayleigh(M, K, { level: 1, nodeBudget: 0 });
    expect(r.value).toBe(1);
    expect(r.upper).toBeLessThanOrEqual(1);
  });

  it('level just above the maximum with node budget 1 (K ≤ 12): still settled, upper ≤ level (the enumeration fallback)', () => {
    for (const scale of [100, 1e-2]) {
      for (const K of [7, 10]) {
        const M = gaussianGram(K, scale);
        const max = maxOrthantRayleigh(M, K, { nodeBudget: 0 }).value;
        const level = max * (1 + 1e-6);
        const r = maxOrthantRayleigh(M, K, { level, nodeBudget: 1 });
        expect(r.upper).toBeLessThanOrEqual(level);
        const low = maxOrthantRayleigh(M, K, { level: max * (1 - 1e-6), nodeBudget: 1 });
        expect(low.value).toBeGreaterThan(max * (1 - 1e-6));
      }
    }
  });
});
