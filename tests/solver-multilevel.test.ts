/**
 * The multilevel start (src/solver/multilevel.ts): the coarse problem has the same objective on
 * repeated columns, the multilevel solve certifies the same optimum as the single-level one, its
 * counts include the coarse work, it is deterministic and thread-independent, it is off for every
 * instance the property suites generate, and bad options are InputErrors.
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.ts';
import { mse } from '../src/loss/mse.ts';
import { BUDGETS } from '../src/generators/_internals/budgets.ts';
import type { Dense } from '../src/linalg/dense.ts';
import { classLayout } from '../src/problem/layout.ts';
import { ufmObjective } from '../src/problem/objective.ts';
import { COARSENING, coarseProblem, coarseSizes, expandStart, multilevelByDefault } from '../src/solver/multilevel.ts';
import { type SolverProblem, validateProblem } from '../src/solver/problem.ts';
import { solve } from '../src/solver/solver.ts';
import type { SolveResult } from '../src/solver/types.ts';

const dense = (rows: number, cols: number, rng: () => number): Dense => ({ rows, cols, data: Float64Array.from({ length: rows * cols }, () => rng()) });

/** The rounding of a sum of N non-negative terms evaluated in two orders, N·ε relative to it. */
const roundoff = (N: number, f: number): number => N * Number.EPSILON * Math.abs(f);

/** Step-imbalanced, every class alive (λ far below the collapse threshold). */
const problem: SolverProblem = { n: [40, 80, 120, 160, 200], lambdaW: 1e-3, lambdaH: 1e-3, d: 8 };

describe('multilevel start', () => {
  it('coarse problem: m_k = max(1, round(n_k/8)), λ_H scaled by N/N′, the rest unchanged', () => {
    expect(COARSENING).toBe(8);
    expect(coarseSizes([1, 4, 5, 12, 800])).toEqual([1, 1, 1, 2, 100]);
    const p = validateProblem({ ...problem, lambdaW: 2e-3 });
    const c = coarseProblem(p);
    expect(c.layout.sizes).toEqual([5, 10, 15, 20, 25]);
    expect(c.lambdaH).toBe((1e-3 * 600) / 75);
    expect([c.lambdaW, c.d, c.nonNegative, c.bias]).toEqual([2e-3, 8, true, false]);
  });

  it('on cyclically repeated columns the two objectives agree when every n_k = 8 m_k', () => {
    const p = validateProblem(problem);
    const c = coarseProblem(p);
    const rng = seedrandom('multilevel-objective');
    const W = dense(5, 8, () => rng() - 0.5);
    const Hc = dense(8, c.layout.N, () => rng());
    const coarse = { problem: c, W, H: Hc, b: null } as unknown as SolveResult;
    const start = expandStart(coarse, p);
    const H: Dense = { rows: 8, cols: p.layout.N, data: start.H };
    // The column of sample i of class k is the coarse column (i mod m_k) of class k.
    expect(H.data[3 * p.layout.N + p.layout.offsets[2] + 17]).toBe(Hc.data[3 * c.layout.N + c.layout.offsets[2] + (17 % 15)]);
    const fine = ufmObjective(W, H, p.layout, p);
    const small = ufmObjective(W, Hc, c.layout, c);
    // Both are sums of the same non-negative terms with the same weights (n_k/N = m_k/N′,
    // ‖H‖² = 8‖H′‖²), added in different orders: the difference is rounding, ≤ N·ε relative.
    expect(Math.abs(fine - small)).toBeLessThanOrEqual(roundoff(p.layout.N, fine));
  });

  it('certifies the same optimum as the single-level search, counting the coarse work', () => {
    const single = solve(problem, { seed: 1, multilevel: false });
    const multi = solve(problem, { seed: 1, multilevel: true });
    expect(single.certified && multi.certified).toBe(true);
    expect(single.history.some((e) => e.kind === 'coarse')).toBe(false);
    const first = multi.history[0];
    expect(first.kind).toBe('coarse');
    // Both within their proven gaps of the same f*: |Δf| ≤ gap₁ + gap₂ (plus the rounding of f, N·ε).
    const gaps = (single.certificate.objectiveGap ?? Infinity) + (multi.certificate.objectiveGap ?? Infinity);
    expect(Math.abs(multi.objective - single.objective)).toBeLessThanOrEqual(gaps + roundoff(600, single.objective));
    // The totals include the coarse search's iterations (the first event's count). Here every
    // n_k = 8 m_k, so the expanded coarse optimum is the full problem's (same objective on repeated
    // columns) and the full search may need no iteration at all.
    expect(first.iterations).toBeGreaterThan(0);
    expect(multi.iterations).toBeGreaterThanOrEqual(first.iterations ?? Infinity);
    const locals = multi.history.filter((e) => e.kind === 'local').reduce((s, e) => s + (e.iterations ?? 0), 0);
    expect(multi.iterations).toBe(locals + (first.iterations ?? 0));
  });

  it.each([
    ['UFM+ with a free bias', { bias: true }],
    ['the plain UFM with the MSE loss', { nonNegative: false, loss: mse }],
  ] as const)('%s: the same certified f as the single-level search', (_name, variant) => {
    const p: SolverProblem = { ...problem, n: [37, 83, 121, 158, 203], ...variant };
    const [single, multi] = [false, true].map((multilevel) => solve(p, { seed: 2, multilevel }));
    expect(single.certified && multi.certified).toBe(true);
    expect(multi.history[0].kind).toBe('coarse');
    // Both within their proven gaps of the same f* (plus the rounding of f, N·ε relative).
    const gaps = (single.certificate.objectiveGap ?? Infinity) + (multi.certificate.objectiveGap ?? Infinity);
    expect(Math.abs(multi.objective - single.objective)).toBeLessThanOrEqual(gaps + roundoff(602, single.objective));
  });

  it('is deterministic and bit-identical for 1 and 2 threads (sizes not multiples of 8: the full search works)', () => {
    const uneven: SolverProblem = { ...problem, n: [37, 83, 121, 158, 203] };
    const runs = [1, 1, 2].map((threads) => solve(uneven, { seed: 3, multilevel: true, threads }));
    expect(runs[0].certified).toBe(true);
    expect(runs[0].iterations).toBeGreaterThan(runs[0].history[0].iterations ?? Infinity);
    for (const r of runs.slice(1)) {
      expect(r.objective).toBe(runs[0].objective);
      expect(r.iterations).toBe(runs[0].iterations);
      expect(r.H.data).toEqual(runs[0].H.data);
      expect(r.W.data).toEqual(runs[0].W.data);
    }
  });

  it('shares the iteration budget between the levels', () => {
    const r = solve(problem, { seed: 1, multilevel: true, maxIterations: 30 });
    expect(r.iterations).toBeLessThanOrEqual(30);
    expect(r.certified).toBe(false);
    expect(r.reason).toMatch(/iteration budget/);
  });

  it('is off by default for every instance the property suites generate, on for CIFAR-100 sizes', () => {
    for (const budget of ['small', 'large'] as const) {
      const { maxK, maxTotal } = BUDGETS[budget];
      // The largest work a generated instance can have: K = maxK classes sharing maxTotal columns.
      const sizes = Array.from({ length: maxK }, (_, k) => Math.floor(maxTotal / maxK) + (k < maxTotal % maxK ? 1 : 0));
      expect(multilevelByDefault(validateProblem({ n: sizes, lambdaW: 1e-3, lambdaH: 1e-3, d: maxK }))).toBe(false);
    }
    const cifar100 = Array.from({ length: 100 }, () => 400);
    expect(multilevelByDefault(validateProblem({ n: cifar100, lambdaW: 1e-4, lambdaH: 1e-4, d: 100 }))).toBe(true);
  });

  it('bad options are InputErrors naming multilevel', () => {
    expect(() => solve(problem, { multilevel: 'yes' as unknown as boolean })).toThrow(InputError);
    expect(() => solve(problem, { multilevel: 'yes' as unknown as boolean })).toThrow(/multilevel/);
    const W = dense(5, 8, () => 0.1);
    const H = dense(8, classLayout(problem.n).N, () => 0.1);
    expect(() => solve(problem, { multilevel: true, initial: { W, H } })).toThrow(/multilevel: cannot be true together with initial/);
  });
});

describe('ncverify solve --multilevel', () => {
  it('on|off only, and only on cpu-float64 (InputErrors naming the flag)', async () => {
    const { run } = await import('../src/cli/commands/solve.ts');
    const base = ['--n', '10,20', '--lw', '1e-3', '--lh', '1e-3', '--json'];
    await expect(run([...base, '--multilevel', 'maybe'])).rejects.toThrow(/--multilevel: must be on or off/);
    await expect(run([...base, '--multilevel', 'on', '--backend', 'wasm'])).rejects.toThrow(/--multilevel: applies to --backend cpu-float64 only/);
  });
});
