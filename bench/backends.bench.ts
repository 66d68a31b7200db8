/**
 * `npm run bench:gpu`: the tfjs solver (src/solver-tfjs) on every TensorFlow.js backend that loads
 * here — tfjs-node-gpu / tfjs-node ('tensorflow'), wasm, cpu — against the float64 CPU solver.
 * Writes reports/bench/backends.json and reports/bench/backends.md; prints progress. Every figure
 * names the backend (and device) that produced it; a backend that does not load is listed with why.
 *
 * 1. gradient evaluations/s (f and ∇f, float32) per backend and size, batch 1 — and batch 16 for
 *    the small size, per instance — next to the float64 evaluator of the CPU solver;
 * 2. gradient agreement: float32 vs float64 at the same (float32) point, as max |error| / derived
 *    bound (src/solver-tfjs/roundoff.ts; ≤ 1 required) and max |error| / max |∇f|;
 * 3. solves/s: 16 small instances to the basin (float32, one start each), batched vs sequential;
 * 4. mixed precision (2 tfjs starts: one plain, one with the class-balanced warm-up) vs float64
 *    alone: time to a certified optimum, with the route taken.
 *
 * Environment: BENCH_BACKENDS (comma list, default tensorflow,wasm,cpu), BENCH_XL=0 skips the
 * N = 50 000, d = 512, K = 100 size, BENCH_MIXED_LARGE=1 adds a K 20, d 128, N 10 000 mixed run. Wall-clock figures on a shared machine: the load average is
 * recorded with them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import seedrandom from 'seedrandom';
import { Evaluator } from '../src/solver/objective/evaluator.ts';
import { type SolverProblem, validateProblem } from '../src/solver/problem.ts';
import { solve } from '../src/solver/solver.ts';
import { type BackendName, type LoadedTfjs, loadTfjs, parseBackendName } from '../src/tfjs/backend.ts';
import { disposeBatch, packBatch, validateTfProblem } from '../src/solver-tfjs/batch.ts';
import { solveMixedPrecision } from '../src/solver-tfjs/mixed.ts';
import { evaluateBatch } from '../src/solver-tfjs/objective.ts';
import { float32ErrorBounds } from '../src/solver-tfjs/roundoff.ts';
import { solveTfjs } from '../src/solver-tfjs/solve.ts';

interface Size { name: string; K: number; d: number; N: number; skipOn?: string[] }

const SIZES: Size[] = [
  { name: 'S', K: 4, d: 8, N: 100 },
  { name: 'M', K: 10, d: 64, N: 2_750 },
  { name: 'L', K: 20, d: 128, N: 10_000 },
  ...(process.env.BENCH_XL === '0' ? [] : [{ name: 'XL', K: 100, d: 512, N: 50_000, skipOn: ['cpu'] }]),
];
const BACKENDS: BackendName[] = (process.env.BENCH_BACKENDS ?? 'tensorflow,wasm,cpu').split(',').map((b) => parseBackendName(b, 'BENCH_BACKENDS'));

/** Class sizes summing to N over K classes, imbalanced 1:3 (first half small). */
function sizesFor(K: number, N: number): number[] {
  const small = Math.max(1, Math.floor(N / (2 * K)));
  const n = Array.from({ length: K }, (_, k) => (k < K / 2 ? small : 3 * small));
  n[K - 1] += N - n.reduce((a, b) => a + b, 0);
  return n;
}
const problemFor = (s: Size): SolverProblem => ({ n: sizesFor(s.K, s.N), lambdaW: 1e-3, lambdaH: 1e-3, d: s.d });

/** A float32-representable point (logits O(1)), laid out for tfjs (Hᵀ) and for the float64 evaluator (H). */
function pointFor(p: SolverProblem, seed: string) {
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

/** Repeats f for at least `seconds` and `minReps` times; returns seconds per call. */
function timeIt(f: () => void, seconds: number, minReps = 1, maxReps = 1000, warmUp = true): number {
  if (warmUp) f(); // JIT, kernel set-up
  let reps = 0;
  const t0 = performance.now();
  while (reps < minReps || (performance.now() - t0 < seconds * 1000 && reps < maxReps)) {
    f();
    reps++;
  }
  return (performance.now() - t0) / 1000 / reps;
}

function log(msg: string): void {
  process.stderr.write(`[bench:gpu] ${msg}\n`);
}

async function gradientThroughput(env: LoadedTfjs, s: Size, B: number) {
  const { tf } = env;
  const p = problemFor(s);
  const batch = packBatch(tf, Array(B).fill(validateTfProblem(p)));
  const x = pointFor(p, 'bench');
  const W = tf.tensor3d(Float32Array.from({ length: B * x.W.length }, (_, t) => x.W[t % x.W.length]), [B, s.K, s.d]);
  const Ht = tf.tensor3d(Float32Array.from({ length: B * x.Ht.length }, (_, t) => x.Ht[t % x.Ht.length]), [B, x.N, s.d]);
  const big = s.name === 'XL';
  const sec = timeIt(() => tf.tidy(() => { evaluateBatch(tf, batch, { W, Ht, b: null }, true).grad!.Ht.dataSync(); }), big ? 0 : 1.5, big ? 2 : 3, 1000, !big);
  W.dispose(); Ht.dispose(); disposeBatch(batch);
  return { backend: env.backend, device: env.device, size: s.name, K: s.K, d: s.d, N: s.N, B, secondsPerEval: sec / B, evalsPerSecond: B / sec };
}

function float64Throughput(s: Size) {
  const p = validateProblem(problemFor(s));
  const ev = new Evaluator(p, s.d);
  const x = pointFor(problemFor(s), 'bench');
  const flat = new Float64Array(ev.size);
  flat.set(x.W, 0);
  flat.set(x.H, ev.hOffset);
  const g = new Float64Array(ev.size);
  const big = s.name === 'XL';
  const sec = timeIt(() => ev.evaluate(flat, g), big ? 0 : 1.5, big ? 1 : 3, 1000, !big);
  return { backend: 'float64 CPU evaluator (JavaScript)', size: s.name, K: s.K, d: s.d, N: s.N, secondsPerEval: sec, evalsPerSecond: 1 / sec };
}

function gradientAgreement(env: LoadedTfjs, s: Size) {
  const { tf } = env;
  const p = problemFor(s);
  const v = validateProblem(p);
  const x = pointFor(p, 'agreement');
  const batch = packBatch(tf, [validateTfProblem(p)]);
  let got!: { f: number; gW: Float32Array; gHt: Float32Array };
  tf.tidy(() => {
    const ev = evaluateBatch(tf, batch, { W: tf.tensor3d(x.W, [1, s.K, s.d]), Ht: tf.tensor3d(x.Ht, [1, x.N, s.d]), b: null }, true);
    got = { f: ev.value.dataSync()[0], gW: ev.grad!.W.dataSync() as Float32Array, gHt: ev.grad!.Ht.dataSync() as Float32Array };
  });
  disposeBatch(batch);
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
    backend: env.backend, size: s.name, K: s.K, d: s.d, N: s.N,
    valueRelativeError: Math.abs(got.f - f) / Math.abs(f),
    gradWRelativeError: maxErr / maxG,
    gradHRelativeError: maxErrH / maxGH,
    maxErrorOverBound: overBound,
  };
}

function smallInstances(): SolverProblem[] {
  const rng = seedrandom('bench-small');
  return Array.from({ length: 16 }, () => ({
    n: Array.from({ length: 4 }, () => 5 + Math.floor(rng() * 36)),
    lambdaW: 10 ** (-3 + rng()), lambdaH: 10 ** (-3 + rng()), d: 8,
  }));
}

async function solves(env: LoadedTfjs, batching: 'batched' | 'sequential') {
  const problems = smallInstances();
  const t0 = performance.now();
  const rs = await solveTfjs(problems, { batching, maxIterations: 1000, starts: 1 }, env);
  const seconds = (performance.now() - t0) / 1000;
  return {
    backend: env.backend, batching, instances: problems.length, seconds, solvesPerSecond: problems.length / seconds,
    meanIterations: rs.reduce((a, r) => a + r.iterations, 0) / rs.length,
  };
}

/** Starts of the tfjs stage in the mixed runs: one plain, one with the warm-up (the default 4 doubles the time). */
const MIXED_STARTS = 2;

const MIXED: { name: string; problem: SolverProblem }[] = [
  { name: 'step K=10 d=64 N=2750', problem: problemFor({ name: 'M', K: 10, d: 64, N: 2_750 }) },
  { name: 'balanced K=10 d=32 N=2000', problem: { n: Array(10).fill(200), lambdaW: 1e-3, lambdaH: 1e-3, d: 32 } },
  { name: '§2 hard (10,10,40,40) d=8', problem: { n: [10, 10, 40, 40], lambdaW: 5e-3, lambdaH: 5e-3, d: 8 } },
  // ≈ 5 minutes of wasm on its own: only with BENCH_MIXED_LARGE=1.
  ...(process.env.BENCH_MIXED_LARGE === '1' ? [{ name: 'step K=20 d=128 N=10000', problem: problemFor({ name: 'L', K: 20, d: 128, N: 10_000 }) }] : []),
];

async function mixed(env: LoadedTfjs, name: string, problem: SolverProblem) {
  const t0 = performance.now();
  const [m] = await solveMixedPrecision([problem], { tfjs: { starts: MIXED_STARTS } }, env);
  const wall = (performance.now() - t0) / 1000;
  const ref = solve(problem, { seed: 1 });
  return {
    name, backend: env.backend, device: env.device, route: m.route, certified: m.certified, objective: m.objective,
    tfjsIterations: m.tfjs.iterations, tfjsObjective32: m.tfjs.objective32,
    secondsTfjs: m.seconds.tfjs, secondsFloat64: m.seconds.float64, float64Iterations: m.iterations, escapes: m.escapes, secondsTotal: wall,
    float64Certified: ref.certified, float64Objective: ref.objective, float64Seconds: ref.seconds,
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const report = {
    generated: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', loadAverageAtStart: loadavg() },
    backends: [] as unknown[],
    gradientThroughput: [] as ReturnType<typeof gradientThroughput> extends Promise<infer T> ? T[] : never,
    float64Throughput: [] as ReturnType<typeof float64Throughput>[],
    gradientAgreement: [] as ReturnType<typeof gradientAgreement>[],
    solves: [] as Awaited<ReturnType<typeof solves>>[],
    mixed: [] as Awaited<ReturnType<typeof mixed>>[],
    loadAverageAtEnd: [] as number[],
    seconds: 0,
  };
  const loaded: LoadedTfjs[] = [];
  for (const name of BACKENDS) {
    try {
      const env = await loadTfjs(name);
      report.backends.push({ requested: name, backend: env.backend, device: env.device, tried: env.tried });
      loaded.push(env);
      log(`${name}: loaded ${env.backend} — ${env.device}`);
    } catch (e) {
      report.backends.push({ requested: name, error: e instanceof Error ? e.message : String(e) });
      log(`${name}: not available (${e instanceof Error ? e.message.slice(0, 120) : e})`);
    }
  }
  for (const s of SIZES) {
    log(`float64 evaluator, size ${s.name}`);
    report.float64Throughput.push(float64Throughput(s));
  }
  for (const env of loaded) {
    await env.tf.setBackend(env.backend);
    for (const s of SIZES) {
      if (s.skipOn?.includes(env.backend)) continue;
      log(`${env.backend}: gradient throughput, size ${s.name}`);
      report.gradientThroughput.push(await gradientThroughput(env, s, 1));
      if (s.name === 'S') report.gradientThroughput.push(await gradientThroughput(env, s, 16));
    }
    for (const s of SIZES.filter((z) => z.name === 'S' || z.name === 'M')) {
      log(`${env.backend}: gradient agreement, size ${s.name}`);
      report.gradientAgreement.push(gradientAgreement(env, s));
    }
    for (const batching of ['batched', 'sequential'] as const) {
      log(`${env.backend}: 16 small solves, ${batching}`);
      report.solves.push(await solves(env, batching));
    }
  }
  const fastest = loaded[0];
  if (fastest !== undefined) {
    await fastest.tf.setBackend(fastest.backend);
    for (const { name, problem } of MIXED) {
      log(`${fastest.backend}: mixed precision vs float64 alone — ${name}`);
      report.mixed.push(await mixed(fastest, name, problem));
    }
  }
  report.loadAverageAtEnd = loadavg();
  report.seconds = (performance.now() - started) / 1000;
  mkdirSync('reports/bench', { recursive: true });
  writeFileSync('reports/bench/backends.json', `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync('reports/bench/backends.md', markdown(report));
  log(`wrote reports/bench/backends.json and reports/bench/backends.md (${report.seconds.toFixed(0)} s)`);
}

const g3 = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : String(x));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function markdown(r: any): string {
  const lines: string[] = [];
  lines.push('# tfjs backends: throughput, agreement with float64, mixed precision', '');
  lines.push(`Generated ${r.generated} by \`npm run bench:gpu\` (bench/backends.bench.ts); Node ${r.machine.node}, ${r.machine.cpus} × ${r.machine.cpuModel};`);
  lines.push(`load average ${r.machine.loadAverageAtStart.map(g3).join(', ')} at start, ${r.loadAverageAtEnd.map(g3).join(', ')} at end (shared machine: wall-clock figures are noisy). ${g3(r.seconds)} s in all.`, '');
  lines.push('## Backends', '', '| requested | backend | device / why not |', '|---|---|---|');
  for (const b of r.backends) lines.push(`| ${b.requested} | ${b.backend ?? '—'} | ${b.device ?? `not available: ${String(b.error).slice(0, 160)}`} |`);
  lines.push('', '## f and ∇f evaluations per second (float32 tfjs; float64 JavaScript evaluator for reference)', '');
  lines.push('Sizes: S = K 4, d 8, N 100; M = K 10, d 64, N 2 750; L = K 20, d 128, N 10 000; XL = K 100, d 512, N 50 000. B = instances per batch (per-instance rate).', '');
  lines.push('| backend | size | B | evals/s | ms/eval |', '|---|---|---|---|---|');
  for (const t of r.gradientThroughput) lines.push(`| ${t.backend} | ${t.size} | ${t.B} | ${g3(t.evalsPerSecond)} | ${g3(1000 * t.secondsPerEval)} |`);
  for (const t of r.float64Throughput) lines.push(`| ${t.backend} | ${t.size} | 1 | ${g3(t.evalsPerSecond)} | ${g3(1000 * t.secondsPerEval)} |`);
  lines.push('', '## float32 vs float64 at the same point', '');
  lines.push('error/bound: the largest |float32 − float64| over f and every gradient entry divided by its derived worst-case float32 bound (src/solver-tfjs/roundoff.ts); must be ≤ 1.', '');
  lines.push('| backend | size | rel. error of f | max err ∇W / max abs ∇W | max err ∇H / max abs ∇H | max error/bound |', '|---|---|---|---|---|---|');
  for (const a of r.gradientAgreement) lines.push(`| ${a.backend} | ${a.size} | ${g3(a.valueRelativeError)} | ${g3(a.gradWRelativeError)} | ${g3(a.gradHRelativeError)} | ${g3(a.maxErrorOverBound)} |`);
  lines.push('', '## 16 small instances (K 4, d 8, N 20–160) to the basin in float32 (one start each)', '');
  lines.push('| backend | batching | seconds | solves/s | mean Adam iterations |', '|---|---|---|---|---|');
  for (const s of r.solves) lines.push(`| ${s.backend} | ${s.batching} | ${g3(s.seconds)} | ${g3(s.solvesPerSecond)} | ${g3(s.meanIterations)} |`);
  lines.push('', '## Time to a certified optimum: mixed precision vs the float64 solver alone', '');
  lines.push(`Mixed = tfjs float32 basin (${MIXED_STARTS} starts) → float64 solver warm-started there (local solve, escapes if the basin is spurious) + certificate. Every certificate is float64.`, '');
  lines.push('| instance | backend | route | certified | f (mixed) | f (float64) | tfjs s | float64 s (iterations, escapes) | mixed total s | float64 alone s |', '|---|---|---|---|---|---|---|---|---|---|');
  for (const m of r.mixed) {
    lines.push(`| ${m.name} | ${m.backend} | ${m.route} | ${m.certified} | ${m.objective.toPrecision(12)} | ${m.float64Objective.toPrecision(12)} | ${g3(m.secondsTfjs)} | ${g3(m.secondsFloat64)} (${m.float64Iterations}, ${m.escapes}) | ${g3(m.secondsTotal)} | ${g3(m.float64Seconds)} |`);
  }
  lines.push('');
  return lines.join('\n');
}

await main();
