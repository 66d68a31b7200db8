/**
 * The measurements of `npm run bench:gpu` (bench/backends.bench.ts), shared with the GPU check
 * bundle (scripts/gpu-check/check.ts): f and ∇f throughput, float32-vs-float64 agreement, small
 * solves, mixed precision. Every record names the backend with {@link label}, so a software
 * WebGPU adapter (lavapipe) is never listed as a GPU. Reads are `await t.data()` on every backend.
 */
import seedrandom from 'seedrandom';
import { Evaluator } from '../src/solver/objective/evaluator.ts';
import { type SolverProblem, validateProblem } from '../src/solver/problem.ts';
import { solve } from '../src/solver/solver.ts';
import type { LoadedTfjs } from '../src/tfjs/backend.ts';
import { disposeBatch, packBatch, validateTfProblem } from '../src/solver-tfjs/batch.ts';
import { solveMixedPrecision } from '../src/solver-tfjs/mixed.ts';
import { evaluateBatch } from '../src/solver-tfjs/objective.ts';
import { float32ErrorBounds } from '../src/solver-tfjs/roundoff.ts';
import { solveTfjs } from '../src/solver-tfjs/solve.ts';

/**
 * The backend as a table label: `webgpu (software adapter: llvmpipe…)` for a CPU emulation,
 * `webgpu (nvidia hopper)` on a GPU, the tfjs backend name otherwise.
 */
export function label(env: LoadedTfjs): string {
  const a = env.adapter;
  if (a === null) return env.backend;
  return a.software ? `${env.backend} (software adapter: ${a.device || a.description})` : `${env.backend} (${[a.vendor, a.architecture].filter(Boolean).join(' ')})`;
}

export interface Size { name: string; K: number; d: number; N: number; skipOn?: string[] }

export const SIZES: Size[] = [
  { name: 'S', K: 4, d: 8, N: 100 },
  { name: 'M', K: 10, d: 64, N: 2_750 },
  { name: 'L', K: 20, d: 128, N: 10_000 },
  ...(process.env.BENCH_XL === '0' ? [] : [{ name: 'XL', K: 100, d: 512, N: 50_000, skipOn: ['cpu'] }]),
];

/** Class sizes summing to N over K classes, imbalanced 1:3 (first half small). */
export function sizesFor(K: number, N: number): number[] {
  const small = Math.max(1, Math.floor(N / (2 * K)));
  const n = Array.from({ length: K }, (_, k) => (k < K / 2 ? small : 3 * small));
  n[K - 1] += N - n.reduce((a, b) => a + b, 0);
  return n;
}
export const problemFor = (s: Size): SolverProblem => ({ n: sizesFor(s.K, s.N), lambdaW: 1e-3, lambdaH: 1e-3, d: s.d });

/** A float32-representable point (logits O(1)), laid out for tfjs (Hᵀ) and for the float64 evaluator (H). */
export function pointFor(p: SolverProblem, seed: string) {
  const rng = seedrandom(seed);
  const K = p.n.length;
  const N = p.n.reduce((a, b) => a + b, 0);
  const s = p.d ** -0.25;
  const W = new Float32Array(K * p.d).map(() => s * (2 * rng() - 1));
  const Ht = new Float32Array(N * p.d).map(() => s * rng());
  const H = new Float64Array(p.d * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < p.d; j++) H[j * N + i] = Ht[i * p.d + j];
  return { W, Ht, H, K, N };
}

/**
 * Repeats f for at least `seconds` and `minReps` times; returns seconds per call. f may be async:
 * tfjs reads are `await t.data()` on every backend (webgpu has no dataSync under Node), so each
 * backend is timed the same way.
 */
export async function timeIt(f: () => void | Promise<unknown>, seconds: number, minReps = 1, maxReps = 1000, warmUp = true): Promise<number> {
  if (warmUp) await f(); // JIT, kernel set-up, shader compilation
  let reps = 0;
  const t0 = performance.now();
  while (reps < minReps || (performance.now() - t0 < seconds * 1000 && reps < maxReps)) {
    await f();
    reps++;
  }
  return (performance.now() - t0) / 1000 / reps;
}

export async function gradientThroughput(env: LoadedTfjs, s: Size, B: number) {
  const { tf } = env;
  const p = problemFor(s);
  const batch = packBatch(tf, Array(B).fill(validateTfProblem(p)));
  const x = pointFor(p, 'bench');
  const W = tf.tensor3d(Float32Array.from({ length: B * x.W.length }, (_, t) => x.W[t % x.W.length]), [B, s.K, s.d]);
  const Ht = tf.tensor3d(Float32Array.from({ length: B * x.Ht.length }, (_, t) => x.Ht[t % x.Ht.length]), [B, x.N, s.d]);
  const big = s.name === 'XL';
  const once = async () => {
    const g = tf.tidy(() => evaluateBatch(tf, batch, { W, Ht, b: null }, true).grad!.Ht);
    try { await g.data(); } finally { g.dispose(); }
  };
  try {
    const sec = await timeIt(once, big ? 0 : 1.5, big ? 2 : 3, 1000, !big || env.backend === 'webgpu');
    return { backend: label(env), device: env.device, size: s.name, K: s.K, d: s.d, N: s.N, B, secondsPerEval: sec / B, evalsPerSecond: B / sec };
  } finally {
    W.dispose(); Ht.dispose(); disposeBatch(batch);
  }
}

export async function float64Throughput(s: Size) {
  const p = validateProblem(problemFor(s));
  const ev = new Evaluator(p, s.d);
  const x = pointFor(problemFor(s), 'bench');
  const flat = new Float64Array(ev.size);
  flat.set(x.W, 0);
  flat.set(x.H, ev.hOffset);
  const g = new Float64Array(ev.size);
  const big = s.name === 'XL';
  const sec = await timeIt(() => { ev.evaluate(flat, g); }, big ? 0 : 1.5, big ? 1 : 3, 1000, !big);
  return { backend: 'float64 CPU evaluator (JavaScript)', size: s.name, K: s.K, d: s.d, N: s.N, secondsPerEval: sec, evalsPerSecond: 1 / sec };
}

export async function gradientAgreement(env: LoadedTfjs, s: Size) {
  const { tf } = env;
  const p = problemFor(s);
  const v = validateProblem(p);
  const x = pointFor(p, 'agreement');
  const batch = packBatch(tf, [validateTfProblem(p)]);
  const out = tf.tidy(() => {
    const ev = evaluateBatch(tf, batch, { W: tf.tensor3d(x.W, [1, s.K, s.d]), Ht: tf.tensor3d(x.Ht, [1, x.N, s.d]), b: null }, true);
    return [ev.value, ev.grad!.W, ev.grad!.Ht];
  });
  let got: { f: number; gW: Float32Array; gHt: Float32Array };
  try {
    const [f32, gW, gHt] = (await Promise.all(out.map((t) => t.data()))) as Float32Array[];
    got = { f: f32[0], gW, gHt };
  } finally {
    tf.dispose(out);
    disposeBatch(batch);
  }
  const ev = new Evaluator(v, s.d);
  const flat = new Float64Array(ev.size);
  flat.set(x.W, 0);
  flat.set(x.H, ev.hOffset);
  const g = new Float64Array(ev.size);
  const f = ev.evaluate(flat, g);
  const bound = float32ErrorBounds(v, { rows: s.K, cols: s.d, data: Float64Array.from(x.W) }, { rows: s.d, cols: x.N, data: x.H }, null);
  let overBound = Math.abs(got.f - f) / bound.value;
  let maxErr = 0;
  let maxG = 0;
  for (let e = 0; e < s.K * s.d; e++) {
    const err = Math.abs(got.gW[e] - g[e]);
    overBound = Math.max(overBound, err / bound.W[e]);
    maxErr = Math.max(maxErr, err);
    maxG = Math.max(maxG, Math.abs(g[e]));
  }
  let maxErrH = 0;
  let maxGH = 0;
  for (let i = 0; i < x.N; i++) {
    for (let j = 0; j < s.d; j++) {
      const want = g[ev.hOffset + j * x.N + i];
      const err = Math.abs(got.gHt[i * s.d + j] - want);
      overBound = Math.max(overBound, err / bound.H[j * x.N + i]);
      maxErrH = Math.max(maxErrH, err);
      maxGH = Math.max(maxGH, Math.abs(want));
    }
  }
  return {
    backend: label(env), size: s.name, K: s.K, d: s.d, N: s.N,
    valueRelativeError: Math.abs(got.f - f) / Math.abs(f),
    gradWRelativeError: maxErr / maxG,
    gradHRelativeError: maxErrH / maxGH,
    maxErrorOverBound: overBound,
  };
}

export function smallInstances(): SolverProblem[] {
  const rng = seedrandom('bench-small');
  return Array.from({ length: 16 }, () => ({
    n: Array.from({ length: 4 }, () => 5 + Math.floor(rng() * 36)),
    lambdaW: 10 ** (-3 + rng()), lambdaH: 10 ** (-3 + rng()), d: 8,
  }));
}

/** `count` of the 16 small instances to the basin (float32, one start each), batched or one after another. */
export async function solves(env: LoadedTfjs, batching: 'batched' | 'sequential', count = 16) {
  const problems = smallInstances().slice(0, count);
  const t0 = performance.now();
  const rs = await solveTfjs(problems, { batching, maxIterations: 1000, starts: 1 }, env);
  const seconds = (performance.now() - t0) / 1000;
  return {
    backend: label(env), batching, instances: problems.length, seconds, solvesPerSecond: problems.length / seconds,
    meanIterations: rs.reduce((a, r) => a + r.iterations, 0) / rs.length,
  };
}

/** Starts of the tfjs stage in the mixed runs: one plain, one with the warm-up (the default 4 doubles the time). */
export const MIXED_STARTS = 2;

export const MIXED: { name: string; problem: SolverProblem }[] = [
  { name: 'step K=10 d=64 N=2750', problem: problemFor({ name: 'M', K: 10, d: 64, N: 2_750 }) },
  { name: 'balanced K=10 d=32 N=2000', problem: { n: Array(10).fill(200), lambdaW: 1e-3, lambdaH: 1e-3, d: 32 } },
  { name: '§2 hard (10,10,40,40) d=8', problem: { n: [10, 10, 40, 40], lambdaW: 5e-3, lambdaH: 5e-3, d: 8 } },
  // ≈ 5 minutes of wasm on its own: only with BENCH_MIXED_LARGE=1.
  ...(process.env.BENCH_MIXED_LARGE === '1' ? [{ name: 'step K=20 d=128 N=10000', problem: problemFor({ name: 'L', K: 20, d: 128, N: 10_000 }) }] : []),
];

export async function mixed(env: LoadedTfjs, name: string, problem: SolverProblem) {
  const t0 = performance.now();
  const [m] = await solveMixedPrecision([problem], { tfjs: { starts: MIXED_STARTS } }, env);
  const wall = (performance.now() - t0) / 1000;
  const ref = solve(problem, { seed: 1 });
  return {
    name, backend: label(env), device: env.device, adapter: env.adapter, route: m.route, certified: m.certified, objective: m.objective,
    tfjsIterations: m.tfjs.iterations, tfjsObjective32: m.tfjs.objective32,
    secondsTfjs: m.seconds.tfjs, secondsFloat64: m.seconds.float64, float64Iterations: m.iterations, escapes: m.escapes, secondsTotal: wall,
    float64Certified: ref.certified, float64Objective: ref.objective, float64Seconds: ref.seconds,
  };
}

