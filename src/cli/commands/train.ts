import { InputError } from '../../errors.ts';
import { parseBackendName } from '../../tfjs/backend.ts';
import type { TrainConfig } from '../../train/config.ts';
import { CIFAR10_IMBALANCED_N, nightlyConfigs, smokeConfig } from '../../train/presets.ts';
import { trainRun } from '../../train/trainer.ts';
import { convertPaperLambdas } from '../../train/ufmLoss.ts';
import { parseFlags, parseInteger, parseIntegerList, parseNumber, type ParsedFlags } from '../args.ts';

const FLAGS = {
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
  'train-file': 'string',
  'test-file': 'string',
  backend: 'string',
  out: 'string',
  'stop-after': 'string',
  fresh: 'boolean',
  help: 'boolean',
} as const;

const HELP = `usage: ncverify train [--preset smoke|nightly-mlp|nightly-resnet18] [flags]

Trains a backbone + bias-free classifier on a CIFAR-10 subset with the exact UFM loss scaling
(THEORY.md §5), measuring NC metrics every epoch into reports/slow/<run>.jsonl (+ .json, .html,
.ckpt). Re-running the same command resumes from the checkpoint.

  --preset NAME          start from a preset (default smoke)
  --run NAME             run name (files reports/slow/<run>.*)
  --epochs N  --batch B  --lr LR  --optimizer adam|sgd  --seed S  --checkpoint-every C
  --hidden 256,256,256   MLP hidden widths (last = feature dimension d)
  --resnet-width W       use ResNet18 with stage widths W, 2W, 4W, 8W
  --n 100,100,...        first n_k records of each class from the training file
  --lw X --lh Y          λ_W, λ_H in THEORY.md's scaling
  --paper-lw X --paper-lh Y   λ in the scaling of Dang et al.'s code (converted; recorded)
  --wd X                 ordinary weight decay on the backbone kernels
  --train-file F[,F…] --test-file F   CIFAR-10 binary files (default ../shared/data/cifar10/);
                         several training files are concatenated (official data_batch_1…5.bin)
  --backend tensorflow|wasm|cpu  (default NCVERIFY_BACKEND, else the fastest that loads)
  --out DIR              report folder (default reports/slow)
  --stop-after E         stop after epoch E as if killed (resume later)
  --fresh                delete the run's previous files instead of resuming`;

function preset(name: string): TrainConfig {
  if (name === 'smoke') return smokeConfig();
  const c = nightlyConfigs().find((x) => x.run === name);
  if (!c) throw new InputError('--preset', 'must be smoke, nightly-mlp or nightly-resnet18', `got '${name}'`);
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
  if (str(f, 'n')) set('classSizes', parseIntegerList(str(f, 'n')!, '--n'));
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
 * `ncverify train`: trains and measures a backbone on CIFAR-10 (see {@link HELP}).
 *
 * @example
 * ```ts
 * await run(['--preset', 'smoke', '--epochs', '10', '--run', 'quick']);
 * ```
 */
export async function run(argv: readonly string[]): Promise<number> {
  const f = parseFlags(argv, FLAGS);
  if (f.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const config = configFromFlags(f);
  const backend = str(f, 'backend') === undefined ? undefined : parseBackendName(str(f, 'backend')!);
  const stop = str(f, 'stop-after') === undefined ? undefined : parseInteger(str(f, 'stop-after')!, '--stop-after');
  const r = await trainRun(config, { backend, outDir: str(f, 'out'), fresh: f.fresh === true, stopAfterEpoch: stop });
  const last = r.records[r.records.length - 1];
  process.stdout.write(
    `${config.run}: epoch ${last.epoch}/${config.epochs} on ${r.backend} (${r.device}); NC1 ${Number(last.nc1).toPrecision(3)}, ` +
      `train ${(100 * Number(last.trainAccuracy)).toFixed(2)}%, objective ${Number(last.objective).toPrecision(5)}\n` +
      `reports: ${r.paths.jsonl}, ${r.paths.summary}, ${r.paths.html}\n`,
  );
  return 0;
}
