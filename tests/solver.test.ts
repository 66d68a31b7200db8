import { describe, expect, it } from 'vitest';
import { isInputError } from '../src/errors.ts';
import { ufmObjective } from '../src/problem/objective.ts';
import { projectedGradientDescent } from '../src/solver/pgd.ts';
import { solve } from '../src/solver/solver.ts';
import { summariseSolve } from '../src/solver/summary.ts';
import { optimalObjective } from '../src/theory/ufmPlusCe.ts';

/**
 * Tolerance on f − f*: a certified point has ρ ≤ 1 + 1e-6 and KKT residual ≤ 1e-10. Near a
 * minimiser f − f* is second order in the distance, (residual)²/μ with curvature μ ≳ λ ≥ 1e-3, far
 * below the round-off of f (≈ N K ε ≈ 1e-13 here); 1e-9 leaves a wide margin for both.
 */
const OBJECTIVE_TOLERANCE = 1e-9;

const hard: [string, number[], number, number][] = [
  ['(10,10,40,40), λ = 5e-3, d = 8', [10, 10, 40, 40], 5e-3, 8],
  ['(5,10,20,40,80), λ = 1e-2, d = 8 (smallest class dies from random starts, THEORY.md §2)', [5, 10, 20, 40, 80], 1e-2, 8],
  ['(5,10,20,40,80), λ = 1e-2, d = 32', [5, 10, 20, 40, 80], 1e-2, 32],
  // N = 325, λ = 6e-3: T = N² λ² K/(K−1) = 4.35 < 5, so the four classes of 5 are (barely) alive.
  ['(5,5,100,100,100,5,5,5), λ = 6e-3, d = 8 (four small alive classes)', [5, 5, 100, 100, 100, 5, 5, 5], 6e-3, 8],
  ['(10,10,40,40), λ = 5e-3, d = K = 4', [10, 10, 40, 40], 5e-3, 4],
  ['(6,20,30,50,80,3), λ = 4e-3, d = K = 6', [6, 20, 30, 50, 80, 3], 4e-3, 6],
];

describe('solve (UFM+): certified global optimum equals the closed form of THEORY.md §1', () => {
  it.each(hard)('%s', (_, n, lambda, d) => {
    const r = solve({ n, lambdaW: lambda, lambdaH: lambda, d }, { seed: 3 });
    expect(r.certified).toBe(true);
    expect(r.reason).toBeNull();
    expect(r.certificate.dualNormRatio).toBeLessThanOrEqual(1 + 1e-6);
    expect(r.kktResidual).toBeLessThanOrEqual(1e-10);
    expect(Math.abs(r.objective - optimalObjective(n, lambda, lambda))).toBeLessThan(OBJECTIVE_TOLERANCE);
    // The reported objective is f at the returned (W, H), by the independent objective of src/problem.
    expect(Math.abs(r.objective - ufmObjective(r.W, r.H, r.problem.layout, r.problem))).toBeLessThan(1e-12);
    expect(r.W.cols).toBe(d);
    expect(r.H.rows).toBe(d);
    expect(Math.min(...r.H.data)).toBeGreaterThanOrEqual(0);
  });

  it('complete collapse: (W, H) → 0 and f* = log K', () => {
    const n = [20, 30, 40, 50];
    const r = solve({ n, lambdaW: 0.1, lambdaH: 0.1, d: 4 }, { seed: 1 });
    expect(r.certified).toBe(true);
    expect(Math.abs(r.objective - Math.log(4))).toBeLessThan(OBJECTIVE_TOLERANCE);
    const s = summariseSolve(r);
    // f − f* ≥ (λ_H/2)‖H − 0‖² (strong convexity in H at W → 0 …): f − log K ≤ 1e-9 ⇒ norms ≲ sqrt(2e-9/0.1).
    for (const c of s.classes) expect(c.featureNorm).toBeLessThan(2e-4);
  });
});

describe('solve: escapes, determinism, variants', () => {
  it('reaches the global optimum through certificate-guided escapes where local solves stop at spurious points', () => {
    const n = [5, 10, 20, 40, 80];
    const r = solve({ n, lambdaW: 1e-2, lambdaH: 1e-2, d: 8 }, { seed: 0 });
    expect(r.certified).toBe(true);
    expect(r.escapes).toBeGreaterThan(0);
    const locals = r.history.filter((e) => e.kind === 'local');
    const certs = r.history.filter((e) => e.kind === 'certificate');
    // The first local solve ended at a KKT point that the certificate rejected (ρ > 1) …
    expect(locals[0].residual).toBeLessThanOrEqual(1e-10);
    expect(certs[0].ratio).toBeGreaterThan(1.01);
    // … and each escape lowered f.
    const escapes = r.history.filter((e) => e.kind === 'escape');
    for (const e of escapes) expect(e.decrease).toBeGreaterThan(0);
    expect(r.objective).toBeLessThan(locals[0].objective - 1e-6);
  });

  it('is deterministic: the same seed gives bit-identical W, H and figures', () => {
    const problem = { n: [5, 10, 20, 40, 80], lambdaW: 1e-2, lambdaH: 1e-2, d: 8 };
    const a = solve(problem, { seed: 11 });
    const b = solve(problem, { seed: 11 });
    expect(Buffer.from(a.W.data.buffer).equals(Buffer.from(b.W.data.buffer))).toBe(true);
    expect(Buffer.from(a.H.data.buffer).equals(Buffer.from(b.H.data.buffer))).toBe(true);
    expect([a.objective, a.kktResidual, a.certificate.dualNormRatio, a.iterations, a.escapes, a.restarts, a.evaluations])
      .toEqual([b.objective, b.kktResidual, b.certificate.dualNormRatio, b.iterations, b.escapes, b.restarts, b.evaluations]);
  });

  it('plain UFM (H free) and UFM+ with a free bias are certified; the plain UFM is never above UFM+', () => {
    const n = [10, 10, 40, 40];
    const plain = solve({ n, lambdaW: 5e-3, lambdaH: 5e-3, d: 8, nonNegative: false }, { seed: 2 });
    const withBias = solve({ n, lambdaW: 5e-3, lambdaH: 5e-3, d: 8, bias: true }, { seed: 2 });
    expect(plain.certified).toBe(true);
    expect(plain.certificate.kind).toBe('ufm');
    expect(withBias.certified).toBe(true);
    expect(withBias.b).not.toBeNull();
    // Dropping H ≥ 0 or adding a free bias enlarges the feasible set: the minimum cannot rise.
    const fPlus = optimalObjective(n, 5e-3, 5e-3);
    expect(plain.objective).toBeLessThanOrEqual(fPlus + 1e-12);
    expect(withBias.objective).toBeLessThanOrEqual(fPlus + 1e-12);
  });

  it('d < K (outside the theorem) with more alive classes than d: returns uncertified with a reason', () => {
    const r = solve({ n: [5, 10, 20, 40, 80], lambdaW: 1e-2, lambdaH: 1e-2, d: 3 }, { seed: 0 });
    expect(r.certified).toBe(false);
    expect(r.reason).toMatch(/d = 3/);
    expect(r.W.cols).toBe(3);
  });

  it('the PGD baseline descends from the same kind of start and never beats the certified optimum', () => {
    const problem = { n: [10, 10, 40, 40], lambdaW: 5e-3, lambdaH: 5e-3, d: 8 };
    const pgd = projectedGradientDescent(problem, { seed: 0, maxIterations: 3000 });
    const fStar = optimalObjective(problem.n, 5e-3, 5e-3);
    expect(pgd.objective).toBeGreaterThanOrEqual(fStar - 1e-12);
    expect(pgd.objective).toBeLessThan(Math.log(4));
    expect(Math.min(...pgd.H.data)).toBeGreaterThanOrEqual(0);
  });
});

describe('bad input', () => {
  const base = { n: [10, 40], lambdaW: 1e-2, lambdaH: 1e-2, d: 2 };
  it.each([
    ['a class of size 0', { ...base, n: [0, 4] }, {}],
    ['one class', { ...base, n: [4] }, {}],
    ['λ_W ≤ 0', { ...base, lambdaW: 0 }, {}],
    ['λ_H NaN', { ...base, lambdaH: NaN }, {}],
    ['d = 0', { ...base, d: 0 }, {}],
    ['d not an integer', { ...base, d: 2.5 }, {}],
    ['λ_b < 0', { ...base, bias: true, lambdaB: -1 }, {}],
    ['λ_b without a bias', { ...base, lambdaB: 1 }, {}],
    ['tolerance ≤ 0', base, { tolerance: 0 }],
    ['negative escape budget', base, { maxEscapes: -1 }],
    ['fractional working dimension', base, { workingDimension: 1.5 }],
  ])('%s → InputError', (_, problem, options) => {
    let caught: unknown;
    try {
      solve(problem, options);
    } catch (e) {
      caught = e;
    }
    expect(isInputError(caught)).toBe(true);
  });
});
