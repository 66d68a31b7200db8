import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { mse } from '../src/loss/mse.ts';
import { classBlocks, MAX_BLOCKS } from '../src/solver/objective/blocks.ts';
import { Evaluator } from '../src/solver/objective/evaluator.ts';
import { objectivePool } from '../src/solver/objective/pool.ts';
import { type SolverProblem, validateProblem } from '../src/solver/problem.ts';
import { solve } from '../src/solver/solver.ts';

/**
 * Bit-identical results whatever the number of threads (src/solver/objective): the column blocks
 * are fixed by the class sizes and their partial sums are added in block order, so f, ∇f and a
 * whole solve must agree to the last bit for 1, 2 and 3 threads — exact equality, no tolerance.
 */

/** A point with random W, H ≥ 0 with a third of its (coordinate, class) blocks zero, b random. */
function point(ev: Evaluator, seed: string): Float64Array {
  const rng = seedrandom(seed);
  const x = new Float64Array(ev.size);
  for (let t = 0; t < ev.hOffset; t++) x[t] = 2 * rng() - 1;
  const { offsets } = ev.problem.layout;
  for (let j = 0; j < ev.d; j++) {
    for (let c = 0; c < ev.K; c++) {
      const zero = rng() < 1 / 3;
      for (let i = offsets[c]; i < offsets[c + 1]; i++) x[ev.hOffset + j * ev.N + i] = zero ? 0 : rng();
    }
  }
  for (let t = ev.bOffset; t < ev.size; t++) x[t] = rng() - 0.5;
  return x;
}

/** Step-imbalanced sizes: K classes, sizes 7, 14, … cycling over 5 levels (N in the thousands, so there are many blocks). */
const sizes = (K: number): number[] => Array.from({ length: K }, (_, k) => 7 * (1 + (k % 5)) * 9);

const problems: [string, SolverProblem][] = [
  ['UFM+ (cross-entropy, blockwise loss)', { n: sizes(23), lambdaW: 1e-3, lambdaH: 2e-3, d: 29 }],
  ['UFM+ with a free bias', { n: sizes(17), lambdaW: 1e-3, lambdaH: 2e-3, d: 19, bias: true }],
  ['plain UFM, MSE with a regularised bias (loss on the whole of Z)', { n: sizes(9), lambdaW: 1e-2, lambdaH: 2e-2, d: 11, nonNegative: false, loss: mse, bias: true, lambdaB: 0.1 }],
];

describe('objective threads: bit-identical results', () => {
  it('the block partition depends on the class sizes only, covers every class once, and has at most MAX_BLOCKS blocks', () => {
    const offsets = [0];
    for (const n of sizes(40)) offsets.push(offsets[offsets.length - 1] + n);
    const b = classBlocks(offsets);
    expect(b[0]).toBe(0);
    expect(b[b.length - 1]).toBe(40);
    expect(b.length - 1).toBeLessThanOrEqual(MAX_BLOCKS);
    expect(b.length - 1).toBeGreaterThan(1);
    for (let q = 1; q < b.length; q++) expect(b[q]).toBeGreaterThan(b[q - 1]);
    expect(Array.from(classBlocks([0, 3, 5]))).toEqual([0, 1, 2]);
  });

  it.each(problems)('%s: f, ∇f, Z and ∇L equal to the bit for 1, 2 and 3 threads, with and without frozen blocks', (_, problem) => {
    const p = validateProblem(problem);
    const d = problem.d;
    const frozen = new Uint8Array(d * p.layout.K);
    for (let t = 0; t < frozen.length; t += 3) frozen[t] = 1;
    const results = [1, 2, 3].map((threads) => {
      const pool = threads === 1 ? null : objectivePool(threads);
      if (threads > 1) expect(pool?.threads).toBe(threads);
      const ev = new Evaluator(p, d, pool);
      const x = point(ev, 'x');
      // Frozen blocks must be zero in x: zero them.
      const xf = Float64Array.from(x);
      for (let j = 0; j < d; j++) for (let c = 0; c < p.layout.K; c++) {
        if (frozen[j * p.layout.K + c] === 1) xf.fill(0, ev.hOffset + j * ev.N + p.layout.offsets[c], ev.hOffset + j * ev.N + p.layout.offsets[c + 1]);
      }
      const g = new Float64Array(ev.size);
      const f = ev.evaluate(x, g);
      const Z = Float64Array.from(ev.Z);
      const G = Float64Array.from(ev.G);
      const gf = new Float64Array(ev.size).fill(7);
      const ff = ev.evaluate(xf, gf, frozen);
      const f0 = ev.evaluate(x);
      ev.dispose();
      return { f, g, Z, G, ff, gf, f0 };
    });
    for (const r of results.slice(1)) {
      expect(r.f).toBe(results[0].f);
      expect(r.f0).toBe(results[0].f);
      expect(r.ff).toBe(results[0].ff);
      expect(Buffer.from(r.g.buffer).equals(Buffer.from(results[0].g.buffer))).toBe(true);
      expect(Buffer.from(r.gf.buffer).equals(Buffer.from(results[0].gf.buffer))).toBe(true);
      expect(Buffer.from(r.Z.buffer).equals(Buffer.from(results[0].Z.buffer))).toBe(true);
      expect(Buffer.from(r.G.buffer).equals(Buffer.from(results[0].G.buffer))).toBe(true);
    }
    // Frozen blocks are left untouched in g (still 7).
    const ev = new Evaluator(p, d);
    const { offsets } = p.layout;
    expect(results[0].gf[ev.hOffset + offsets[0]]).toBe(7);
  });

  it.each(problems)('%s: value + finishGradient and completeFrozen give what evaluate gives, to the bit, for 1 and 2 threads', (_, problem) => {
    const p = validateProblem(problem);
    const d = problem.d;
    const K = p.layout.K;
    const frozen = new Uint8Array(d * K);
    for (let t = 0; t < frozen.length; t += 3) frozen[t] = 1;
    for (const threads of [1, 2]) {
      const ev = new Evaluator(p, d, threads === 1 ? null : objectivePool(threads));
      const x = point(ev, 'split');
      for (let j = 0; j < d; j++) for (let c = 0; c < K; c++) {
        if (frozen[j * K + c] === 1) x.fill(0, ev.hOffset + j * ev.N + p.layout.offsets[c], ev.hOffset + j * ev.N + p.layout.offsets[c + 1]);
      }
      const full = new Float64Array(ev.size);
      const f = ev.evaluate(x, full);
      // Loss first, products afterwards (the line search), with frozen blocks skipped.
      const split = new Float64Array(ev.size).fill(7);
      expect(ev.value(x, frozen)).toBe(f);
      ev.finishGradient(x, split, frozen);
      // Then only the frozen blocks (the refresh after an accepted step): the full gradient.
      ev.completeFrozen(x, split, frozen);
      expect(Buffer.from(split.buffer).equals(Buffer.from(full.buffer))).toBe(true);
      ev.dispose();
    }
  });

  it('a whole certified solve is bit-identical with 1 and 2 threads (W, H, f, iterations, history)', () => {
    const problem: SolverProblem = { n: [30, 60, 90, 120, 150, 30, 60, 90], lambdaW: 2e-3, lambdaH: 2e-3, d: 12 };
    const one = solve(problem, { seed: 3, threads: 1 });
    const two = solve(problem, { seed: 3, threads: 2 });
    expect(one.certified).toBe(true);
    expect(two.objective).toBe(one.objective);
    expect(two.iterations).toBe(one.iterations);
    expect(two.evaluations).toBe(one.evaluations);
    expect(Buffer.from(two.W.data.buffer).equals(Buffer.from(one.W.data.buffer))).toBe(true);
    expect(Buffer.from(two.H.data.buffer).equals(Buffer.from(one.H.data.buffer))).toBe(true);
    expect(two.history).toEqual(one.history);
  });
});
