import type { Dense } from '../linalg/dense.ts';
import type { SolverProblem, ValidatedProblem } from '../solver/problem.ts';
import { type AdapterLimits, assertTensorFits, tensorByteLimit } from '../tfjs/adapter.ts';
import { type AdapterInfo, type LoadedTfjs, loadTfjs } from '../tfjs/backend.ts';
import { projectedAdam } from './adam.ts';
import { batchBytes, disposeBatch, familyKey, largestTensorBytes, packBatch, type TfBatch, validateTfProblem } from './batch.ts';
import { SMALL_INSTANCE_ELEMENTS, type TfSettings, type TfSolveOptions, validateTfOptions } from './options.ts';
import { disposePoint, randomStartBatch } from './start.ts';

/** One instance's answer from the tfjs (float32) stage. */
export interface TfSolveResult {
  readonly problem: ValidatedProblem;
  /** K×d classifier (float32 values, stored as float64). */
  readonly W: Dense;
  /** d×N features, columns laid out by class. */
  readonly H: Dense;
  /** The bias, or null without one. */
  readonly b: number[] | null;
  /** f at (W, H, b) as tfjs computed it in float32. */
  readonly objective32: number;
  /** The KKT residual (float32, scale of the float64 solver's `kktResidual`). */
  readonly residual32: number;
  /** Adam iterations of the batch it ran in. */
  readonly iterations: number;
  /** Which start (0-based) gave this answer, of `starts`. */
  readonly start: number;
  /** Jobs (instance × start) that shared the batch, and the batch's wall time. */
  readonly batchSize: number;
  readonly batchSeconds: number;
  /** This instance's share of the tfjs wall time: Σ over its starts of batch time / batch size. */
  readonly seconds: number;
  /** Coordinates the tfjs stage worked in (W, H are zero-padded from it to d). */
  readonly workingDimension: number;
  /** tf.getBackend() and the device in words (every output says which backend ran). */
  readonly backend: string;
  readonly device: string;
  /** The WebGPU adapter on the webgpu backend (a software one is a CPU emulation), else null. */
  readonly adapter: AdapterInfo | null;
}

/**
 * Solves many UFM / UFM+ instances (cross-entropy, optional bias) to the basin of a minimiser in
 * float32 on TensorFlow.js — tfjs-node-gpu when it is installed, else tfjs-node, wasm or cpu (see
 * `loadTfjs`). Instances sharing K, d, the constraint and the bias switch are padded into one batch
 * (split to respect `memoryBudgetBytes` and, on webgpu, the adapter's binding limit); each instance gets `starts` seeded random starts side by
 * side and keeps the lowest f. Projected Adam, float32: the answer is a warm start for the float64
 * solver, which polishes and certifies it (`solveMixedPrecision`); it is not certified itself.
 * Every tensor is released before returning (tf.memory().numTensors is unchanged).
 *
 * @param loaded - a backend from `loadTfjs` (default: `await loadTfjs()`)
 * @throws {@link InputError} for an invalid problem or option, or (webgpu) an instance whose
 *   largest tensor exceeds the adapter's binding limit even alone
 * @example
 * ```ts
 * const [r] = await solveTfjs([{ n: [10, 10, 40, 40], lambdaW: 5e-3, lambdaH: 5e-3, d: 8 }], { starts: 4 });
 * r.backend; // 'wasm' here, 'tensorflow' with tfjs-node(-gpu)
 * ```
 */
export async function solveTfjs(problems: readonly SolverProblem[], options: TfSolveOptions = {}, loaded?: LoadedTfjs): Promise<TfSolveResult[]> {
  const validated = problems.map(validateTfProblem);
  const s = validateTfOptions(options);
  const env = loaded ?? (await loadTfjs());
  const working = validated.map((p) => ({ ...p, d: Math.min(p.d, s.workingDimension ?? p.d) }));
  const answers: JobAnswer[][] = validated.map(() => []);
  for (const group of plan(working, s, env.backend, env.adapter?.limits ?? null)) {
    (await solveGroup(env, group, working, s)).forEach((answer, j) => answers[group[j].problem].push(answer));
  }
  return answers.map((list, i) => {
    const best = list.reduce((b, a) => (a.objective32 < b.objective32 || Number.isNaN(b.objective32) ? a : b));
    const seconds = list.reduce((sum, a) => sum + a.batchSeconds / a.batchSize, 0);
    return { ...best, ...zeroPad(best, validated[i].d), problem: validated[i], workingDimension: working[i].d, seconds };
  });
}

/** W (K×w) and H (w×N) zero-padded to d coordinates: exact (Z and the norms are unchanged). */
function zeroPad(r: TfSolveResult, d: number): { W: Dense; H: Dense } {
  const { rows: K, cols: w } = r.W;
  const N = r.H.cols;
  if (w === d) return { W: r.W, H: r.H };
  const W = { rows: K, cols: d, data: new Float64Array(K * d) };
  for (let k = 0; k < K; k++) W.data.set(r.W.data.subarray(k * w, (k + 1) * w), k * d);
  const H = { rows: d, cols: N, data: new Float64Array(d * N) };
  H.data.set(r.H.data);
  return { W, H };
}

/** One start of one problem. */
interface Job {
  readonly problem: number;
  readonly start: number;
}

type JobAnswer = TfSolveResult;

/**
 * Batches of jobs (problem × start): one family per batch, sorted by N, cut to fit the memory
 * budget and, on webgpu, the adapter's binding limit (a start is one batch row, so an instance's
 * starts may be split); under 'auto', every start runs alone on cpu, and on wasm when the instance
 * is large (tfjs-node and webgpu batch everything that fits).
 *
 * @throws {@link InputError} when one start alone exceeds the binding limit
 */
function plan(problems: readonly ValidatedProblem[], s: TfSettings, backend: string, limits: AdapterLimits | null): Job[][] {
  const batches = backend === 'tensorflow' || backend === 'webgpu';
  const alone = (p: ValidatedProblem) =>
    s.batching === 'sequential' ||
    (s.batching === 'auto' && (backend === 'cpu' || (!batches && p.layout.N * p.d > SMALL_INSTANCE_ELEMENTS)));
  const fits = (B: number, p: ValidatedProblem) =>
    batchBytes(B, p.layout.K, p.d, p.layout.N) <= s.memoryBudgetBytes &&
    (limits === null || largestTensorBytes(B, p.layout.K, p.d, p.layout.N) <= tensorByteLimit(limits));
  const families = new Map<string, number[]>();
  const groups: Job[][] = [];
  const starts = (i: number): Job[] => Array.from({ length: s.starts }, (_, r) => ({ problem: i, start: r }));
  problems.forEach((p, i) => {
    if (limits !== null) assertTensorFits([p.layout.N, Math.max(p.layout.K, p.d)], 4, limits, `problems[${i}]`);
    if (alone(p)) {
      for (const job of starts(i)) groups.push([job]);
      return;
    }
    const key = familyKey(p);
    families.set(key, [...(families.get(key) ?? []), i]);
  });
  for (const members of families.values()) {
    members.sort((a, b) => problems[a].layout.N - problems[b].layout.N);
    let current: Job[] = [];
    for (const i of members) {
      // Sorted by N: the last member sets the batch's padded size.
      const p = problems[i];
      if (limits === null && current.length > 0 && !fits(current.length + s.starts, p)) {
        groups.push(current);
        current = [];
      }
      for (const job of starts(i)) {
        if (limits !== null && current.length > 0 && !fits(current.length + 1, p)) {
          groups.push(current);
          current = [];
        }
        current.push(job);
      }
    }
    groups.push(current);
  }
  return groups;
}

/** One batch of jobs: Adam on all of them at once, each answer unpacked. */
async function solveGroup(env: LoadedTfjs, jobs: readonly Job[], problems: readonly ValidatedProblem[], s: TfSettings): Promise<JobAnswer[]> {
  const { tf } = env;
  const t0 = performance.now();
  const batch = packBatch(tf, jobs.map((job) => problems[job.problem]));
  const x0 = randomStartBatch(tf, batch, jobs.map((job) => `${s.seed}/${job.start}`));
  try {
    const run = await projectedAdam(tf, batch, x0, { ...s, warmupInstances: jobs.map((job) => job.start % 2 === 1) });
    try {
      // Asynchronous reads (webgpu has no dataSync under Node; its guard checks Dawn's errors here).
      const w = (await run.x.W.data()) as Float32Array;
      const h = (await run.x.Ht.data()) as Float32Array;
      const bias = run.x.b === null ? null : ((await run.x.b.data()) as Float32Array);
      const seconds = (performance.now() - t0) / 1000;
      return jobs.map((job, j) => ({
        problem: problems[job.problem],
        ...unpackInstance(batch, j, w, h, bias),
        objective32: run.objective[j],
        residual32: run.residual[j],
        iterations: run.iterations,
        start: job.start,
        batchSize: batch.B,
        batchSeconds: seconds,
        seconds: seconds / batch.B,
        workingDimension: problems[job.problem].d,
        backend: env.backend,
        device: env.device,
        adapter: env.adapter,
      }));
    } finally {
      disposePoint(run.x);
    }
  } finally {
    disposePoint(x0);
    disposeBatch(batch);
  }
}

/** Instance b of the batch's flat float32 data as W (K×d), H (d×N_b, transposed back) and b. */
function unpackInstance(batch: TfBatch, b: number, w: Float32Array, h: Float32Array, bias: Float32Array | null): { W: Dense; H: Dense; b: number[] | null } {
  const { K, d, N: Np } = batch;
  const N = batch.problems[b].layout.N;
  const W = { rows: K, cols: d, data: Float64Array.from(w.subarray(b * K * d, (b + 1) * K * d)) };
  const H = { rows: d, cols: N, data: new Float64Array(d * N) };
  const base = b * Np * d;
  for (let i = 0; i < N; i++) for (let j = 0; j < d; j++) H.data[j * N + i] = h[base + i * d + j];
  return { W, H, b: bias === null ? null : Array.from(bias.subarray(b * K, (b + 1) * K)) };
}
