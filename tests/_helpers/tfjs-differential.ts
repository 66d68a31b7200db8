/**
 * The differential check of the tfjs objective and gradient (src/solver-tfjs/objective.ts) against
 * the float64 solver's evaluator (src/solver/objective/evaluator.ts), shared by the CPU-backend
 * test (tests/solver-tfjs-gradient.test.ts) and the webgpu one (tests/webgpu-solver.test.ts).
 * Tolerance: the float32 forward-error bound of src/solver-tfjs/roundoff.ts (derived there, and
 * summarised in tests/solver-tfjs-gradient.test.ts): a wrong formula is off by O(1)·scale.
 * Reads are asynchronous (`await t.data()`): webgpu has no `dataSync` under Node.
 */
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { Evaluator } from '../../src/solver/objective/evaluator.ts';
import { type SolverProblem, validateProblem } from '../../src/solver/problem.ts';
import type { Tf } from '../../src/tfjs/backend.ts';
import { disposeBatch, packBatch, validateTfProblem } from '../../src/solver-tfjs/batch.ts';
import { evaluateBatch } from '../../src/solver-tfjs/objective.ts';
import { float32ErrorBounds } from '../../src/solver-tfjs/roundoff.ts';

const f32 = Math.fround;

/** Two problems of one family (same K, d, constraint, bias) with different n, so padding is exercised. */
export const family = fc
  .record({
    K: fc.integer({ min: 2, max: 5 }),
    dExtra: fc.integer({ min: 0, max: 8 }),
    nonNegative: fc.boolean(),
    bias: fc.boolean(),
    freeBias: fc.boolean(),
    logLambda: fc.array(fc.double({ min: Math.log(1e-4), max: Math.log(1e-1), noNaN: true }), { minLength: 5, maxLength: 5 }),
    sizes: fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 10, maxLength: 10 }),
    logitScale: fc.double({ min: Math.log(0.1), max: Math.log(30), noNaN: true }),
    pointSeed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  })
  .map((r) => {
    const d = r.K + r.dExtra;
    const problem = (t: number): SolverProblem => ({
      n: r.sizes.slice(5 * t, 5 * t + r.K),
      lambdaW: Math.exp(r.logLambda[2 * t]),
      lambdaH: Math.exp(r.logLambda[2 * t + 1]),
      d,
      nonNegative: r.nonNegative,
      bias: r.bias,
      ...(r.bias && !r.freeBias ? { lambdaB: Math.exp(r.logLambda[4]) } : {}),
    });
    return { problems: [problem(0), problem(1)], logitScale: Math.exp(r.logitScale), pointSeed: r.pointSeed };
  });

/** A float32-representable point: |logits| about `scale`, H ≥ 0 under UFM+. */
function randomPoint(p: SolverProblem, scale: number, seed: string) {
  const rng = seedrandom(seed);
  const K = p.n.length;
  const N = p.n.reduce((a, b) => a + b, 0);
  const sigma = Math.sqrt(scale) * p.d ** -0.25;
  const W = Float64Array.from({ length: K * p.d }, () => f32(sigma * (2 * rng() - 1)));
  const H = Float64Array.from({ length: p.d * N }, () => f32(sigma * (p.nonNegative !== false ? rng() : 2 * rng() - 1)));
  const b = p.bias ? Array.from({ length: K }, () => f32(scale * (2 * rng() - 1))) : null;
  return { W, H, b, N };
}

/** One generated sample of {@link family}. */
export type FamilySample = typeof family extends fc.Arbitrary<infer T> ? T : never;

/**
 * Evaluates f and ∇f of the sample's two-instance batch on `tf` and checks every entry against
 * float64 within the float32 bound; returns the largest error / bound seen (≤ 1 when it passes).
 *
 * @throws Error naming the entry, both values, the error and the bound when one is out of bound,
 *   or when a tensor leaked or a padded row's gradient is not exactly 0
 */
export async function checkAgainstFloat64(tf: Tf, { problems, logitScale, pointSeed }: FamilySample): Promise<number> {
  let worst = 0;
  const validated = problems.map(validateTfProblem);
  const points = problems.map((p, t) => randomPoint(p, logitScale, `${pointSeed}/${t}`));
  const before = tf.memory().numTensors;
  const batch = packBatch(tf, validated);
  const { B, K, d, N: Np } = batch;
  const w = new Float32Array(B * K * d);
  const ht = new Float32Array(B * Np * d);
  const bias = new Float32Array(B * K);
  points.forEach((x, t) => {
    w.set(x.W, t * K * d);
    for (let i = 0; i < x.N; i++) for (let j = 0; j < d; j++) ht[(t * Np + i) * d + j] = x.H[j * x.N + i];
    if (x.b) bias.set(x.b, t * K);
  });
  const tensors = tf.tidy(() => {
    const point = { W: tf.tensor3d(w, [B, K, d]), Ht: tf.tensor3d(ht, [B, Np, d]), b: batch.bias ? tf.tensor3d(bias, [B, 1, K]) : null };
    const ev = evaluateBatch(tf, batch, point, true);
    return [ev.value, ev.grad!.W, ev.grad!.Ht, ...(ev.grad!.b ? [ev.grad!.b] : [])];
  });
  let values: ArrayLike<number>[];
  try {
    values = await Promise.all(tensors.map((t) => t.data()));
  } finally {
    tf.dispose(tensors);
    disposeBatch(batch);
  }
  if (tf.memory().numTensors !== before) throw new Error(`tensors leaked: ${tf.memory().numTensors - before}`);
  const [f, gW, gHt, gb = null] = values;
  problems.forEach((p, t) => {
    const x = points[t];
    const v = validateProblem(p);
    const ev = new Evaluator(v, d);
    const flat = new Float64Array(ev.size);
    flat.set(x.W, 0);
    flat.set(x.H, ev.hOffset);
    if (x.b) flat.set(x.b, ev.bOffset);
    const g = new Float64Array(ev.size);
    const f64 = ev.evaluate(flat, g);
    const bound = float32ErrorBounds(v, { rows: K, cols: d, data: x.W }, { rows: d, cols: x.N, data: x.H }, x.b);
    const check = (got: number, want: number, tol: number, what: string) => {
      const err = Math.abs(got - want);
      if (!(err <= tol)) throw new Error(`${what}: float32 ${got} vs float64 ${want}, error ${err} > bound ${tol}`);
      if (tol > 0) worst = Math.max(worst, err / tol);
    };
    check(f[t], f64, bound.value, 'f');
    for (let e = 0; e < K * d; e++) check(gW[t * K * d + e], g[e], bound.W[e], `∂f/∂W[${e}]`);
    for (let i = 0; i < x.N; i++) {
      for (let j = 0; j < d; j++) check(gHt[(t * Np + i) * d + j], g[ev.hOffset + j * x.N + i], bound.H[j * x.N + i], `∂f/∂H[${j},${i}]`);
    }
    for (let i = x.N; i < Np; i++) {
      for (let j = 0; j < d; j++) if (gHt[(t * Np + i) * d + j] !== 0) throw new Error(`padded row ${i}: ∂f/∂H is ${gHt[(t * Np + i) * d + j]}, not 0`);
    }
    if (x.b) for (let k = 0; k < K; k++) check(gb![t * K + k], g[ev.bOffset + k], bound.b![k], `∂f/∂b[${k}]`);
  });
  return worst;
}
