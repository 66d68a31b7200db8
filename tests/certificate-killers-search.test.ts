/**
 * Contracts of the three search internals of the orthant problem max_{β ≥ 0, ‖β‖ = 1} βᵀMβ
 * (THEORY.md §1b), checked directly on them rather than through maxOrthantRayleigh (whose enumeration
 * fallback and final clamps hide their mistakes):
 *
 * - DnnBound.refine: every iterate λ_max(M_AA + P) bounds the orthant maximum on A; the best one is
 *   kept with the multiplier P that gives it (K×K, symmetric, ≥ 0, zero diagonal, zero off A); the
 *   Polyak step is the documented formula; the stopping rules (target reached, stall over
 *   STALL_WINDOW = 50 steps by less than STALL_FRACTION = 1e-5 of the excess, no movable entry,
 *   maxSteps); the sink gets the positive and negative parts of each top eigenvector.
 * - orthantAscent: attained, unit, ≥ 0; the projected power method reaches the Perron vector; the polish
 *   makes a face's maximum exact; every start (vertices and both sign parts of the extra starts) counts.
 * - enumerateSupports / branchAndBound: exact against an independent oracle (ml-matrix eigenproblems
 *   over all supports), honest `upper` under any pruning slack and for supports the evaluator could not
 *   resolve, the documented budget, root/child step budgets, decision mode, and node counts.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { DnnBound } from '../src/certificate/_internals/dnnBound.ts';
import { orthantAscent } from '../src/certificate/_internals/orthantAscent.ts';
import { branchAndBound, type BranchAndBoundOptions, enumerateSupports } from '../src/certificate/_internals/orthantSearch.ts';
import { SupportEigen, type SupportResult } from '../src/certificate/_internals/supportEigen.ts';
import { maxOrthantRayleigh } from '../src/certificate/orthantRayleigh.ts';

const rng = seedrandom('certificate-killers-search');
const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());

// ---------------------------------------------------------------------------------------------
// Independent helpers (ml-matrix for every eigenproblem).

function quad(M: ArrayLike<number>, K: number, beta: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) s += beta[i] * M[i * K + j] * beta[j];
  return s;
}

function indicesOf(mask: number, K: number): number[] {
  return Array.from({ length: K }, (_, i) => i).filter((i) => (mask >> i) & 1);
}

/** Top eigenpair of the symmetric matrix rows (ml-matrix). */
function top(rows: number[][]): { lambda: number; v: number[]; second: number } {
  const eig = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a]);
  return { lambda: values[order[0]], v: eig.eigenvectorMatrix.getColumn(order[0]), second: values[order[1]] ?? -Infinity };
}

/** (M + P) restricted to A, with P's diagonal ignored (a multiplier has zero diagonal). */
function subMatrix(M: ArrayLike<number>, K: number, A: number[], P?: ArrayLike<number>): number[][] {
  return A.map((i) => A.map((j) => M[i * K + j] + (P !== undefined && i !== j ? P[i * K + j] : 0)));
}

/** max_{β ≥ 0, ‖β‖ = 1, supp β ⊆ A} βᵀMβ: the largest λ_max(M_SS), S ⊆ A, with a one-signed top eigenvector. */
function orthantMax(M: ArrayLike<number>, K: number, mask = 2 ** K - 1): number {
  let best = -Infinity;
  for (let S = mask; S > 0; S = (S - 1) & mask) {
    const { lambda, v } = top(subMatrix(M, K, indicesOf(S, K)));
    const sign = v.reduce((a, b) => a + b, 0) >= 0 ? 1 : -1;
    if (v.every((x) => sign * x >= -1e-9)) best = Math.max(best, lambda);
  }
  return best;
}

/** Supports connected in the graph of positive off-diagonal entries, by breadth-first search. */
function connectedSupports(M: ArrayLike<number>, K: number): number {
  let count = 0;
  for (let mask = 1; mask < 2 ** K; mask++) {
    const S = indicesOf(mask, K);
    const seen = new Set([S[0]]);
    const queue = [S[0]];
    while (queue.length > 0) {
      const i = queue.shift() as number;
      for (const j of S) if (!seen.has(j) && M[i * K + j] > 0) (seen.add(j), queue.push(j));
    }
    if (seen.size === S.length) count++;
  }
  return count;
}

/** Gram of K random columns with a positive diagonal part (mixed-sign couplings), scaled to max_k M_kk = 1. */
function randomGram(K: number, sigma: number): Float64Array {
  const G = Float64Array.from({ length: K * K }, () => sigma * gauss());
  for (let k = 0; k < K; k++) G[k * K + k] += 2 * Math.abs(gauss());
  const M = new Float64Array(K * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) for (let r = 0; r < K; r++) M[i * K + j] += G[r * K + i] * G[r * K + j];
  return normalise(M, K);
}

function normalise(M: Float64Array, K: number): Float64Array {
  let scale = 0;
  for (let k = 0; k < K; k++) scale = Math.max(scale, M[k * K + k]);
  return M.map((x) => x / scale);
}

/**
 * 3.5 I − Horn + ε·Gram, normalised. The Horn matrix is copositive but not PSD + non-negative, so the
 * doubly-non-negative relaxation is NOT tight here and the branch and bound has to branch; the
 * perturbation breaks the degenerate eigenspaces of the unperturbed matrix.
 */
function hornLike(eps: number): Float64Array {
  const h = [1, -1, 1, 1, -1];
  const M = new Float64Array(25);
  for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) M[i * 5 + j] = (i === j ? 3.5 : 0) - h[(j - i + 5) % 5];
  const G = Float64Array.from({ length: 25 }, gauss);
  for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) for (let r = 0; r < 5; r++) M[i * 5 + j] += eps * G[r * 5 + i] * G[r * 5 + j];
  return normalise(M, 5);
}

/** a·J + b·I (entrywise positive): Perron vector 1/√K, eigenvalues aK + b and b (K − 1 times). */
function slowPerron(K: number, ratio: number): Float64Array {
  const b = 1;
  const a = (b / ratio - b) / K; // λ₂/λ₁ = b/(aK + b) = ratio
  return normalise(Float64Array.from({ length: K * K }, (_, idx) => a + (Math.floor(idx / K) === idx % K ? b : 0)), K);
}

/** diag(d) − ε(J − I): every coupling negative (a stationary point's structure); diagonally dominant, so PD. */
function negativeCouplings(K: number): Float64Array {
  return Float64Array.from({ length: K * K }, (_, idx) => (Math.floor(idx / K) === idx % K ? 0.5 + rng() : -0.2 / K));
}

function vertex(K: number, k: number): Float64Array {
  const e = new Float64Array(K);
  e[k] = 1;
  return e;
}

/** A deliberately poor incumbent: the vertex with the smallest diagonal entry. */
function poorStart(M: Float64Array, K: number): { value: number; beta: Float64Array } {
  let k = 0;
  for (let i = 1; i < K; i++) if (M[i * K + i] < M[k * K + k]) k = i;
  return { value: M[k * K + k], beta: vertex(K, k) };
}

function expectFeasible(M: Float64Array, K: number, beta: Float64Array, value: number): void {
  expect(beta.length).toBe(K);
  expect(Math.min(...beta)).toBeGreaterThanOrEqual(0);
  // a unit vector built by dividing by its norm: |‖β‖ − 1| ≈ K ε
  expect(Math.abs(Math.hypot(...beta) - 1)).toBeLessThan(1e-14);
  // βᵀMβ recomputed in another summation order: differences ≈ K² ε (M normalised, entries ≤ 1)
  expect(Math.abs(quad(M, K, beta) - value)).toBeLessThan(1e-13);
}

/** Rounding allowance on eigenvalues of normalised matrices of order ≤ 30 (≈ n ε ‖A‖, ‖A‖ ≤ n): 1e-12. */
const EIG = 1e-12;

// ---------------------------------------------------------------------------------------------

describe('DnnBound.refine: valid bounds, the multiplier that attains them, the documented stopping rules', () => {
  it('every bound is ≥ the orthant maximum on A and ≤ λ_max(M_AA); P is K×K, symmetric, ≥ 0, zero diagonal, zero off A, and λ_max(M_AA + P) = bound', () => {
    const cases: [Float64Array, number, number][] = [];
    for (let t = 0; t < 3; t++) cases.push([randomGram(6, 1), 6, 0b111111], [randomGram(6, 2), 6, 0b111110], [randomGram(7, 1), 7, 0b1101110]);
    cases.push([hornLike(0.03), 5, 0b11111], [hornLike(0.03), 5, 0b11110]);
    for (const [M, K, mask] of cases) {
      const A = indicesOf(mask, K);
      const truth = orthantMax(M, K, mask);
      const lambdaA = top(subMatrix(M, K, A)).lambda;
      for (const [goal, steps] of [
        [0, 1],
        [0, 7],
        [truth, 2],
        [truth, 60],
        [(truth + lambdaA) / 2, 30],
      ]) {
        const relaxation = new DnnBound(M, K);
        relaxation.evaluations = 5; // the counter only ever counts up
        const d = relaxation.refine(mask, null, () => goal, 1e-11, steps, () => {});
        expect(relaxation.evaluations - 5).toBeGreaterThanOrEqual(1);
        expect(relaxation.evaluations - 5).toBeLessThanOrEqual(steps);
        expect(d.bound).toBeGreaterThanOrEqual(truth - EIG);
        expect(d.bound).toBeLessThanOrEqual(lambdaA + EIG); // the first iterate is P = 0
        expect(d.P.length).toBe(K * K);
        for (let i = 0; i < K; i++) {
          for (let j = 0; j < K; j++) {
            const p = d.P[i * K + j];
            expect(p).toBeGreaterThanOrEqual(0);
            // (η v_a) v_b and (η v_b) v_a round differently: symmetric to a few ulps
            expect(Math.abs(p - d.P[j * K + i])).toBeLessThanOrEqual(1e-15 * Math.max(1, p));
            if (i === j || !A.includes(i) || !A.includes(j)) expect(p).toBe(0);
          }
        }
        expect(Math.abs(top(subMatrix(M, K, A, d.P)).lambda - d.bound)).toBeLessThan(EIG);
      }
    }
  });

  it('more steps never give a worse bound (the best iterate is kept, not the last), and the run stops exactly where the documented rules say', () => {
    // The iterates of one run are reproduced by runs with maxSteps = 1, 2, … (deterministic): h[t] is
    // the best bound after step t. The rules: stop after step t when h[t] ≤ goal + slack, or when
    // t ≥ 50 and h[t − 50] − h[t] < 1e-5 (h[t] − goal); otherwise go on (all our top eigenvectors are
    // mixed-sign or P > 0 somewhere, so a subgradient step can always move).
    const instances: [Float64Array, number, number, number][] = [];
    const horn = hornLike(0.03);
    const hornMax = orthantMax(horn, 5);
    instances.push([horn, 5, 0, 1e-11]); // target far below: Polyak steps overshoot, the bound stalls at once
    instances.push([horn, 5, hornMax, 1e-11]); // the relaxation is not tight: slow progress, then a stall
    instances.push([horn, 5, 0.5 * hornMax, 1e-11]); // the excess over the goal differs from the bound (bound − goal ≠ bound + goal)
    const gram = randomGram(6, 1);
    instances.push([gram, 6, orthantMax(gram, 6), 1e-11]);
    instances.push([gram, 6, orthantMax(gram, 6), 1e-3]); // reaches goal + slack
    for (let t = 0; t < 3; t++) {
      // goals well below the bound: slow progress, stalls where 1e-5 (bound − goal) is the threshold
      const M = randomGram(6, 1);
      const first = top(subMatrix(M, 6, [0, 1, 2, 3, 4, 5])).lambda;
      instances.push([M, 6, 0.5 * first, 1e-11], [M, 6, 0.8 * first, 1e-11]);
    }
    for (const [M, K, goal, slack] of instances) {
      const mask = 2 ** K - 1;
      const run = (steps: number): { bound: number; evaluations: number } => {
        const relaxation = new DnnBound(M, K);
        const d = relaxation.refine(mask, null, () => goal, slack, steps, () => {});
        return { bound: d.bound, evaluations: relaxation.evaluations };
      };
      const full = run(160);
      const h: number[] = [];
      for (let t = 0; t < full.evaluations; t++) {
        const r = run(t + 1);
        expect(r.evaluations).toBe(t + 1);
        h.push(r.bound);
        if (t > 0) expect(h[t]).toBeLessThanOrEqual(h[t - 1]);
      }
      expect(h[h.length - 1]).toBe(full.bound);
      const stops = (t: number): boolean => h[t] <= goal + slack || (t >= 50 && h[t - 50] - h[t] < 1e-5 * (h[t] - goal));
      for (let t = 0; t < full.evaluations - 1; t++) expect(stops(t), `step ${t}`).toBe(false);
      // a stop before maxSteps is one of the rules; the third one (no entry of P can move: a one-signed
      // eigenvector with P = 0 where v_a v_b > 0) is not observable here, and on these instances it only
      // happens in the first few steps (checked: every stop at step ≥ 50 is a stall or the goal)
      const last = full.evaluations - 1;
      if (full.evaluations < 160 && last >= 50) expect(stops(last)).toBe(true);
    }
  });

  it('a run whose bound never improves stops after exactly 51 eigenproblems (the stall window), well before maxSteps', () => {
    // Target 0 (far below): λ_max(M_AA + P) ≥ λ_max(M_AA) after the first, overshooting Polyak step. If
    // the best bound after the run is h[0] − δ with δ < 1e-5 (bound − goal), then h[0] − h[50] ≤ δ, so
    // the stall rule holds at step 50 and at no earlier step (it needs 50 steps of history).
    const M = hornLike(0.03);
    const relaxation = new DnnBound(M, 5);
    const d = relaxation.refine(31, null, () => 0, 1e-11, 500, () => {});
    const first = top(subMatrix(M, 5, [0, 1, 2, 3, 4])).lambda;
    expect(first - d.bound).toBeLessThan(1e-5 * d.bound);
    expect(relaxation.evaluations).toBe(51);
  });

  it('one step from a given multiplier is the documented projected Polyak step P ← max(0, P − η v vᵀ), η = (λ − goal)/‖step‖²', () => {
    const instances: [Float64Array, number][] = [[randomGram(6, 1), 6], [randomGram(6, 1), 6], [randomGram(6, 2), 6], [randomGram(7, 2), 7], [hornLike(0.03), 5], [hornLike(0.03), 5]];
    instances.forEach(([M, n], t) => {
      const mask = t % 2 === 0 ? 2 ** n - 1 : 2 ** n - 2; // with and without index 0
      const A = indicesOf(mask, n);
      // a start multiplier: symmetric, ≥ 0, with zeros, entries outside A (must be ignored) and a
      // negative diagonal (must be ignored: with it the bound would drop below the maximum)
      const P0 = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < i; j++) P0[i * n + j] = P0[j * n + i] = rng() < 0.4 ? 0 : 0.3 * rng();
        P0[i * n + i] = -0.5;
      }
      const goal = orthantMax(M, n, mask);
      // the documented step, computed here with ml-matrix
      const A0 = subMatrix(M, n, A, P0);
      const { lambda: l0, v } = top(A0);
      let norm2 = 0;
      for (let a = 0; a < A.length; a++) {
        for (let b = 0; b < A.length; b++) {
          const dd = v[a] * v[b];
          if (a !== b && (dd < 0 || P0[A[a] * n + A[b]] > 0)) norm2 += dd * dd;
        }
      }
      const eta = (l0 - goal) / norm2;
      const P1 = new Float64Array(n * n);
      for (let a = 0; a < A.length; a++) {
        for (let b = 0; b < A.length; b++) if (a !== b) P1[A[a] * n + A[b]] = Math.max(0, P0[A[a] * n + A[b]] - eta * v[a] * v[b]);
      }
      const l1 = top(subMatrix(M, n, A, P1)).lambda;

      // one relaxation object serves every node of a search: use it first on the other support, so
      // that nothing left from there (buffers of a larger support) may leak into this one
      const one = new DnnBound(M, n);
      one.refine(2 ** n - 1, null, () => 0, 1e-11, 3, () => {});
      const d1 = one.refine(mask, P0, () => goal, 1e-11, 1, () => {});
      expect(Math.abs(d1.bound - l0)).toBeLessThan(EIG);
      expect(d1.bound).toBeGreaterThanOrEqual(goal - EIG);
      const two = new DnnBound(M, n);
      two.refine(2 ** n - 1, null, () => 0, 1e-11, 3, () => {});
      const before = two.evaluations;
      const d2 = two.refine(mask, P0, () => goal, 1e-11, 2, () => {});
      expect(two.evaluations - before).toBe(2);
      expect(Math.abs(d2.bound - Math.min(l0, l1))).toBeLessThan(1e-10);
      const want = l1 < l0 ? P1 : P0.map((x, idx) => (Math.floor(idx / n) === idx % n || !A.includes(Math.floor(idx / n)) || !A.includes(idx % n) ? 0 : x));
      // η ≈ 1/‖step‖² amplifies the eigenvector's rounding (≈ 1e-15/gap): 1e-9 absolute
      for (let idx = 0; idx < n * n; idx++) expect(Math.abs(d2.P[idx] - want[idx])).toBeLessThan(1e-9);
    });
  });

  it('stops at once when the first bound is already ≤ target + slack (inclusive), and not earlier than the goal allows', () => {
    const M = randomGram(6, 1);
    const first = new DnnBound(M, 6).refine(63, null, () => 0, 0, 1, () => {}).bound;
    const slack = 2 ** -10; // first − slack and its sum with slack are exact in binary: goal + slack = first
    expect(first - slack + slack).toBe(first);
    const cases: [number, number][] = [
      [first, 0], // bound = goal + slack exactly: stop
      [first - slack, slack], // bound = goal + slack exactly, with an excess λ − goal > 0 left: still stop
      [first - 5e-4, 1e-3], // within the slack: stop
      [first + 1, 1e-11],
    ];
    for (const [goal, slack] of cases) {
      const relaxation = new DnnBound(M, 6);
      const d = relaxation.refine(63, null, () => goal, slack, 40, () => {});
      expect(relaxation.evaluations).toBe(1);
      expect(d.bound).toBe(first);
    }
  });

  it('a one-signed top eigenvector with P = 0: no entry of P can move, so one eigenproblem, bound = λ_max(M_AA)', () => {
    for (const M of [slowPerron(6, 0.5), slowPerron(4, 0.9)]) {
      const K = Math.round(Math.sqrt(M.length));
      const relaxation = new DnnBound(M, K);
      const d = relaxation.refine(2 ** K - 1, null, () => 0, 1e-11, 30, () => {});
      expect(relaxation.evaluations).toBe(1);
      expect(Math.abs(d.bound - top(subMatrix(M, K, indicesOf(2 ** K - 1, K))).lambda)).toBeLessThan(EIG);
      expect(Array.from(d.P).every((x) => x === 0)).toBe(true);
    }
  });

  it('maxSteps = 0: no eigenproblem, bound +∞, P = the start (zero without one)', () => {
    const M = randomGram(5, 1);
    const relaxation = new DnnBound(M, 5);
    const d = relaxation.refine(0b10110, null, () => 0, 1e-11, 0, () => {});
    expect(relaxation.evaluations).toBe(0);
    expect(d.bound).toBe(Infinity);
    expect(Array.from(d.P)).toEqual(new Array(25).fill(0));
  });

  it('the sink receives, per step, the positive and the negative part of the top eigenvector (unit, ≥ 0, zero off A)', () => {
    for (let t = 0; t < 4; t++) {
      const K = 6;
      const M = randomGram(K, 1.5);
      const mask = t % 2 === 0 ? 0b111111 : 0b111010;
      const A = indicesOf(mask, K);
      const { v } = top(subMatrix(M, K, A));
      const parts = [1, -1].map((sign) => {
        const part = new Array<number>(K).fill(0);
        A.forEach((i, a) => (part[i] = Math.max(0, sign * v[a])));
        const norm = Math.hypot(...part);
        return norm > 0 ? part.map((x) => x / norm) : null;
      });
      const got: Float64Array[] = [];
      new DnnBound(M, K).refine(mask, null, () => 0, 1e-11, 1, (beta) => got.push(Float64Array.from(beta)));
      const want = parts.filter((p) => p !== null) as number[][];
      expect(got.length).toBe(want.length);
      for (const g of got) {
        expect(Math.min(...g)).toBeGreaterThanOrEqual(0);
        expect(Math.abs(Math.hypot(...g) - 1)).toBeLessThan(1e-14);
        for (let i = 0; i < K; i++) if (!A.includes(i)) expect(g[i]).toBe(0);
        // matches one of the two parts (which one is the "positive" depends on the eigenvector's sign)
        const distance = Math.min(...want.map((w) => Math.max(...w.map((x, i) => Math.abs(x - g[i])))));
        expect(distance).toBeLessThan(1e-9); // eigenvector error ≈ 1e-16/gap
      }
      if (want.length === 2) expect(Math.max(...got[0].map((x, i) => Math.abs(x - got[1][i])))).toBeGreaterThan(0.1);
    }
    // a one-signed eigenvector: its negative part is zero, only one candidate
    const perron = slowPerron(5, 0.5);
    const got: number[] = [];
    new DnnBound(perron, 5).refine(31, null, () => 0, 1e-11, 1, (beta) => got.push(quad(perron, 5, beta)));
    expect(got.length).toBe(1);
    expect(Math.abs(got[0] - top(subMatrix(perron, 5, [0, 1, 2, 3, 4])).lambda)).toBeLessThan(EIG); // the Perron vector attains λ_max
  });
});

describe('orthantAscent: an attained point from every start, Perron limits, exact polish of the face', () => {
  it('entrywise positive M with a gap (λ₂/λ₁ = 0.3): the projected power method alone (no polish) reaches the Perron vector, the maximum', () => {
    // β ≥ 0 and M > 0 entrywise: Mβ > 0, so the ascent is the plain power method; error ≈ 0.3^t, far
    // below 1e-13 within the 200 steps of one round. Perron–Frobenius: the maximum is λ_max(M).
    for (const K of [3, 7]) {
      const M = slowPerron(K, 0.3);
      const lambda = top(subMatrix(M, K, indicesOf(2 ** K - 1, K))).lambda;
      const r = orthantAscent(M, K, null);
      expectFeasible(M, K, r.beta, r.value);
      expect(Math.abs(r.value - lambda)).toBeLessThan(EIG);
      for (let i = 0; i < K; i++) expect(Math.abs(r.beta[i] - 1 / Math.sqrt(K))).toBeLessThan(1e-7); // vector error ≈ sqrt(value error)
    }
  });

  it('slow Perron (λ₂/λ₁ = 0.995), K = 6 and K = 30 = MAX_MASK_K: the polish on the support makes the value exact', () => {
    // Without the polish, 4 × 200 power steps leave a value error ≈ (λ₁ − λ₂)·(0.995^800)²·K ≫ 1e-12; the
    // support of the limit is everything and its top eigenvector is the (one-signed) Perron vector.
    for (const K of [6, 30]) {
      const M = slowPerron(K, 0.995);
      const lambda = top(subMatrix(M, K, indicesOf(2 ** K - 1, K))).lambda;
      const supports = new SupportEigen(M, K);
      const r = orthantAscent(M, K, supports, []);
      expectFeasible(M, K, r.beta, r.value);
      expect(Math.abs(r.value - lambda)).toBeLessThan(EIG);
    }
  });

  it('the polish uses the support of the ascent limit: a slow face {0, 1, 2} cut off by negative couplings is solved exactly', () => {
    // M = [[B, −C], [−Cᵀ, 0.1 I]], B = slow Perron 3×3: from e_0 the ascent stays on {0, 1, 2} ((Mβ) is
    // negative on the rest) and converges slowly; M's own top eigenvector is mixed-sign, so only the
    // polish on the face's support gives λ_max(B), the maximum.
    const K = 6;
    const B = slowPerron(3, 0.995);
    const M = new Float64Array(K * K);
    for (let i = 0; i < K; i++) {
      for (let j = 0; j < K; j++) {
        if (i < 3 && j < 3) M[i * K + j] = B[i * 3 + j];
        else if (i >= 3 && j >= 3) M[i * K + j] = i === j ? 0.1 : 0;
        else M[i * K + j] = -0.05;
      }
    }
    const lambdaB = top(subMatrix(B, 3, [0, 1, 2])).lambda;
    expect(Math.abs(orthantMax(M, K) - lambdaB)).toBeLessThan(EIG);
    const r = orthantAscent(M, K, new SupportEigen(M, K));
    expectFeasible(M, K, r.beta, r.value);
    expect(Math.abs(r.value - lambdaB)).toBeLessThan(EIG);
  });

  it('every start counts: both sign parts of the extra starts (any scale), and the best start wins over the last one', () => {
    // Slow Perron, no polish: from the vertices 800 power steps do not converge, from the Perron vector
    // u the ascent stays at u. −3u has a zero positive part and u as its (normalised) negative part.
    const K = 8;
    const M = slowPerron(K, 0.995);
    const lambda = top(subMatrix(M, K, indicesOf(2 ** K - 1, K))).lambda;
    const u = new Float64Array(K).fill(-3 / Math.sqrt(K));
    const r = orthantAscent(M, K, null, [u]);
    expectFeasible(M, K, r.beta, r.value);
    expect(Math.abs(r.value - lambda)).toBeLessThan(EIG);
    // negative couplings: every vertex is a fixed point; the result is the best vertex, not the last
    // start (an extra start at the worst vertex), and never below max_k M_kk (ascent is monotone)
    const N = negativeCouplings(7);
    const worst = poorStart(N, 7).beta;
    const best = Math.max(...Array.from({ length: 7 }, (_, k) => N[k * 7 + k]));
    for (const supports of [null, new SupportEigen(N, 7)]) {
      const s = orthantAscent(N, 7, supports, [worst]);
      expectFeasible(N, 7, s.beta, s.value);
      expect(s.value).toBe(best);
    }
  });

  it('returns promptly when the power method converges arbitrarily slowly (λ₂/λ₁ = 1 − 1e-9): the ascent steps and rounds are capped', () => {
    // Convergence to 1e-13 would take ≈ 3e10 steps; the result is still an attained point ≥ max_k M_kk.
    const K = 5;
    const M = slowPerron(K, 1 - 1e-9);
    const r = orthantAscent(M, K, null);
    expectFeasible(M, K, r.beta, r.value);
    expect(r.value).toBeGreaterThanOrEqual(1);
  });

  it('at a fixed point the ascent–polish rounds stop after the round that did not help: 2 eigenproblems per vertex start', () => {
    // Negative couplings: (M e_k)₊ = M_kk e_k, so each vertex is a limit; round 1 polishes {k} (one
    // eigenproblem), round 2 finds no improvement (a second one) and stops ("repeated while it helps").
    const K = 9;
    const M = negativeCouplings(K);
    const supports = new SupportEigen(M, K);
    supports.evaluations = 0;
    orthantAscent(M, K, supports);
    expect(supports.evaluations).toBe(2 * K);
  });
});

/** Wraps an evaluator; the supports in `hide` are reported as degenerate and unresolved (a failed eigenspace search). */
function hiding(real: SupportEigen, hide: (mask: number, r: SupportResult) => boolean): SupportEigen {
  const stub = {
    get beta() {
      return real.beta;
    },
    get evaluations() {
      return real.evaluations;
    },
    evaluate(mask: number): SupportResult {
      const r = real.evaluate(mask);
      return hide(mask, r) ? { lambda: r.lambda, nonnegative: false, unresolved: true } : r;
    },
  };
  return stub as unknown as SupportEigen;
}

const NONE = (K: number): { value: number; beta: Float64Array } => ({ value: -Infinity, beta: new Float64Array(K) });

describe('enumerateSupports: exact, one eigenproblem per connected support, honest about unresolved supports', () => {
  it('value = the oracle maximum, attained; upper = value up to rounding; nodes = the number of G⁺-connected supports', () => {
    const instances: [Float64Array, number][] = [[randomGram(3, 1), 3], [randomGram(5, 1), 5], [randomGram(6, 2), 6], [hornLike(0.03), 5], [negativeCouplings(4), 4]];
    for (const [M, K] of instances) {
      const supports = new SupportEigen(M, K);
      for (let i = 0; i < 7; i++) supports.evaluate(1); // earlier work on the evaluator is not this call's
      const r = enumerateSupports(M, K, supports, NONE(K));
      const truth = orthantMax(M, K);
      expectFeasible(M, K, r.beta, r.value);
      expect(Math.abs(r.value - truth)).toBeLessThan(EIG);
      expect(r.upper).toBeGreaterThanOrEqual(r.value);
      expect(r.upper - r.value).toBeLessThan(EIG);
      expect(r.nodes).toBe(connectedSupports(M, K));
      expect(supports.evaluations).toBe(7 + r.nodes);
    }
  });

  it('a support the evaluator reports unresolved (λ, no non-negative vector found) is covered by upper', () => {
    const M = randomGram(5, 1);
    const truth = orthantMax(M, 5);
    const r = enumerateSupports(M, 5, hiding(new SupportEigen(M, 5), (mask) => mask === 31), NONE(5));
    expect(r.upper).toBeGreaterThanOrEqual(top(subMatrix(M, 5, [0, 1, 2, 3, 4])).lambda - EIG);
    expect(r.value).toBeLessThanOrEqual(truth + EIG);
  });
});

describe('branchAndBound: exact within its budget, honest upper under any slack, budgets and decision mode as documented', () => {
  const base: BranchAndBoundOptions = { nodeBudget: 4000, boundSteps: 30, rootBoundSteps: 30, slack: 1e-11, level: -Infinity };

  it('K ≤ 6 with a budget above (2^K − 1)(1 + steps) must complete: exact from a poor start, and the cost is counted for this call only', () => {
    const instances: [Float64Array, number][] = [[randomGram(4, 1), 4], [randomGram(6, 1), 6], [randomGram(6, 3), 6], [hornLike(0.03), 5], [hornLike(0.05), 5]];
    for (const [M, K] of instances) {
      const supports = new SupportEigen(M, K);
      orthantAscent(M, K, supports); // earlier evaluations on the same evaluator …
      for (let i = 0; i < 2000; i++) supports.evaluate(1); // … many of them: the budget is per call
      const before = supports.evaluations;
      expect(before).toBeGreaterThan(0);
      const budget = (2 ** K - 1) * 31;
      const r = branchAndBound(M, K, supports, poorStart(M, K), { ...base, nodeBudget: budget });
      const truth = orthantMax(M, K);
      expectFeasible(M, K, r.beta, r.value);
      expect(Math.abs(r.value - truth)).toBeLessThan(EIG);
      expect(r.upper).toBeGreaterThanOrEqual(truth - EIG);
      expect(r.upper - r.value).toBeLessThanOrEqual(1e-10); // slack 1e-11 plus rounding
      // nodes = support eigenproblems + relaxation eigenproblems (≤ 30 per evaluated support)
      const evaluated = supports.evaluations - before;
      expect(r.nodes).toBeGreaterThanOrEqual(evaluated);
      expect(r.nodes).toBeLessThanOrEqual(31 * evaluated);
    }
  });

  it('the perturbed Horn instances need children (the relaxation is not tight), and they are searched correctly', () => {
    for (let t = 0; t < 3; t++) {
      const M = hornLike(0.03);
      const supports = new SupportEigen(M, 5);
      const r = branchAndBound(M, 5, supports, poorStart(M, 5), base);
      expect(supports.evaluations).toBeGreaterThan(1);
      expect(Math.abs(r.value - orthantMax(M, 5))).toBeLessThan(EIG);
      expect(r.upper - r.value).toBeLessThanOrEqual(1e-10);
    }
  });

  it('any pruning slack keeps upper valid, and within slack of value', () => {
    // A node is pruned when its bound ≤ incumbent + slack, so upper (the largest pruned bound) ≥ the
    // maximum, and ≤ value + slack once the search completes.
    // The two fixed 5×5 Grams (found by a search over random ones) are cases where a child pruned on
    // its parent's bound holds the maximum: only that bound covers it.
    const fixed = [
      [0.346, 0.2201, 0.1937, -0.0311, 0.1199, 0.2201, 0.2754, 0.0813, -0.3227, 0.3283, 0.1937, 0.0813, 0.2083, 0.1829, 0.1186, -0.0311, -0.3227, 0.1829, 1, -0.3124, 0.1199, 0.3283, 0.1186, -0.3124, 0.7777],
      [1, -0.3184, -0.0074, 0.1095, -0.0755, -0.3184, 0.4685, 0.157, -0.1663, -0.0914, -0.0074, 0.157, 0.697, 0.1767, 0.3442, 0.1095, -0.1663, 0.1767, 0.2591, 0.1846, -0.0755, -0.0914, 0.3442, 0.1846, 0.5225],
    ].map((rows) => Float64Array.from(rows));
    for (const M of fixed) {
      const eig = new EigenvalueDecomposition(new Matrix(subMatrix(M, 5, [0, 1, 2, 3, 4])), { assumeSymmetric: true });
      expect(Math.min(...eig.realEigenvalues)).toBeGreaterThan(0); // a valid (PSD) input
    }
    for (const [M, K] of [
      [fixed[0], 5],
      [fixed[1], 5],
      [hornLike(0.03), 5],
      [randomGram(6, 1), 6],
      [randomGram(7, 2), 7],
    ] as [Float64Array, number][]) {
      const truth = orthantMax(M, K);
      for (const slack of [0.005, 0.01, 0.03, 0.1, 0.2, 0.4]) {
        const r = branchAndBound(M, K, new SupportEigen(M, K), poorStart(M, K), { ...base, slack });
        expectFeasible(M, K, r.beta, r.value);
        expect(r.upper, `slack ${slack}`).toBeGreaterThanOrEqual(truth - EIG);
        expect(r.upper).toBeLessThanOrEqual(r.value + slack + EIG);
      }
    }
  });

  it('a node whose λ_max is ≤ incumbent + slack (inclusive) is settled by its one eigenproblem', () => {
    let ties = 0;
    for (let t = 0; t < 4; t++) {
      const M = hornLike(0.03);
      const start = poorStart(M, 5);
      const probe = new SupportEigen(M, 5).evaluate(31);
      expect(probe.nonnegative).toBe(false); // a mixed root: without the rule it would be refined
      for (const slack of [probe.lambda - start.value, probe.lambda - start.value + 0.01]) {
        if (start.value + slack !== probe.lambda && slack === probe.lambda - start.value) continue; // the tie must be exact in floating point
        const r = branchAndBound(M, 5, new SupportEigen(M, 5), start, { ...base, slack });
        expect(r.nodes).toBe(1);
        expect(r.upper).toBeGreaterThanOrEqual(probe.lambda);
        if (start.value + slack === probe.lambda) ties++;
      }
    }
    expect(ties).toBeGreaterThan(0);
  });

  it('a node with a one-signed top eigenvector is solved by its one eigenproblem: entrywise positive M costs 1 node', () => {
    const M = slowPerron(6, 0.5);
    const r = branchAndBound(M, 6, new SupportEigen(M, 6), poorStart(M, 6), base);
    expect(r.nodes).toBe(1);
    expect(Math.abs(r.value - top(subMatrix(M, 6, [0, 1, 2, 3, 4, 5])).lambda)).toBeLessThan(EIG);
  });

  it('negative couplings: every component is a single index, solved as e_i without an eigenproblem (nodes = 0; maxOrthantRayleigh ≈ 2K)', () => {
    const K = 12;
    const M = negativeCouplings(K);
    const r = branchAndBound(M, K, new SupportEigen(M, K), NONE(K), base);
    const best = Math.max(...Array.from({ length: K }, (_, k) => M[k * K + k]));
    expect(r.nodes).toBe(0);
    expect(r.value).toBe(best);
    expect(r.upper).toBe(best);
    // 1 (eigen-decomposition of M) + 2 per vertex start + at most 4 rounds for each of the 2 sign parts of the top eigenvector
    expect(maxOrthantRayleigh(M, K).nodes).toBeLessThanOrEqual(1 + 2 * K + 8);
  });

  it('rootBoundSteps applies to the root components only, boundSteps to every other node', () => {
    // boundSteps = 0: no relaxation eigenproblem below the root, and at most 3 at the (connected) root;
    // the root's eigenvector is mixed and its λ above the incumbent, so it is refined (≥ 1).
    const M = hornLike(0.03);
    const supports = new SupportEigen(M, 5);
    const r = branchAndBound(M, 5, supports, poorStart(M, 5), { ...base, rootBoundSteps: 3, boundSteps: 0 });
    const relaxation = r.nodes - supports.evaluations;
    expect(relaxation).toBeGreaterThanOrEqual(1);
    expect(relaxation).toBeLessThanOrEqual(3);
    expect(supports.evaluations).toBeGreaterThan(1); // children were searched
  });

  it('a support the evaluator could not resolve is covered by upper through its relaxation bound', () => {
    // The root reported unresolved: its node bound min(relaxation bound, λ) enters upper. The relaxation
    // bound is recomputed here exactly as the root's (same start incumbent, same sink and target).
    const M = hornLike(0.03);
    const start = poorStart(M, 5);
    const r = branchAndBound(M, 5, hiding(new SupportEigen(M, 5), (mask) => mask === 31), start, base);
    const incumbent = { ...start };
    const d = new DnnBound(M, 5).refine(31, null, () => incumbent.value, base.slack, base.rootBoundSteps, (beta) => {
      const v = quad(M, 5, beta);
      if (v > incumbent.value) incumbent.value = v;
    });
    const lambda = top(subMatrix(M, 5, [0, 1, 2, 3, 4])).lambda;
    expect(Math.min(d.bound, lambda)).toBeGreaterThan(orthantMax(M, 5) + 1e-6); // not tight, so the cover shows
    expect(r.upper).toBeGreaterThanOrEqual(Math.min(d.bound, lambda) - 1e-9);
  });

  it('decision mode: an incumbent above level + slack stops the search at once; one equal to the level does not; a level above λ_max(M) is settled by the root', () => {
    const M = hornLike(0.03);
    const start = poorStart(M, 5);
    const stop = branchAndBound(M, 5, new SupportEigen(M, 5), start, { ...base, level: start.value - 0.01 });
    expect(stop.nodes).toBe(0);
    expect(stop.value).toBe(start.value);
    const equal = branchAndBound(M, 5, new SupportEigen(M, 5), start, { ...base, slack: 0, level: start.value });
    expect(equal.nodes).toBeGreaterThan(0);
    expect(equal.value).toBeGreaterThan(start.value);
    const lambda = top(subMatrix(M, 5, [0, 1, 2, 3, 4])).lambda;
    const high = branchAndBound(M, 5, new SupportEigen(M, 5), start, { ...base, level: lambda + 0.01 });
    expect(high.nodes).toBe(1);
    expect(high.upper).toBeLessThanOrEqual(lambda + 0.01);
    expect(high.upper).toBeGreaterThanOrEqual(orthantMax(M, 5) - EIG);
  });
});
