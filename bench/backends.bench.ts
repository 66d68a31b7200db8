/**
 * `npm run bench:gpu`: the tfjs solver (src/solver-tfjs) on every TensorFlow.js backend that loads
 * here — webgpu (Dawn; a software adapter such as lavapipe is labelled so), tfjs-node-gpu /
 * tfjs-node ('tensorflow'), wasm, cpu — against the float64 CPU solver, side by side in one process.
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
 * Throughput is also given as a ratio to wasm at the same size and batch (the baseline, measured in
 * the same run). The mixed runs use the first backend that loaded and is not a software adapter.
 *
 * Environment: BENCH_BACKENDS (comma list, default webgpu,tensorflow,wasm,cpu), BENCH_XL=0 skips the
 * N = 50 000, d = 512, K = 100 size, BENCH_MIXED_LARGE=1 adds a K 20, d 128, N 10 000 mixed run. Wall-clock figures on a shared machine: the load average is
 * recorded with them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { type BackendName, type LoadedTfjs, loadTfjs, parseBackendName } from '../src/tfjs/backend.ts';
import { float64Throughput, gradientAgreement, gradientThroughput, label, MIXED, MIXED_STARTS, mixed, SIZES, solves } from './backends-measure.ts';

const BACKENDS: BackendName[] = (process.env.BENCH_BACKENDS ?? 'webgpu,tensorflow,wasm,cpu').split(',').map((b) => parseBackendName(b, 'BENCH_BACKENDS'));

function log(msg: string): void {
  process.stderr.write(`[bench:gpu] ${msg}\n`);
}

async function main(): Promise<void> {
  const started = performance.now();
  const report = {
    generated: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', loadAverageAtStart: loadavg() },
    backends: [] as unknown[],
    gradientThroughput: [] as Awaited<ReturnType<typeof gradientThroughput>>[],
    float64Throughput: [] as Awaited<ReturnType<typeof float64Throughput>>[],
    gradientAgreement: [] as Awaited<ReturnType<typeof gradientAgreement>>[],
    solves: [] as Awaited<ReturnType<typeof solves>>[],
    mixed: [] as Awaited<ReturnType<typeof mixed>>[],
    loadAverageAtEnd: [] as number[],
    seconds: 0,
  };
  const loaded: LoadedTfjs[] = [];
  for (const name of BACKENDS) {
    try {
      const env = await loadTfjs(name);
      report.backends.push({ requested: name, backend: label(env), device: env.device, adapter: env.adapter, tried: env.tried });
      loaded.push(env);
      log(`${name}: loaded ${label(env)} — ${env.device}`);
    } catch (e) {
      report.backends.push({ requested: name, error: e instanceof Error ? e.message : String(e) });
      log(`${name}: not available (${e instanceof Error ? e.message.slice(0, 120) : e})`);
    }
  }
  for (const s of SIZES) {
    log(`float64 evaluator, size ${s.name}`);
    report.float64Throughput.push(await float64Throughput(s));
  }
  for (const env of loaded) {
    await env.tf.setBackend(env.backend);
    for (const s of SIZES) {
      if (s.skipOn?.includes(env.backend)) continue;
      log(`${label(env)}: gradient throughput, size ${s.name}`);
      report.gradientThroughput.push(await gradientThroughput(env, s, 1));
      if (s.name === 'S') report.gradientThroughput.push(await gradientThroughput(env, s, 16));
    }
    for (const s of SIZES.filter((z) => z.name === 'S' || z.name === 'M')) {
      log(`${label(env)}: gradient agreement, size ${s.name}`);
      report.gradientAgreement.push(await gradientAgreement(env, s));
    }
    for (const batching of ['batched', 'sequential'] as const) {
      // One after another on a software adapter, each solve costs ~11 s of dispatch overhead (measured
      // on lavapipe: 180 s for 16): 4 of them give the rate.
      const count = env.adapter?.software && batching === 'sequential' ? 4 : 16;
      log(`${label(env)}: ${count} small solves, ${batching}`);
      report.solves.push(await solves(env, batching, count));
    }
  }
  // Timings on a software adapter mean nothing for a GPU: the mixed runs use the first real backend.
  const fastest = loaded.find((env) => env.adapter === null || !env.adapter.software) ?? loaded[0];
  if (fastest !== undefined) {
    await fastest.tf.setBackend(fastest.backend);
    for (const { name, problem } of MIXED) {
      log(`${label(fastest)}: mixed precision vs float64 alone — ${name}`);
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
  lines.push('A software adapter (lavapipe/llvmpipe) emulates a GPU on the CPU: its figures say nothing about a GPU. × wasm: evals/s over wasm\'s at the same size and B, same run.', '');
  lines.push('| backend | size | B | evals/s | ms/eval | × wasm |', '|---|---|---|---|---|---|');
  const wasmRate = (t: { size: string; B: number }) => r.gradientThroughput.find((u: { backend: string; size: string; B: number }) => u.backend === 'wasm' && u.size === t.size && u.B === t.B)?.evalsPerSecond;
  const ratio = (t: { size: string; B: number; evalsPerSecond: number }) => (wasmRate(t) === undefined ? '—' : g3(t.evalsPerSecond / wasmRate(t)));
  for (const t of r.gradientThroughput) lines.push(`| ${t.backend} | ${t.size} | ${t.B} | ${g3(t.evalsPerSecond)} | ${g3(1000 * t.secondsPerEval)} | ${ratio(t)} |`);
  for (const t of r.float64Throughput) lines.push(`| ${t.backend} | ${t.size} | 1 | ${g3(t.evalsPerSecond)} | ${g3(1000 * t.secondsPerEval)} | ${ratio({ ...t, B: 1 })} |`);
  lines.push('', '## float32 vs float64 at the same point', '');
  lines.push('error/bound: the largest |float32 − float64| over f and every gradient entry divided by its derived worst-case float32 bound (src/solver-tfjs/roundoff.ts); must be ≤ 1.', '');
  lines.push('| backend | size | rel. error of f | max err ∇W / max abs ∇W | max err ∇H / max abs ∇H | max error/bound |', '|---|---|---|---|---|---|');
  for (const a of r.gradientAgreement) lines.push(`| ${a.backend} | ${a.size} | ${g3(a.valueRelativeError)} | ${g3(a.gradWRelativeError)} | ${g3(a.gradHRelativeError)} | ${g3(a.maxErrorOverBound)} |`);
  lines.push('', '## Small instances (K 4, d 8, N 20–160) to the basin in float32 (one start each)', '');
  lines.push('| backend | batching | instances | seconds | solves/s | mean Adam iterations |', '|---|---|---|---|---|---|');
  for (const s of r.solves) lines.push(`| ${s.backend} | ${s.batching} | ${s.instances} | ${g3(s.seconds)} | ${g3(s.solvesPerSecond)} | ${g3(s.meanIterations)} |`);
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
