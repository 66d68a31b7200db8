import { describe, expect, it } from 'vitest';
import { Evaluator } from '../src/solver/objective/evaluator.ts';
import { validateProblem } from '../src/solver/problem.ts';
import { solve } from '../src/solver/solver.ts';

/**
 * When the answer is moved to d by padding alone, the solver carries f and the KKT residual over
 * from the working dimension instead of evaluating in d (src/solver/_internals/search.ts): the
 * new coordinates are zero in W and H, so they add exact zeros to the sums and have ∂f = 0. A fresh
 * evaluation in d must give the same two numbers to the bit (no tolerance: the claim is exactness).
 */
describe('padding to d carries f and the KKT residual over exactly', () => {
  it.each([
    [[10, 20, 40, 80], 12, 1e-3],
    [[5, 10, 20, 40, 80, 160], 40, 2e-3],
    [[30, 30, 90], 64, 1e-2],
  ] as [number[], number, number][])('n = %j, d = %i', (n, d, lambda) => {
    let padded = 0;
    for (let seed = 0; seed < 3; seed++) {
      const problem = { n, lambdaW: lambda, lambdaH: lambda, d };
      const r = solve(problem, { seed });
      if (!r.history.some((h) => h.kind === 'compact' && h.detail === 'pad')) continue;
      padded++;
      const ev = new Evaluator(validateProblem(problem), d);
      const x = new Float64Array(ev.size);
      x.set(r.W.data, 0);
      x.set(r.H.data, ev.hOffset);
      const g = new Float64Array(ev.size);
      expect(ev.evaluate(x, g)).toBe(r.objective);
      expect(ev.residual(x, g)).toBe(r.kktResidual);
    }
    expect(padded).toBeGreaterThan(0); // the case is exercised
  });
});
