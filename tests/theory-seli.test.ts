import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { isInputError } from '../src/errors.ts';
import { fromRows, matmul, toRows, transpose, type Dense } from '../src/linalg/dense.ts';
import { classMeans, withinClassVariation } from '../src/metrics/classMeans.ts';
import { classLayout } from '../src/problem/layout.ts';
import {
  predictSeli,
  seliClassifierGram,
  seliFeatureGram,
  seliLogitMatrix,
  seliMargins,
  seliStep,
  seliSvd,
  simplexEncodedLabels,
  stepSizes,
} from '../src/theory/seli.ts';

// ---------- small helpers (independent of the code under test) ----------
type M = number[][];
const mul = (A: M, B: M): M => A.map((r) => B[0].map((_, j) => r.reduce((s, a, p) => s + a * B[p][j], 0)));
const tr = (A: M): M => A[0].map((_, j) => A.map((r) => r[j]));
const maxAbsDiff = (A: M, B: M) => Math.max(...A.flatMap((r, i) => r.map((a, j) => Math.abs(a - B[i][j]))));
const maxAbs = (A: M) => Math.max(...A.flatMap((r) => r.map(Math.abs)));
const sum = (v: readonly number[]) => v.reduce((a, b) => a + b, 0);
/** P D P written entrywise from its definition P = I − 11ᵀ/K, D = diag(n). */
function pdpDirect(n: number[]): M {
  const K = n.length;
  const P = n.map((_, i) => n.map((__, j) => (i === j ? 1 : 0) - 1 / K));
  const D = n.map((nk, i) => n.map((__, j) => (i === j ? nk : 0)));
  return mul(mul(P, D), P);
}
/** Seeded random class sizes: K in [2, maxK], n_k in [1, maxN]. */
function randomSizes(rng: () => number, maxK = 8, maxN = 100): number[] {
  const K = 2 + Math.floor(rng() * (maxK - 1));
  return Array.from({ length: K }, () => 1 + Math.floor(rng() * maxN));
}
/** The explicit UF-SVM solution W = V Λ^{1/2}, H = Λ^{1/2} Uᵀ (d = K − 1) from seliSvd. */
function explicitSolution(n: number[]): { W: Dense; H: Dense } {
  const { singularValues: s, V, classU } = seliSvd(n);
  const L = classLayout(n);
  const W = fromRows(V.map((row) => row.map((v, j) => v * Math.sqrt(s[j]))));
  const Hrows = s.map((sj, j) => Array.from(L.labels, (k) => Math.sqrt(sj) * classU[k][j]));
  return { W, H: fromRows(Hrows) };
}

// Tolerances: all quantities are O(√N) or O(1/√n) with N ≤ 800 and come out of one K×K
// symmetric eigendecomposition or SVD (backward error ~ K·ε‖A‖ ≈ 1e-13 relative), so 1e-10
// relative to the scale of the matrix compared leaves three orders of margin.
const REL = 1e-10;

describe('SELI balanced case: simplex ETF', () => {
  it.each([[2, 7], [3, 5], [4, 30], [10, 1], [7, 123]])('K = %i, n_k = %i', (K, nk) => {
    const p = predictSeli({ n: new Array(K).fill(nk) });
    for (const [norms, cos] of [[p.classifierNorms, p.classifierCosines], [p.featureNorms, p.featureCosines]] as const) {
      for (const v of norms) expect(Math.abs(v - norms[0])).toBeLessThan(REL * norms[0]);
      cos.forEach((row, k) => row.forEach((c, l) => expect(Math.abs(c - (k === l ? 1 : -1 / (K - 1)))).toBeLessThan(REL)));
    }
    // The scale too: W Wᵀ = √n P and H̄ᵀH̄ = P/√n (P projector): ‖w_k‖² = √n (1 − 1/K).
    expect(Math.abs(p.classifierNorms[0] ** 2 - Math.sqrt(nk) * (1 - 1 / K))).toBeLessThan(REL * Math.sqrt(nk));
    expect(Math.abs(p.featureNorms[0] ** 2 - (1 - 1 / K) / Math.sqrt(nk))).toBeLessThan(REL);
  });
});

describe('SELI Grams are the square roots they claim to be', () => {
  const rng = seedrandom('seli-grams');
  // Plus extreme imbalance: the deflated square root must stay accurate (no √ε error from the null space).
  const cases = [[1, 1, 1_000_000, 1_000_000], [1, 100_000], ...Array.from({ length: 40 }, () => randomSizes(rng))];
  it('classifierGram² = P D P and featureGram matches (D^{1/2} P D^{1/2})^{1/2}/√(n_k n_l)', () => {
    for (const n of cases) {
      const G = seliClassifierGram(n);
      const target = pdpDirect(n);
      expect(maxAbsDiff(mul(G, G), target)).toBeLessThan(REL * maxAbs(target));
      // PSD check via the known null vector: G 1 = 0 (P D P 1 = 0 and G shares its null space).
      expect(Math.max(...G.map((r) => Math.abs(sum(r))))).toBeLessThan(REL * maxAbs(G));
      const F = seliFeatureGram(n);
      const root = n.map(Math.sqrt);
      const S = F.map((r, k) => r.map((f, l) => f * root[k] * root[l]));
      const T = n.map((nk, k) => n.map((nl, l) => root[k] * root[l] * ((k === l ? 1 : 0) - 1 / n.length)));
      expect(maxAbsDiff(mul(S, S), T)).toBeLessThan(REL * maxAbs(T));
    }
  });
});

describe('seliSvd: the compact SVD of Ẑ', () => {
  it.each([[[1, 2, 3]], [[5, 1]], [[3, 3, 1, 7, 2]], [[10, 20, 40, 80]]])('reconstructs Ẑ for n = %j', (n) => {
    const Z = toRows(simplexEncodedLabels(n));
    const { singularValues: s, V, classU, rank } = seliSvd(n);
    expect(rank).toBe(n.length - 1);
    const L = classLayout(n);
    const U = Array.from(L.labels, (k) => classU[k]); // N×(K−1)
    const rebuilt = mul(mul(V, s.map((sj, i) => s.map((_, j) => (i === j ? sj : 0)))), tr(U));
    expect(maxAbsDiff(rebuilt, Z)).toBeLessThan(1e-12); // entries O(1), backward-stable SVD
    const I = s.map((_, i) => s.map((__, j) => (i === j ? 1 : 0)));
    expect(maxAbsDiff(mul(tr(U), U), I)).toBeLessThan(1e-12);
    expect(maxAbsDiff(mul(tr(V), V), I)).toBeLessThan(1e-12);
    for (let i = 1; i < s.length; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1]);
    expect(s[s.length - 1]).toBeGreaterThan(0.5); // λ_min⁺(P D P) ≥ min n_k ≥ 1
  });
});

describe('explicit W = V Λ^{1/2}, H = Λ^{1/2} Uᵀ (independent route)', () => {
  const rng = seedrandom('seli-explicit');
  const cases = [[1, 2, 3], [10, 20, 40, 80], [5, 5, 100, 100], ...Array.from({ length: 15 }, () => randomSizes(rng, 6, 40))];
  it('W H = Ẑ, W Wᵀ = classifier Gram, class means of H give the feature Gram, NC1 holds', () => {
    for (const n of cases) {
      const { W, H } = explicitSolution(n);
      const L = classLayout(n);
      expect(maxAbsDiff(toRows(matmul(W, H)), toRows(simplexEncodedLabels(n)))).toBeLessThan(1e-12);
      const G = seliClassifierGram(n);
      const WW = toRows(matmul(W, transpose(W)));
      expect(maxAbsDiff(WW, G)).toBeLessThan(REL * maxAbs(G));
      const Hbar = toRows(classMeans(H, L)); // (K−1)×K
      const HH = mul(tr(Hbar), Hbar);
      const F = seliFeatureGram(n);
      expect(maxAbsDiff(HH, F)).toBeLessThan(REL * maxAbs(F));
      for (const v of withinClassVariation(H, L)) expect(v).toBeLessThan(1e-12);
    }
  });
});

describe('UF-SVM optimality of Ẑ (dual certificate)', () => {
  const rng = seedrandom('seli-certificate');
  const cases = Array.from({ length: 200 }, () => randomSizes(rng, 7, 60));
  it('every margin constraint is active: (e_{y_i} − e_c)ᵀ W h_i = 1 for all i and c ≠ y_i', () => {
    for (const n of cases.slice(0, 30)) {
      const { W, H } = explicitSolution(n);
      const Z = toRows(matmul(W, H));
      const L = classLayout(n);
      for (let i = 0; i < L.N; i++) {
        const y = L.labels[i];
        for (let c = 0; c < L.K; c++) if (c !== y) expect(Math.abs(Z[y][i] - Z[c][i] - 1)).toBeLessThan(1e-12);
      }
    }
    for (const n of cases) {
      expect(maxAbsDiff(seliMargins(n), n.map((_, k) => n.map((__, c) => (k === c ? 0 : 1))))).toBeLessThan(1e-15);
    }
  });
  it('KKT: V Uᵀ = Σ α_ic (e_{y_i} − e_c) e_iᵀ with α ≥ 0 (so Ẑ minimises ‖Z‖_* under the margins)', () => {
    // Nuclear-norm subgradient at Ẑ: V Uᵀ + M with Vᵀ M = 0, M U = 0, ‖M‖ ≤ 1. V spans 1⊥ and every
    // constraint gradient column lies in 1⊥, so M = 0 is forced and the certificate is: column i of
    // V Uᵀ sums to 0 and its entries c ≠ y_i are ≤ 0 (then α_ic = −(V Uᵀ)_{c,i}).
    let worst = -Infinity;
    for (const n of cases) {
      const { V, classU } = seliSvd(n);
      const G = mul(V, tr(classU)); // column k = the column of V Uᵀ for every sample of class k
      G.forEach((row, c) => row.forEach((g, k) => { if (c !== k) worst = Math.max(worst, g); }));
      for (let k = 0; k < n.length; k++) expect(Math.abs(sum(G.map((r) => r[k])))).toBeLessThan(1e-12);
      // Optimal value of the UF-SVM: ½‖W‖² + ½‖H‖² = ‖Ẑ‖_* = Σ σ_i.
      const { W, H } = explicitSolution(n);
      const energy = 0.5 * (sum(Array.from(W.data, (v) => v * v)) + sum(Array.from(H.data, (v) => v * v)));
      const nuclear = sum(seliSvd(n).singularValues);
      expect(Math.abs(energy - nuclear)).toBeLessThan(1e-10 * nuclear);
    }
    // ≤ 0 is the certificate; entries are O(1/√n) (measured worst −0.012 on these cases), so 1e-12
    // of slack only absorbs round-off.
    expect(worst).toBeLessThan(1e-12);
  });
  it('logit matrix: column k is e_k − 1/K', () => {
    const expected = [[2 / 3, -1 / 3, -1 / 3], [-1 / 3, 2 / 3, -1 / 3], [-1 / 3, -1 / 3, 2 / 3]];
    expect(maxAbsDiff(seliLogitMatrix([3, 7, 1]), expected)).toBeLessThan(1e-15);
  });
});

describe('(R, ρ)-STEP imbalance', () => {
  it('stepSizes puts majorities first', () => {
    expect(stepSizes(5, 0.4, 10, 2)).toEqual([20, 20, 20, 2, 2]);
    expect(stepSizes(10, 0.3, 2.5, 2)).toEqual([5, 5, 5, 5, 5, 5, 5, 2, 2, 2]);
  });
  it.each([[4, 0.5, 1], [4, 0.5, 10], [5, 0.2, 20], [5, 0.8, 3], [10, 0.5, 100], [3, 1 / 3, 7]])(
    'K = %i, ρ = %f, R = %f agrees with the explicit W, H of stepSizes (m = 1 and m = 3)',
    (K, rho, R) => {
      const q = seliStep(K, rho, R);
      for (const m of [1, 3]) {
        const n = stepSizes(K, rho, R, m);
        const { W, H } = explicitSolution(n);
        const w = toRows(W);
        const hb = tr(toRows(classMeans(H, classLayout(n)))); // K rows: class means
        const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
        const cos = (a: number[], b: number[]) => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
        const maj = 0;
        const min = K - 1;
        const nMin = Math.round(rho * K);
        const close = (a: number | null, b: number | null) =>
          a === null || b === null ? expect(a).toBe(b) : expect(Math.abs(a - b)).toBeLessThan(1e-9 * Math.max(1, Math.abs(b)));
        close(q.wNormRatio, dot(w[maj], w[maj]) / dot(w[min], w[min]));
        close(q.hNormRatio, dot(hb[maj], hb[maj]) / dot(hb[min], hb[min]));
        close(q.cosWMajMin, cos(w[maj], w[min]));
        close(q.cosHMajMin, cos(hb[maj], hb[min]));
        close(q.cosWMajMaj, K - nMin >= 2 ? cos(w[0], w[1]) : null);
        close(q.cosHMajMaj, K - nMin >= 2 ? cos(hb[0], hb[1]) : null);
        close(q.cosWMinMin, nMin >= 2 ? cos(w[K - 2], w[K - 1]) : null);
        close(q.cosHMinMin, nMin >= 2 ? cos(hb[K - 2], hb[K - 1]) : null);
      }
    },
  );
  it('one minority / one majority gives null same-kind cosines', () => {
    const q = seliStep(4, 0.25, 10);
    expect(q.cosWMinMin).toBeNull();
    expect(q.cosHMinMin).toBeNull();
    expect(q.cosWMajMaj).not.toBeNull();
    expect(seliStep(4, 0.75, 10).cosWMajMaj).toBeNull();
  });
});

describe('invalid inputs throw InputError naming the parameter', () => {
  const expectInputError = (f: () => unknown, parameter: string) => {
    try {
      f();
    } catch (e) {
      expect(isInputError(e)).toBe(true);
      expect((e as { parameter: string }).parameter).toBe(parameter);
      return;
    }
    throw new Error('expected an InputError');
  };
  it.each([
    ['predictSeli({ n: [3] })', () => predictSeli({ n: [3] }), 'n'],
    ['predictSeli({ n: [3, 0] })', () => predictSeli({ n: [3, 0] }), 'n'],
    ['seliSvd([2, 2.5])', () => seliSvd([2, 2.5]), 'n'],
    ['simplexEncodedLabels([5_000_000, 5_000_000])', () => simplexEncodedLabels([5_000_000, 5_000_000]), 'n'],
    ['stepSizes(5, 0.3, 10)', () => stepSizes(5, 0.3, 10), 'rho'],
    ['stepSizes(5, 0, 10)', () => stepSizes(5, 0, 10), 'rho'],
    ['stepSizes(5, 1, 10)', () => stepSizes(5, 1, 10), 'rho'],
    ['stepSizes(4, 0.5, 2.5, 1)', () => stepSizes(4, 0.5, 2.5, 1), 'R'],
    ['stepSizes(4, 0.5, 0.5)', () => stepSizes(4, 0.5, 0.5), 'R'],
    ['stepSizes(4, 0.5, 2, 0)', () => stepSizes(4, 0.5, 2, 0), 'm'],
    ['seliStep(1, 0.5, 2)', () => seliStep(1, 0.5, 2), 'K'],
    ['seliStep(4.5, 0.5, 2)', () => seliStep(4.5, 0.5, 2), 'K'],
    ['seliStep(4, 0.5, Number.NaN)', () => seliStep(4, 0.5, Number.NaN), 'R'],
  ] as const)('%s', (_label, f, parameter) => expectInputError(f, parameter));
});
