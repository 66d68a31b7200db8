/**
 * The report counts every optimum of every family once (issue: "1439 optima solved" used to count the
 * UFM+ family only): the solver counts of a verify report equal the number of distinct problems the
 * float64 solvers were actually called on, counted here independently by wrapping `solve` and
 * `solveDeepLinear` themselves.
 */
import { describe, expect, it, vi } from 'vitest';
import { CLAIMS } from '../properties/index.ts';
import { runSuite } from '../src/runner/suite.ts';
import { ufmPlusCe } from '../src/theory/ufmPlusCe.ts';

const calls = vi.hoisted(() => ({ problems: new Map<string, string>() }));
/** A solve's identity: the problem (sizes, regularisers, d, model) and its seed. */
const key = (problem: Record<string, unknown>, options: Record<string, unknown> | undefined): string =>
  JSON.stringify([problem.n, problem.lambdaW, problem.lambdaH, problem.d, problem.nonNegative ?? true, problem.bias ?? false, (problem.loss as { name?: string } | undefined)?.name ?? 'cross-entropy', options?.seed, (problem as { layers?: number }).layers ?? null]);

vi.mock('../src/solver/solver.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/solver/solver.ts')>();
  return {
    ...real,
    solve: (problem: Parameters<typeof real.solve>[0], options: Parameters<typeof real.solve>[1]) => {
      const model = problem.nonNegative === false ? ((problem as { loss?: { name: string } }).loss?.name === 'mse' ? 'mse' : 'seli-path') : 'ufm-plus';
      calls.problems.set(key(problem as unknown as Record<string, unknown>, options as Record<string, unknown>), model);
      return real.solve(problem, options);
    },
  };
});
vi.mock('../src/solver/deepLinear.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/solver/deepLinear.ts')>();
  return {
    ...real,
    solveDeepLinear: (problem: Parameters<typeof real.solveDeepLinear>[0], options: Parameters<typeof real.solveDeepLinear>[1]) => {
      calls.problems.set(key(problem as unknown as Record<string, unknown>, options as Record<string, unknown>), 'deep-linear');
      return real.solveDeepLinear(problem, options);
    },
  };
});

describe('the report counts every optimum of every family', () => {
  it('solver counts = distinct problems solved, in total and per family, across all claims', () => {
    const report = runSuite(CLAIMS, { theory: ufmPlusCe, seed: 11, scale: 0.05, budget: 'small' });
    const byFamily = new Map<string, number>();
    for (const family of calls.problems.values()) byFamily.set(family, (byFamily.get(family) ?? 0) + 1);
    expect(report.solver.instances).toBe(calls.problems.size);
    expect(new Set(Object.keys(report.solver.families ?? {}))).toEqual(new Set(byFamily.keys()));
    for (const [family, n] of byFamily) expect(report.solver.families?.[family]?.instances, family).toBe(n);
    expect(report.solver.landscape.length).toBe(calls.problems.size);
    expect(byFamily.size).toBe(4);
  });
});
