/**
 * Warm start of the float64 solver (`SolveOptions.initial`, src/solver/types.ts): from the closed-form
 * optimum of THEORY.md §1 (src/theory/ufmPlusCe.ts, used here only as an independent start point) it
 * certifies at once; from a spurious point (one class dead: its features and its own classifier row
 * zeroed, a stationary point of THEORY.md §2 for a class that should be alive) it escapes and
 * certifies; it is deterministic; bad initial points are InputErrors.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.ts';
import { type Dense, clone } from '../src/linalg/dense.ts';
import { classLayout } from '../src/problem/layout.ts';
import { ufmObjective } from '../src/problem/objective.ts';
import type { SolverProblem } from '../src/solver/problem.ts';
import { solve } from '../src/solver/solver.ts';
import { optimalPair, ufmPlusCe } from '../src/theory/ufmPlusCe.ts';

/** Instances with every class alive at the optimum (λ well below the minority-collapse threshold). */
const instances: SolverProblem[] = [
  { n: [10, 10, 40, 40], lambdaW: 5e-3, lambdaH: 5e-3, d: 8 },
  { n: [5, 10, 20, 40, 80], lambdaW: 1e-2, lambdaH: 1e-2, d: 8 },
  { n: [3, 3, 30, 30, 30, 30], lambdaW: 2e-3, lambdaH: 1e-2, d: 12 },
];

/** The optimum with class c dead: its feature columns and its classifier row W[c, :] set to 0. */
function withDeadClass(p: SolverProblem, c: number): { W: Dense; H: Dense } {
  const { W, H } = optimalPair(p);
  const { offsets, N } = classLayout(p.n);
  const Ws = clone(W);
  const Hs = clone(H);
  for (let j = 0; j < p.d; j++) {
    Ws.data[c * p.d + j] = 0;
    for (let i = offsets[c]; i < offsets[c + 1]; i++) Hs.data[j * N + i] = 0;
  }
  return { W: Ws, H: Hs };
}

describe('solve with an initial point', () => {
  it.each(instances)('from the closed-form optimum: certified in a few iterations at f* (%#)', (p) => {
    const { W, H } = optimalPair(p);
    const r = solve(p, { seed: 1, initial: { W, H } });
    expect(r.certified).toBe(true);
    expect(r.escapes).toBe(0);
    expect(r.restarts).toBe(0);
    // A cold start takes 50–60 iterations on these instances (measured); the optimum, rounded to
    // float64, needs at most a few polishing steps to reach the KKT residual 1e-10.
    expect(r.iterations).toBeLessThanOrEqual(20);
    // f* from the closed form; both the returned f and f* lie within the certificate's proven gap
    // (f − f* ≤ gap), widened by the rounding of two evaluations of f (≈ N·1e-16 relative; 1e-13 · |f|).
    const fStar = ufmPlusCe.predict(p).objective;
    const gap = r.certificate.objectiveGap ?? Infinity;
    expect(Math.abs(r.objective - fStar)).toBeLessThanOrEqual(Math.max(gap, 0) + 1e-13 * Math.abs(fStar));
  });

  it.each(instances)('from a point with a dead class: escapes and certifies (%#)', (p) => {
    const start = withDeadClass(p, 0);
    const layout = classLayout(p.n);
    const fStart = ufmObjective(start.W, start.H, layout, p);
    const r = solve(p, { seed: 1, initial: start });
    expect(r.certified).toBe(true);
    expect(r.escapes).toBeGreaterThanOrEqual(1);
    expect(r.restarts).toBe(0);
    // The history shows the dead class's saddle: a certificate with ρ > 1 before the first escape.
    const firstCert = r.history.find((e) => e.kind === 'certificate');
    expect(firstCert?.ratio).toBeGreaterThan(1 + 1e-6);
    const fStar = ufmPlusCe.predict(p).objective;
    expect(fStart).toBeGreaterThan(fStar + 1e-6); // the start really is spurious
    expect(Math.abs(r.objective - fStar)).toBeLessThanOrEqual(Math.max(r.certificate.objectiveGap ?? Infinity, 0) + 1e-13 * Math.abs(fStar));
  });

  it('same seed and same initial point: bit-identical results; the initial point is not modified', () => {
    const p = instances[1];
    const start = withDeadClass(p, 2);
    const before = Float64Array.from(start.H.data);
    const a = solve(p, { seed: 'w', initial: start });
    const b = solve(p, { seed: 'w', initial: start });
    expect(Array.from(b.W.data)).toEqual(Array.from(a.W.data));
    expect(Array.from(b.H.data)).toEqual(Array.from(a.H.data));
    expect(b.objective).toBe(a.objective);
    expect(b.iterations).toBe(a.iterations);
    expect(Array.from(start.H.data)).toEqual(Array.from(before));
  });

  it('UFM+: negative entries of H are projected to 0', () => {
    const p = instances[0];
    const { W, H } = optimalPair(p);
    const Hn = clone(H);
    // Coordinate 6 is unused at the optimum (d = 8 > K = 4): −1 there projects back to the optimum.
    Hn.data.fill(-1, 6 * Hn.cols, 7 * Hn.cols);
    const r = solve(p, { seed: 1, initial: { W, H: Hn } });
    const ref = solve(p, { seed: 1, initial: { W, H } });
    expect(r.objective).toBe(ref.objective);
    expect(Math.min(...r.H.data)).toBeGreaterThanOrEqual(0);
  });

  it('bad initial points are InputErrors naming the field', () => {
    const p = instances[0];
    const { W, H } = optimalPair(p);
    const nan = clone(H);
    nan.data[3] = NaN;
    const inf = clone(W);
    inf.data[0] = Infinity;
    const cases: [unknown, string][] = [
      [{ W: optimalPair({ ...p, d: 9 }).W, H }, 'initial.W'],
      [{ W, H: optimalPair({ ...p, d: 9 }).H }, 'initial.H'],
      [{ W, H: { rows: H.rows, cols: H.cols, data: H.data.subarray(1) } }, 'initial.H'],
      [{ W, H: nan }, 'initial.H'],
      [{ W: inf, H }, 'initial.W'],
      [{ H }, 'initial.W'],
      [{ W, H, b: [0, 0, 0, 0] }, 'initial.b'], // no bias in this problem
      [null, 'initial'],
    ];
    for (const [initial, name] of cases) {
      expect(() => solve(p, { initial: initial as never })).toThrow(InputError);
      expect(() => solve(p, { initial: initial as never })).toThrow(new RegExp(`^${name.replace('.', '\\.')}:`));
    }
    // With a bias: b must have K finite entries.
    const pb = { ...p, bias: true };
    expect(() => solve(pb, { initial: { W, H, b: [0, 0] } })).toThrow(/^initial\.b:/);
    expect(() => solve(pb, { initial: { W, H, b: [0, NaN, 0, 0] } })).toThrow(/^initial\.b:/);
  });
});
