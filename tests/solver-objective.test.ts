import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { type Dense, zeros } from '../src/linalg/dense.ts';
import { ufmObjective } from '../src/problem/objective.ts';
import { Evaluator, kktResidual } from '../src/solver/objective/evaluator.ts';
import { type SolverProblem, validateProblem } from '../src/solver/problem.ts';

/** x = [W | H | b] with W ±1, H ≥ 0.2 (away from the bound, so central differences stay feasible), some zero H blocks. */
function point(ev: Evaluator, seed: string, zeroBlocks: boolean): Float64Array {
  const rng = seedrandom(seed);
  const x = new Float64Array(ev.size);
  for (let t = 0; t < ev.hOffset; t++) x[t] = 2 * rng() - 1;
  for (let t = ev.hOffset; t < ev.bOffset; t++) x[t] = 0.2 + rng();
  for (let t = ev.bOffset; t < ev.size; t++) x[t] = rng() - 0.5;
  if (zeroBlocks) {
    // Zero row 1 of H on class 0's columns: exercises the kernels' block skipping.
    const { offsets } = ev.problem.layout;
    for (let i = offsets[0]; i < offsets[1]; i++) x[ev.hOffset + ev.N + i] = 0;
  }
  return x;
}

function asDense(ev: Evaluator, x: Float64Array): { W: Dense; H: Dense } {
  const W = zeros(ev.K, ev.d);
  W.data.set(ev.W(x));
  const H = zeros(ev.d, ev.N);
  H.data.set(ev.H(x));
  return { W, H };
}

const variants: [string, SolverProblem][] = [
  ['UFM+', { n: [3, 5, 2], lambdaW: 3e-2, lambdaH: 7e-3, d: 6 }],
  ['plain UFM', { n: [3, 5, 2], lambdaW: 3e-2, lambdaH: 7e-3, d: 6, nonNegative: false }],
  ['UFM+ with a free bias', { n: [4, 2, 3, 1], lambdaW: 1e-2, lambdaH: 2e-2, d: 5, bias: true }],
  ['plain UFM with a regularised bias', { n: [4, 2, 3, 1], lambdaW: 1e-2, lambdaH: 2e-2, d: 5, bias: true, lambdaB: 0.3, nonNegative: false }],
];

describe('solver objective and gradient', () => {
  it.each(variants)('%s: f agrees with the independent ufmObjective (no bias) and ∇f with central differences', (_, problem) => {
    const p = validateProblem(problem);
    const ev = new Evaluator(p, problem.d);
    const x = point(ev, 'grad', true);
    const g = new Float64Array(ev.size);
    const f = ev.evaluate(x, g);
    if (!p.bias) {
      const { W, H } = asDense(ev, x);
      // Same sums in another order: agreement to a few ulps of f (f = O(1)).
      expect(Math.abs(f - ufmObjective(W, H, p.layout, p))).toBeLessThan(1e-13);
    }
    // Central differences: truncation error O(h² f''') ≈ 1e-10 with h = 1e-5 and O(1) third
    // derivatives; round-off ≈ 1e-16/h = 1e-11. So 1e-8 absolute (every entry of x is checked).
    const h = 1e-5;
    for (let t = 0; t < ev.size; t++) {
      const keep = x[t];
      x[t] = keep + h;
      const fp = ev.evaluate(x);
      x[t] = keep - h;
      const fm = ev.evaluate(x);
      x[t] = keep;
      expect(Math.abs((fp - fm) / (2 * h) - g[t])).toBeLessThan(1e-8);
    }
  });
});

describe('KKT residual', () => {
  it('is exactly 0 at (W, H) = (0, 0) (complete-collapse instance: the global minimiser)', () => {
    // n_k ≤ T for every k: N = 3, T = 9 · 1 · 4/3 · … ≫ 2.
    const p = validateProblem({ n: [1, 2, 1, 2], lambdaW: 1, lambdaH: 1, d: 4 });
    const ev = new Evaluator(p, 4);
    const x = new Float64Array(ev.size);
    const g = new Float64Array(ev.size);
    ev.evaluate(x, g);
    expect(ev.residual(x, g)).toBe(0);
  });

  it('equals max(λ_W, 1 − 1/K) at W = e_m e_jᵀ, H = 0 (hand computation)', () => {
    // At Z = 0, softmax is uniform: ∇L = (1/K − [y_i = k])/N. ∂f/∂W = λ_W W (H = 0): max λ_W.
    // ∂f/∂H[j, i] = (1/K − [y_i = m])/N: negative (so counted) on class m's columns, where N·|·| = 1 − 1/K;
    // positive on the others, where H = 0 sits on the bound: not counted.
    const K = 3;
    const lambdaW = 0.05;
    const p = validateProblem({ n: [2, 3, 4], lambdaW, lambdaH: 0.1, d: 2 });
    const ev = new Evaluator(p, 2);
    const x = new Float64Array(ev.size);
    x[1 * 2 + 0] = 1; // W[m = 1, j = 0]
    const g = new Float64Array(ev.size);
    ev.evaluate(x, g);
    expect(ev.residual(x, g)).toBeCloseTo(Math.max(lambdaW, 1 - 1 / K), 14);
    // The same point in the plain UFM also counts the positive H-gradients, N·1/(KN) = 1/3 < 2/3: same max.
    expect(kktResidual(x, g, ev.hOffset, ev.bOffset, ev.N, false)).toBeCloseTo(1 - 1 / K, 14);
  });

  it('counts a positive H entry with the factor N: N λ_H h', () => {
    const p = validateProblem({ n: [2, 3], lambdaW: 0.1, lambdaH: 0.1, d: 1 });
    const ev = new Evaluator(p, 1);
    const x = new Float64Array(ev.size);
    x[ev.hOffset + 4] = 0.5; // W = 0: Z = 0, ∂f/∂H = λ_H H only (Wᵀ∇L = 0)
    const g = new Float64Array(ev.size);
    ev.evaluate(x, g);
    // ∂f/∂W[k, 0] = ∇L[k, 4] · 0.5 = ±(1/2)/5 · 0.5 = ±0.05 < N λ_H h = 5 · 0.1 · 0.5 = 0.25.
    expect(ev.residual(x, g)).toBeCloseTo(0.25, 15);
  });
});
