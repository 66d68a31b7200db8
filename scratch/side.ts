import { Evaluator as Old } from '/tmp/base/src/solver/_internals/evaluator.ts';
import { validateProblem as oldValidate } from '/tmp/base/src/solver/problem.ts';
import { Evaluator } from '../src/solver/objective/evaluator.ts';
import { objectivePool } from '../src/solver/objective/pool.ts';
import { validateProblem } from '../src/solver/problem.ts';
import seedrandom from 'seedrandom';
import { loadavg } from 'node:os';
const [K, d, N] = process.argv.slice(2).map(Number);
const n: number[] = []; for (let s = 1; s <= 10; s++) for (let c = 0; c < K / 10; c++) n.push(Math.round((s * N) / ((K / 10) * 55)));
const prob = { n, lambdaW: 1e-4, lambdaH: 1e-4, d };
const old = new Old(oldValidate(prob), d);
const one = new Evaluator(validateProblem(prob), d);
const two = new Evaluator(validateProblem(prob), d, objectivePool(2));
const rng = seedrandom('1');
const dense = new Float64Array(one.size).map((_, t) => (t < one.hOffset ? 2 * rng() - 1 : rng()) * 0.1);
// Near-solution sparsity: H[j, class c] non-zero only for j = c (one coordinate per class).
const sparse = Float64Array.from(dense);
const { offsets } = one.problem.layout;
const frozen = new Uint8Array(d * K);
for (let j = 0; j < d; j++) for (let c = 0; c < K; c++) if (j !== c) { sparse.fill(0, one.hOffset + j * N + offsets[c], one.hOffset + j * N + offsets[c + 1]); frozen[j * K + c] = 1; }
const g = new Float64Array(one.size);
const time = (f: () => number): number => { const t = performance.now(); f(); return performance.now() - t; };
const R = 3;
const acc: Record<string, number[]> = {};
for (let r = 0; r < R + 1; r++) {
  for (const [name, fn] of [
    ['old dense', () => old.evaluate(dense, g)], ['new 1t dense', () => one.evaluate(dense, g)], ['new 2t dense', () => two.evaluate(dense, g)],
    ['old sparse+frozen', () => old.evaluate(sparse, g, frozen)], ['new 1t sparse+frozen', () => one.evaluate(sparse, g, frozen)], ['new 2t sparse+frozen', () => two.evaluate(sparse, g, frozen)],
  ] as [string, () => number][]) {
    const ms = time(fn);
    if (r > 0) (acc[name] ??= []).push(ms);
  }
}
console.log(`K=${K} d=${d} N=${N}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, median of ${R} interleaved rounds (ms per evaluation with gradient):`);
for (const [k, v] of Object.entries(acc)) console.log(k.padEnd(22), v.sort((a, b) => a - b)[Math.floor(v.length / 2)].toFixed(1));
process.exit(0);
