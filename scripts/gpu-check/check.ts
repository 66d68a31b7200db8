/**
 * The GPU check (issue #17 item 6): what `run.sh` runs on a bare GPU machine from the bundle that
 * `pack.sh` builds. It probes the WebGPU adapter, runs `npm run bench:gpu`'s sizes on webgpu
 * (bench/backends-measure.ts), a K = 100, d = 512, N = 50 000 tfjs stage (float32 objective and
 * gradient iterations of src/solver-tfjs) and a few ResNet18 steps (src/train/resnet18.ts), and
 * writes one JSON report to the path given as its argument (atomically).
 *
 * No GPU number decides anything unchecked: the float32 f and ∇f are compared with the float64
 * evaluator on the CPU within the bounds of src/solver-tfjs/roundoff.ts, the tfjs stage's f is
 * re-evaluated in float64 at the returned point, and ResNet18's first loss is recomputed on the
 * `cpu` backend (tolerance derived in tests/webgpu-train.test.ts). Each check is a verdict in the
 * report; `ok` is their conjunction, and the exit code is 0 only when ok.
 *
 * NCVERIFY_GPU_CHECK_SMALL=1: sizes for a software adapter (no XL size, a K 10, d 64, N 2 750
 * stage, ResNet18 width 8); the default is the full GPU sizes.
 */
import { InputError, isInputError } from '../../src/errors.ts';
import { writeFileAtomic } from '../../src/io/atomicWrite.ts';
import { Evaluator } from '../../src/solver/objective/evaluator.ts';
import { validateProblem } from '../../src/solver/problem.ts';
import { backendReport, type LoadedTfjs, loadTfjs } from '../../src/tfjs/backend.ts';
import { float32ErrorBounds } from '../../src/solver-tfjs/roundoff.ts';
import { solveTfjs } from '../../src/solver-tfjs/solve.ts';
import { gradientAgreement, gradientThroughput, label, problemFor, SIZES, type Size } from '../../bench/backends-measure.ts';
import { resnetSteps } from './resnet.ts';

const SMALL = process.env.NCVERIFY_GPU_CHECK_SMALL === '1';

interface Verdict {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
}

function log(msg: string): void {
  process.stderr.write(`[gpu-check] ${msg}\n`);
}

/** The tfjs stage: `iterations` projected-Adam iterations (each one f and ∇f) on one instance. */
async function tfjsStage(env: LoadedTfjs, s: Size, iterations: number) {
  const p = problemFor(s);
  const t0 = performance.now();
  const [r] = await solveTfjs([p], { starts: 1, maxIterations: iterations, checkEvery: iterations, tolerance: 1e-30, stallTolerance: 1e-30 }, env);
  const seconds = (performance.now() - t0) / 1000;
  const v = validateProblem(p);
  const ev = new Evaluator(v, s.d);
  const x = new Float64Array(ev.size);
  x.set(r.W.data, 0);
  x.set(r.H.data, ev.hOffset);
  const f64 = ev.evaluate(x);
  const bound = float32ErrorBounds(v, r.W, r.H, null).value;
  return { K: s.K, d: s.d, N: s.N, iterations: r.iterations, seconds, secondsPerIteration: seconds / r.iterations, objective32: r.objective32, objective64: f64, bound };
}

async function main(): Promise<number> {
  const out = process.argv[2];
  if (out === undefined || out === '') throw new InputError('report path', 'must be given as the first argument (where the JSON report goes)', 'got none');
  const started = new Date().toISOString();
  const verdicts: Verdict[] = [];
  const report: Record<string, unknown> = { generated: started, small: SMALL, node: process.version, platform: `${process.platform}-${process.arch}`, verdicts };
  const save = () => writeFileAtomic(out, `${JSON.stringify({ ...report, ok: verdicts.length > 0 && verdicts.every((v) => v.ok) }, null, 2)}\n`);
  let env: LoadedTfjs;
  try {
    env = await loadTfjs('webgpu');
  } catch (e) {
    report.adapter = null;
    verdicts.push({ check: 'adapter', ok: false, detail: e instanceof Error ? e.message : String(e) });
    save();
    return 1;
  }
  Object.assign(report, backendReport(env), { label: label(env) });
  log(`adapter: ${env.device}`);
  verdicts.push({ check: 'adapter', ok: true, detail: env.device });
  const sizes = SIZES.filter((s) => !(SMALL && s.name === 'XL'));
  const throughput = [];
  for (const s of sizes) {
    log(`gradient throughput, size ${s.name}`);
    throughput.push(await gradientThroughput(env, s, 1));
    if (s.name === 'S') throughput.push(await gradientThroughput(env, s, 16));
  }
  report.gradientThroughput = throughput;
  const agreement = [];
  for (const s of sizes.filter((z) => z.name !== 'XL')) {
    log(`float32 vs float64, size ${s.name}`);
    const a = await gradientAgreement(env, s);
    agreement.push(a);
    verdicts.push({ check: `f and ∇f vs float64, size ${s.name}`, ok: a.maxErrorOverBound <= 1, detail: `max error/bound ${a.maxErrorOverBound.toPrecision(3)} (≤ 1 required)` });
  }
  report.gradientAgreement = agreement;
  save();
  const stageSize: Size = SMALL ? { name: 'M', K: 10, d: 64, N: 2_750 } : { name: 'XL', K: 100, d: 512, N: 50_000 };
  const iterations = SMALL ? 10 : 200;
  log(`tfjs stage K ${stageSize.K}, d ${stageSize.d}, N ${stageSize.N}: ${iterations} iterations`);
  const stage = await tfjsStage(env, stageSize, iterations);
  report.tfjsStage = stage;
  verdicts.push({
    check: 'tfjs stage f vs float64 at its point',
    ok: Math.abs(stage.objective32 - stage.objective64) <= stage.bound,
    detail: `|f32 − f64| = ${Math.abs(stage.objective32 - stage.objective64).toPrecision(3)}, bound ${stage.bound.toPrecision(3)}; ${stage.seconds.toFixed(2)} s`,
  });
  save();
  const resnet = SMALL ? { width: 8, batch: 8, steps: 1 } : { width: 64, batch: 32, steps: 3 };
  log(`ResNet18 width ${resnet.width}, batch ${resnet.batch}: ${resnet.steps} steps`);
  const steps = await resnetSteps(env, resnet);
  report.resnet18 = steps;
  verdicts.push({ check: 'ResNet18 first loss vs cpu backend', ok: steps.firstLossError <= steps.firstLossBound, detail: `|Δ| = ${steps.firstLossError.toPrecision(3)}, bound ${steps.firstLossBound.toPrecision(3)}` });
  verdicts.push({ check: 'ResNet18 losses finite', ok: steps.losses.every(Number.isFinite), detail: steps.losses.map((l) => l.toPrecision(6)).join(', ') });
  report.finished = new Date().toISOString();
  save();
  log(`wrote ${out}: ${verdicts.filter((v) => v.ok).length}/${verdicts.length} checks passed`);
  return verdicts.every((v) => v.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(isInputError(e) ? 2 : 1);
  },
);
