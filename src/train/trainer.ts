import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Cifar10Set, imbalancedSubset, readCifar10 } from '../data/cifar10.ts';
import { findCifar10, testSubset, trainSubset } from '../data/source.ts';
import { InputError } from '../errors.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { featureGram, predictUfmPlus } from '../theory/ufmPlusCe.ts';
import type { TheoryTargets } from './paperMetrics.ts';
import { type BackendName, type LoadedTfjs, loadTfjs, type Tf } from '../tfjs/backend.ts';
import { type Backbone, disposeBackbone } from './backbone.ts';
import { type Checkpoint, type CheckpointTensor, loadCheckpoint, saveCheckpoint } from './checkpoint.ts';
import { configKey, learningRate, type TrainConfig, validateTrainConfig } from './config.ts';
import { prepareData, trainLayout, type TrainingData } from './dataset.ts';
import { type EpochMetrics, measureEpoch } from './measure.ts';
import { describeConvention, PINV_RELATIVE_CUTOFF, ZERO_MEAN_RELATIVE_CUTOFF } from '../metrics/nc.ts';
import { createMlp } from './mlp.ts';
import { createOptimizer, type Optimizer } from './optimizer.ts';
import { runHtml } from './plot.ts';
import { createProgress, type ProgressSink } from './progress.ts';
import { createResNet18 } from './resnet18.ts';
import { appendEpoch, type EpochRecord, readEpochs, truncateEpochs } from './runLog.ts';
import { seededPermutation, seededSymmetricUniform } from './seeded.ts';
import { type MinibatchObjective, minibatchObjective } from './ufmLoss.ts';
import { createFreeFeatures, indexInputs } from './freeFeatures.ts';

/** How a run is executed (none of this changes its results, except `data` and `tfjs`). */
export interface RunOptions {
  /** Where reports go (default: <repo>/reports/slow). */
  readonly outDir?: string;
  /** Backend family (default: NCVERIFY_BACKEND, else the fastest that loads). */
  readonly backend?: BackendName;
  /** An already loaded tfjs (tests share one). */
  readonly tfjs?: LoadedTfjs;
  /** Stop after this epoch as if the process were killed there (for the restart check). */
  readonly stopAfterEpoch?: number;
  /** Progress output (default process.stderr); false for none. */
  readonly progress?: ProgressSink | false;
  /** The CIFAR-10 folder (the CLI's --data): official cifar-10-batches-bin/ or the stored subsets (default NCVERIFY_CIFAR10, else ../shared/data/cifar10). */
  readonly dataDir?: string;
  /**
   * The minibatch objective (default {@link minibatchObjective}). Tests pass deliberately broken
   * ones to show that the checks catch them (issue 18 item 6); never set otherwise.
   */
  readonly objective?: MinibatchObjective;
  /** Data given in memory instead of read from the config's files (tests). */
  readonly data?: { readonly train: Cifar10Set; readonly test?: Cifar10Set };
  /** Start afresh: delete the run's previous files instead of resuming from its checkpoint. */
  readonly fresh?: boolean;
}

/** What {@link trainRun} returns. */
export interface TrainResult {
  /** All epoch records 0 … last, as in the jsonl log. */
  readonly records: EpochRecord[];
  /** true when every configured epoch is done (false after stopAfterEpoch). */
  readonly complete: boolean;
  /** The epoch this session started from (0 for a fresh run). */
  readonly resumedFrom: number;
  readonly backend: string;
  readonly device: string;
  readonly paths: { readonly jsonl: string; readonly checkpoint: string; readonly summary: string; readonly html: string };
  /** Seconds this session spent. */
  readonly sessionSeconds: number;
}

/**
 * The default report folder, <repo>/reports/slow, resolved from this module's location.
 *
 * @example
 * ```ts
 * defaultReportDir(); // '/work/main/reports/slow'
 * ```
 */
export function defaultReportDir(): string {
  return resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'reports', 'slow');
}

/**
 * The run's data: given in memory (tests), named files (trainFile/testFile, the first n_k per class
 * in file order), or found by {@link findCifar10} (--data, NCVERIFY_CIFAR10, ../shared) in the
 * official layout or as our stored subsets, with classSizes / testClassSizes applied.
 */
function loadData(config: TrainConfig, opts: RunOptions): { train: Cifar10Set; test?: Cifar10Set } {
  const sub = (set: Cifar10Set, sizes: readonly number[] | undefined) => (sizes ? imbalancedSubset(set, sizes) : set);
  if (opts.data) return { train: sub(opts.data.train, config.classSizes), test: opts.data.test && sub(opts.data.test, config.testClassSizes) };
  const needsSource = config.trainFile === undefined || config.testFile === undefined;
  const src = needsSource ? findCifar10(opts.dataDir) : undefined;
  const train = config.trainFile !== undefined ? sub(readCifar10(config.trainFile), config.classSizes) : trainSubset(src!, config.classSizes);
  if (config.testFile === null) return { train };
  const test = config.testFile !== undefined ? sub(readCifar10(config.testFile), config.testClassSizes) : testSubset(src!, config.testClassSizes);
  return { train, test };
}

function createBackbone(tf: Tf, config: TrainConfig, N: number): Backbone {
  const b = config.backbone;
  if (b.kind === 'free') return createFreeFeatures(tf, N, b, config.seed);
  return b.kind === 'mlp' ? createMlp(tf, 3072, b, config.seed) : createResNet18(tf, b, config.seed);
}

/** The data on the device: images, or record indices for the free-feature backbone (which has no test features). */
function prepareRunData(tf: Tf, config: TrainConfig, raw: { train: Cifar10Set; test?: Cifar10Set }): TrainingData {
  const kind = config.backbone.kind;
  if (kind !== 'free') return prepareData(tf, raw.train, raw.test, kind === 'mlp' ? [3072] : [32, 32, 3]);
  const { layout, columnOf } = trainLayout(raw.train);
  const x = indexInputs(tf, raw.train.count);
  return { train: { x, labels: Int32Array.from(raw.train.labels), count: raw.train.count }, normalisation: { mean: [], std: [] }, layout, columnOf };
}

/** The state a run trains: backbone, classifier W (K×d, no bias), optimizer. */
interface Model {
  readonly net: Backbone;
  readonly W: Variable;
  readonly vars: Variable[];
  readonly optimizer: Optimizer;
}

function createModel(tf: Tf, config: TrainConfig, K: number, N: number): Model {
  const net = createBackbone(tf, config, N);
  const d = net.featureDim;
  if (d < K) throw new InputError('backbone', `the feature dimension d must be ≥ K = ${K} (THEORY.md §1 assumes d ≥ K)`, `got d = ${d}`);
  // PyTorch's nn.Linear default: uniform on ±1/sqrt(fan_in).
  const W = tf.variable(tf.tensor(seededSymmetricUniform(K * d, 1 / Math.sqrt(d), config.seed, 'classifier'), [K, d], 'float32'));
  const vars = [...net.params.map((p) => p.variable), W];
  return { net, W, vars, optimizer: createOptimizer(tf, config.optimizer, vars) };
}

async function snapshot(m: Model): Promise<CheckpointTensor[]> {
  const t = async (name: string, v: Tensor): Promise<CheckpointTensor> => ({ name, shape: v.shape, values: Float32Array.from((await v.data()) as Float32Array) });
  const out = await Promise.all([
    ...m.net.params.map((p) => t(`param/${p.name}`, p.variable)),
    ...m.net.buffers.map((p) => t(`buffer/${p.name}`, p.variable)),
    t('classifier/W', m.W),
  ]);
  const state = await m.optimizer.state();
  state.slots.forEach((slots, i) => slots.forEach((values, s) => out.push({ name: `optimizer/${i}/${s}`, shape: m.vars[i].shape, values })));
  return out;
}

function restore(tf: Tf, m: Model, c: Checkpoint): void {
  const byName = new Map(c.tensors.map((t) => [t.name, t]));
  const get = (name: string, v: Variable): void => {
    const t = byName.get(name);
    if (!t || t.values.length !== v.size) throw new InputError('checkpoint', `must hold ${name} with ${v.size} values`, t ? `got ${t.values.length}` : 'missing');
    v.assign(tf.tensor(t.values, v.shape, 'float32'));
  };
  m.net.params.forEach((p) => get(`param/${p.name}`, p.variable));
  m.net.buffers.forEach((p) => get(`buffer/${p.name}`, p.variable));
  get('classifier/W', m.W);
  const slots = m.vars.map((_, i) => {
    const out: Float32Array[] = [];
    for (let s = 0; byName.has(`optimizer/${i}/${s}`); s++) out.push(byName.get(`optimizer/${i}/${s}`)!.values);
    return out;
  });
  m.optimizer.restore({ step: c.optimizerStep, slots });
}

/** One epoch of minibatch training with the exact UFM scaling (see minibatchObjective). */
function trainEpoch(tf: Tf, m: Model, data: TrainingData, config: TrainConfig, epoch: number, lr: number, objective: MinibatchObjective): void {
  const N = data.train.count;
  const K = data.layout.K;
  const perm = seededPermutation(N, config.seed, `shuffle/epoch-${epoch}`);
  const decayed = m.net.params.filter((p) => p.decay).map((p) => p.variable);
  const reg = { lambdaW: config.lambdaW, lambdaH: config.lambdaH, weightDecay: config.weightDecay };
  for (let start = 0; start < N; start += config.batchSize) {
    const idx = perm.subarray(start, Math.min(start + config.batchSize, N));
    const labels = Int32Array.from(idx, (i) => data.train.labels[i]);
    tf.tidy(() => {
      const xb = tf.gather(data.train.x, tf.tensor1d(idx, 'int32'));
      const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), K) as Tensor2D;
      let updates: { variable: Variable; value: Tensor }[] = [];
      const { grads } = tf.variableGrads(() => {
        const f = m.net.features(xb, true);
        updates = f.updates.map((u) => ({ variable: u.variable, value: tf.keep(u.value) }));
        return objective(tf, f.h, m.W, oneHot, N, reg, decayed);
      }, m.vars);
      m.optimizer.apply(m.vars.map((v) => grads[v.name]), lr);
      for (const u of updates) {
        u.variable.assign(u.value);
        u.value.dispose();
      }
    });
  }
}

/** The jsonl line of an epoch (the NC convention goes once into the summary, not on every line). */
/** Timing of an epoch: wall-clock seconds and this process's CPU seconds (the machine may be shared). */
interface EpochTiming {
  readonly seconds: number;
  readonly cpuSeconds: number;
}

function cpuSecondsNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function metricsRecord(epoch: number, lr: number, timing: EpochTiming, backend: string, metrics: EpochMetrics): EpochRecord {
  const { ncConvention: _, ...rest } = metrics;
  return { epoch, lr, seconds: Number(timing.seconds.toFixed(3)), cpuSeconds: Number(timing.cpuSeconds.toFixed(3)), backend, ...rest };
}

function ncMetricsConvention(): string {
  return describeConvention({ pinvRelativeCutoff: PINV_RELATIVE_CUTOFF, zeroMeanRelativeCutoff: ZERO_MEAN_RELATIVE_CUTOFF });
}

interface Summary {
  run: string;
  config: TrainConfig;
  status: 'running' | 'stopped' | 'complete';
  epochsDone: number;
  elapsedSeconds: number;
  sessions: { startedAt: string; fromEpoch: number; toEpoch?: number; backend: string; device: string; tried: LoadedTfjs['tried']; seconds?: number }[];
  data: { train: string; test?: string; classSizes: readonly number[]; normalisation: { mean: readonly number[]; std: readonly number[] } };
  lossScaling: string;
  lambdaConversion?: string;
  theory: { threshold: number; alive: boolean[]; margins: number[]; classMeanNorms: number[]; classifierNorms: number[]; objective: number };
  ncConvention?: string;
  determinism: string;
  final?: EpochRecord;
}

const LOSS_SCALING =
  'THEORY.md §5: minibatch (1/B)Σ[CE_i + (Nλ_H/2)‖h_i‖²] + (λ_W/2)‖W‖² + (weightDecay/2)Σ‖kernels‖²; measured objective (1/N)ΣCE + (λ_W/2)‖W‖² + (λ_H/2)‖H‖² in float64';

const DETERMINISM =
  'initial weights and shuffles come from seedrandom (JS doubles), identical on every backend; cpu and wasm (single-threaded XNNPACK) kernels are ' +
  'deterministic, so a resumed run reproduces an uninterrupted one bit for bit there; tfjs-node (multi-threaded Eigen reductions) and ' +
  'tfjs-node-gpu (cuDNN algorithm choice, atomics) are not bitwise deterministic';

/**
 * Trains a backbone + bias-free classifier on a CIFAR-10 subset with the exact UFM loss scaling
 * (THEORY.md §5), measuring everything after every epoch (epoch 0 = at initialisation) on the
 * whole training subset, appending each epoch's record to <outDir>/<run>.jsonl, checkpointing
 * every `checkpointEvery` epochs (weights, batch-norm buffers, optimizer state, epoch, RNG state;
 * atomic write), and writing <run>.json (settings, backend, theory prediction, final record) and
 * <run>.html (a chart per metric). If a checkpoint of the same configuration exists the run
 * resumes from it: the log is cut back to the checkpoint's epoch first, so no epoch is missing or
 * repeated.
 *
 * @throws {@link InputError} for a bad configuration, unreadable data, or a checkpoint of another configuration
 * @example
 * ```ts
 * const result = await trainRun(smokeConfig, { backend: 'wasm' });
 * result.records.at(-1)?.nc1;
 * ```
 */
export async function trainRun(config: TrainConfig, opts: RunOptions = {}): Promise<TrainResult> {
  validateTrainConfig(config);
  const t0 = performance.now();
  const outDir = opts.outDir ?? defaultReportDir();
  const paths = {
    jsonl: join(outDir, `${config.run}.jsonl`),
    checkpoint: join(outDir, `${config.run}.ckpt`),
    summary: join(outDir, `${config.run}.json`),
    html: join(outDir, `${config.run}.html`),
  };
  if (opts.fresh) for (const p of Object.values(paths)) rmSync(p, { force: true });
  const raw = loadData(config, opts); // before tfjs loads: missing data fails at once
  const loaded = opts.tfjs ?? (await loadTfjs(opts.backend));
  const { tf } = loaded;
  if (config.backbone.kind === 'resnet18' && loaded.backend === 'wasm') {
    throw new InputError('backend', "ResNet18 training needs the 'tensorflow' or 'cpu' backend: tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel", "got 'wasm'");
  }
  const key = configKey(config);
  const ckpt = loadCheckpoint(paths.checkpoint);
  if (ckpt && ckpt.configKey !== key) {
    throw new InputError(`run '${config.run}'`, `its checkpoint ${paths.checkpoint} has another configuration; use another run name or pass fresh`);
  }
  const data = prepareRunData(tf, config, raw);
  const model = createModel(tf, config, data.layout.K, data.layout.N);
  const reg = { lambdaW: config.lambdaW, lambdaH: config.lambdaH, weightDecay: config.weightDecay };
  const prediction = predictUfmPlus({ n: data.layout.sizes, lambdaW: config.lambdaW, lambdaH: config.lambdaH, d: model.net.featureDim });
  const theory: TheoryTargets = {
    margins: prediction.classes.map((c) => c.margin),
    classMeanNorms: prediction.classes.map((c) => c.featureNorm),
    classifierNorms: prediction.classes.map((c) => c.classifierNorm),
    classMeanGram: featureGram(data.layout.sizes, config.lambdaW, config.lambdaH),
  };
  const previous: Summary | undefined = existsSync(paths.summary) && ckpt ? JSON.parse(readFileSync(paths.summary, 'utf8')) : undefined;
  const summary: Summary = {
    run: config.run,
    config,
    status: 'running',
    epochsDone: ckpt?.epoch ?? 0,
    elapsedSeconds: ckpt?.elapsedSeconds ?? 0,
    sessions: [...(previous?.sessions ?? []), { startedAt: new Date().toISOString(), fromEpoch: ckpt?.epoch ?? 0, backend: loaded.backend, device: loaded.device, tried: loaded.tried }],
    data: { train: raw.train.source, test: raw.test?.source, classSizes: data.layout.sizes, normalisation: data.normalisation },
    lossScaling: LOSS_SCALING,
    lambdaConversion: config.lambdaConversion,
    theory: {
      threshold: prediction.threshold,
      alive: prediction.classes.map((c) => c.alive),
      margins: prediction.classes.map((c) => c.margin),
      classMeanNorms: prediction.classes.map((c) => c.featureNorm),
      classifierNorms: prediction.classes.map((c) => c.classifierNorm),
      objective: prediction.objective,
    },
    determinism: DETERMINISM,
  };
  const session = summary.sessions[summary.sessions.length - 1];
  const progress = opts.progress === false ? undefined : createProgress(opts.progress);
  let records: EpochRecord[];
  let epoch: number;
  let elapsedBefore = ckpt?.elapsedSeconds ?? 0;
  try {
    if (ckpt) {
      restore(tf, model, ckpt);
      records = truncateEpochs(paths.jsonl, ckpt.epoch);
      epoch = ckpt.epoch;
    } else {
      rmSync(paths.jsonl, { force: true });
      const m0 = await measureEpoch(tf, model.net, model.W, data.train, data.columnOf, data.layout, reg, theory, data.test);
      records = [metricsRecord(0, 0, { seconds: 0, cpuSeconds: 0 }, loaded.backend, m0)];
      appendEpoch(paths.jsonl, records[0]);
      epoch = 0;
    }
    summary.ncConvention = ncMetricsConvention();
    const sessionStart = performance.now();
    let sessionEpochs = 0;
    while (epoch < config.epochs && (opts.stopAfterEpoch === undefined || epoch < opts.stopAfterEpoch)) {
      epoch++;
      const te = performance.now();
      const ce = cpuSecondsNow();
      const lr = learningRate(config.optimizer, config.schedule, epoch, config.epochs);
      trainEpoch(tf, model, data, config, epoch, lr, opts.objective ?? minibatchObjective);
      const metrics = await measureEpoch(tf, model.net, model.W, data.train, data.columnOf, data.layout, reg, theory, data.test);
      const rec = metricsRecord(epoch, lr, { seconds: (performance.now() - te) / 1000, cpuSeconds: cpuSecondsNow() - ce }, loaded.backend, metrics);
      records.push(rec);
      appendEpoch(paths.jsonl, rec);
      sessionEpochs++;
      const elapsed = elapsedBefore + (performance.now() - sessionStart) / 1000;
      if (epoch % config.checkpointEvery === 0 || epoch === config.epochs) {
        saveCheckpoint(paths.checkpoint, {
          epoch,
          configKey: key,
          rng: { seed: config.seed, nextEpoch: epoch + 1 },
          optimizerStep: (await model.optimizer.state()).step,
          elapsedSeconds: elapsed,
          tensors: await snapshot(model),
        });
        writeReports(paths, { ...summary, epochsDone: epoch, elapsedSeconds: elapsed, final: rec }, records);
      }
      progress?.update({
        epoch,
        epochs: config.epochs,
        sessionSeconds: (performance.now() - sessionStart) / 1000,
        sessionEpochs,
        nc1: metrics.nc1,
        trainAccuracy: metrics.trainAccuracy,
        testAccuracy: metrics.testAccuracy,
      });
    }
    progress?.done();
    const sessionSeconds = (performance.now() - t0) / 1000;
    const complete = epoch >= config.epochs;
    session.toEpoch = epoch;
    session.seconds = Number(sessionSeconds.toFixed(1));
    elapsedBefore += (performance.now() - sessionStart) / 1000;
    writeReports(paths, { ...summary, status: complete ? 'complete' : 'stopped', epochsDone: epoch, elapsedSeconds: elapsedBefore, final: records[records.length - 1] }, records);
    return { records: readEpochs(paths.jsonl), complete, resumedFrom: ckpt?.epoch ?? 0, backend: loaded.backend, device: loaded.device, paths, sessionSeconds };
  } finally {
    disposeBackbone(model.net);
    model.W.dispose();
    model.optimizer.dispose();
    data.train.x.dispose();
    data.test?.x.dispose();
  }
}

function writeReports(paths: TrainResult['paths'], summary: Summary, records: readonly EpochRecord[]): void {
  writeFileAtomic(paths.summary, `${JSON.stringify(summary, null, 2)}\n`);
  writeFileAtomic(paths.html, runHtml(summary.run, records, { ...summary, final: undefined }));
}
