import { InputError } from '../../errors.ts';
import { parseSubset } from '../../data/subsets.ts';
import { parseBackendName } from '../../tfjs/backend.ts';
import type { TrainConfig } from '../../train/config.ts';
import { CIFAR10_IMBALANCED_N, nightlyConfigs, smokeConfig } from '../../train/presets.ts';
import { type RunOptions, trainRun } from '../../train/trainer.ts';
import { convertPaperLambdas } from '../../train/ufmLoss.ts';
import { parseFlags, parseInteger, parseIntegerList, parseNumber, type ParsedFlags } from '../args.ts';

/** The flags of `ncverify train`. */
export const TRAIN_FLAGS = {
  preset: 'string',
  run: 'string',
  epochs: 'string',
  hidden: 'string',
  'resnet-width': 'string',
  n: 'string',
  lw: 'string',
  lh: 'string',
  'paper-lw': 'string',
  'paper-lh': 'string',
  wd: 'string',
  lr: 'string',
  batch: 'string',
  optimizer: 'string',
  seed: 'string',
  'checkpoint-every': 'string',
  data: 'string',
  subset: 'string',
  'test-subset': 'string',
  'train-file': 'string',
  'test-file': 'string',
  backend: 'string',
  out: 'string',
  'stop-after': 'string',
  fresh: 'boolean',
  help: 'boolean',
} as const;

const HELP = `usage: ncverify train [--preset smoke|nightly-mlp|nightly-resnet18|nightly-mlp-dang2024] [flags]

Trains a backbone + bias-free classifier on a CIFAR-10 subset with the exact UFM loss scaling
(THEORY.md §5), measuring NC metrics every epoch into reports/slow/<run>.jsonl (+ .json, .html,
.ckpt). Re-running the same command resumes from the checkpoint.

  --preset NAME          start from a preset (default smoke)
  --run NAME             run name (files reports/slow/<run>.*)
  --epochs N  --batch B  --lr LR  --optimizer adam|sgd  --seed S  --checkpoint-every C
  --hidden 256,256,256   MLP hidden widths (last = feature dimension d)
  --resnet-width W       use ResNet18 with stage widths W, 2W, 4W, 8W
  --data DIR             CIFAR-10 folder: the official cifar-10-batches-bin/ (data_batch_1…5.bin,
                         test_batch.bin) or the stored subsets (default NCVERIFY_CIFAR10, else
                         ../shared/data/cifar10); download: https://www.cs.toronto.edu/~kriz/cifar.html
  --subset SPEC          training class sizes: dang2024 (1000…5000), dang2023 (100…500), full,
                         step:A, balanced:N, longtail:NMAX:RATIO, or 10 sizes; the first n_k of
                         class k in the official order (data_batch_1 first), grouped by class
  --n 100,100,...        the same as --subset with 10 sizes
  --test-subset SPEC     test class sizes, the same forms (default: the preset's; else all)
  --lw X --lh Y          λ_W, λ_H in THEORY.md's scaling
  --paper-lw X --paper-lh Y   λ in the scaling of Dang et al.'s code (converted; recorded)
  --wd X                 ordinary weight decay on the backbone kernels
  --train-file F[,F…] --test-file F   explicit CIFAR-10 binary files instead of --data;
                         several training files are concatenated, n_k taken in file order
  --backend tensorflow|wasm|cpu  (default NCVERIFY_BACKEND, else the fastest that loads)
  --out DIR              report folder (default reports/slow)
  --stop-after E         stop after epoch E as if killed (resume later)
  --fresh                delete the run's previous files instead of resuming`;

function preset(name: string): TrainConfig {
  if (name === 'smoke') return smokeConfig();
  const c = nightlyConfigs().find((x) => x.run === name);
  if (!c) throw new InputError('--preset', `must be one of smoke, ${nightlyConfigs().map((x) => x.run).join(', ')}`, `got '${name}'`);
  return c;
}

function str(f: ParsedFlags, name: string): string | undefined {
  const v = f[name];
  return typeof v === 'string' ? v : undefined;
}

/** Applies the command-line flags to a preset configuration. */
export function configFromFlags(f: ParsedFlags): TrainConfig {
  let c: TrainConfig = preset(str(f, 'preset') ?? 'smoke');
  const num = (name: string) => (str(f, name) === undefined ? undefined : parseNumber(str(f, name)!, `--${name}`));
  const int = (name: string) => (str(f, name) === undefined ? undefined : parseInteger(str(f, name)!, `--${name}`));
  const set = <K extends keyof TrainConfig>(key: K, v: TrainConfig[K] | undefined) => {
    if (v !== undefined) c = { ...c, [key]: v };
  };
  set('run', str(f, 'run'));
  set('epochs', int('epochs'));
  set('batchSize', int('batch'));
  set('seed', int('seed'));
  set('checkpointEvery', int('checkpoint-every'));
  set('lambdaW', num('lw'));
  set('lambdaH', num('lh'));
  set('weightDecay', num('wd'));
  const trainFiles = str(f, 'train-file')?.split(',');
  set('trainFile', trainFiles && trainFiles.length === 1 ? trainFiles[0] : trainFiles);
  set('testFile', str(f, 'test-file'));
  if (str(f, 'hidden')) set('backbone', { kind: 'mlp', hidden: parseIntegerList(str(f, 'hidden')!, '--hidden') });
  if (str(f, 'resnet-width')) set('backbone', { kind: 'resnet18', width: int('resnet-width')! });
  if (str(f, 'n') && str(f, 'subset')) throw new InputError('--n', 'cannot be combined with --subset (both set the class sizes)');
  if (str(f, 'n')) set('classSizes', parseIntegerList(str(f, 'n')!, '--n'));
  if (str(f, 'subset')) set('classSizes', parseSubset(str(f, 'subset')!));
  if (str(f, 'test-subset')) set('testClassSizes', parseSubset(str(f, 'test-subset')!, '--test-subset'));
  const opt = str(f, 'optimizer');
  if (opt !== undefined && opt !== 'adam' && opt !== 'sgd') throw new InputError('--optimizer', 'must be adam or sgd', `got '${opt}'`);
  const lr = num('lr') ?? c.optimizer.lr;
  if (opt === 'sgd' || (opt === undefined && c.optimizer.kind === 'sgd')) set('optimizer', { kind: 'sgd', lr, momentum: 0.9 });
  else set('optimizer', { kind: 'adam', lr });
  const plw = num('paper-lw');
  const plh = num('paper-lh');
  if ((plw === undefined) !== (plh === undefined)) throw new InputError('--paper-lw/--paper-lh', 'must be given together');
  if (plw !== undefined && plh !== undefined) {
    if (num('lw') !== undefined || num('lh') !== undefined) throw new InputError('--paper-lw', 'cannot be combined with --lw/--lh');
    const N = c.classSizes ? c.classSizes.reduce((a, b) => a + b, 0) : CIFAR10_IMBALANCED_N;
    const conv = convertPaperLambdas({ lambdaW: plw, lambdaH: plh, batchSize: c.batchSize, N });
    c = { ...c, lambdaW: conv.lambdaW, lambdaH: conv.lambdaH, lambdaConversion: conv.note };
  }
  return c;
}

/**
 * The configuration and run options that `ncverify train` flags ask for.
 *
 * @example
 * ```ts
 * const { config, options } = trainArgs(parseFlags(argv, TRAIN_FLAGS));
 * ```
 */
export function trainArgs(f: ParsedFlags): { config: TrainConfig; options: RunOptions } {
  const backend = str(f, 'backend') === undefined ? undefined : parseBackendName(str(f, 'backend')!);
  const stop = str(f, 'stop-after') === undefined ? undefined : parseInteger(str(f, 'stop-after')!, '--stop-after');
  return { config: configFromFlags(f), options: { backend, dataDir: str(f, 'data'), outDir: str(f, 'out'), fresh: f.fresh === true, stopAfterEpoch: stop } };
}

/**
 * `ncverify train`: trains and measures a backbone on CIFAR-10 (see {@link HELP}).
 *
 * @example
 * ```ts
 * await run(['--preset', 'smoke', '--epochs', '10', '--run', 'quick']);
 * ```
 */
export async function run(argv: readonly string[]): Promise<number> {
  const f = parseFlags(argv, TRAIN_FLAGS);
  if (f.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const { config, options } = trainArgs(f);
  const r = await trainRun(config, options);
  const last = r.records[r.records.length - 1];
  process.stdout.write(
    `${config.run}: epoch ${last.epoch}/${config.epochs} on ${r.backend} (${r.device}); NC1 ${Number(last.nc1).toPrecision(3)}, ` +
      `train ${(100 * Number(last.trainAccuracy)).toFixed(2)}%, objective ${Number(last.objective).toPrecision(5)}\n` +
      `reports: ${r.paths.jsonl}, ${r.paths.summary}, ${r.paths.html}\n`,
  );
  return 0;
}
