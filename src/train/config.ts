import { InputError } from '../errors.ts';
import { validateRegulariser } from '../problem/validate.ts';
import type { FreeFeaturesConfig } from './freeFeatures.ts';
import type { MlpConfig } from './mlp.ts';
import type { OptimizerConfig } from './optimizer.ts';
import type { ResNet18Config } from './resnet18.ts';

/** A learning-rate schedule over epochs (the rate is constant within an epoch). */
export type Schedule =
  | { readonly kind: 'constant' }
  /** lr_e = minLr + (lr − minLr)(1 + cos(π (e−1)/E))/2 for epoch e = 1 … E. */
  | { readonly kind: 'cosine'; readonly minLr?: number }
  /** lr multiplied by gamma at each milestone epoch (epochs after a milestone use the new rate). */
  | { readonly kind: 'step'; readonly milestones: readonly number[]; readonly gamma: number };

/** A training run's configuration: all of it (and only it) determines the run's results. */
export interface TrainConfig {
  /** The run's name: files reports/slow/<run>.jsonl, .ckpt, .json, .html. Letters, digits, `-`, `_`, `.`. */
  readonly run: string;
  readonly backbone: MlpConfig | ResNet18Config | FreeFeaturesConfig;
  /**
   * Training file(s), concatenated, the first classSizes[k] of class k taken in file order.
   * Default: the folder found by findCifar10 (src/data/source.ts): official layout or stored subsets.
   */
  readonly trainFile?: string | readonly string[];
  /** Test file (default: the found folder's test_batch.bin or test.bin); null: no test accuracy. */
  readonly testFile?: string | null;
  /** n_k: the first n_k records of each class k of the training data (default: all of a file; official: 5000 each). */
  readonly classSizes?: readonly number[];
  /** The first n_k test records of each class (default: all of test.bin; official: 1000 each). */
  readonly testClassSizes?: readonly number[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: OptimizerConfig;
  readonly schedule?: Schedule;
  /** λ_W in THEORY.md's scaling (see convertPaperLambdas for the authors' code's scaling). */
  readonly lambdaW: number;
  /** λ_H in THEORY.md's scaling. */
  readonly lambdaH: number;
  /** Ordinary weight decay on the backbone kernels (0: none). */
  readonly weightDecay: number;
  readonly seed: number | string;
  /** Write a checkpoint every this many epochs (and after the last). */
  readonly checkpointEvery: number;
  /** When the λ's were converted from the paper code's scaling: the note of convertPaperLambdas. */
  readonly lambdaConversion?: string;
}

/**
 * The learning rate of epoch e (1-based).
 *
 * @example
 * ```ts
 * learningRate({ kind: 'adam', lr: 1e-3 }, { kind: 'step', milestones: [50], gamma: 0.1 }, 51, 100); // 1e-4
 * ```
 */
export function learningRate(opt: OptimizerConfig, schedule: Schedule | undefined, epoch: number, epochs: number): number {
  const s = schedule ?? { kind: 'constant' };
  if (s.kind === 'constant') return opt.lr;
  if (s.kind === 'cosine') {
    const min = s.minLr ?? 0;
    return min + ((opt.lr - min) * (1 + Math.cos((Math.PI * (epoch - 1)) / epochs))) / 2;
  }
  const passed = s.milestones.filter((m) => epoch > m).length;
  return opt.lr * Math.pow(s.gamma, passed);
}

function positiveInteger(v: number, name: string, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(v) || v <= 0) throw new InputError(name, 'must be a positive integer', `got ${v}`);
  if (v > max) throw new InputError(name, `must be at most ${max}`, `got ${v}`);
}

/** The widest MLP layer accepted: 3072 × 16384 float32 weights are 200 MB (larger would exhaust memory, not train). */
export const MAX_MLP_WIDTH = 16_384;
/** The largest ResNet18 stage-1 width accepted (stages W, 2W, 4W, 8W; 64 is the standard ResNet18). */
export const MAX_RESNET_WIDTH = 256;

/** Checks the backbone's widths and the optimizer's rate (what the CLI's --hidden, --resnet-width, --lr set). */
function validateModel(c: TrainConfig): void {
  const b = c.backbone;
  if (b.kind === 'mlp') {
    if (!Array.isArray(b.hidden) || b.hidden.length < 1 || b.hidden.length > 32) {
      throw new InputError('backbone.hidden', 'must list 1 to 32 hidden widths', `got ${b.hidden?.length ?? 'none'}`);
    }
    b.hidden.forEach((w) => positiveInteger(w, 'backbone.hidden', MAX_MLP_WIDTH));
  } else if (b.kind === 'free') positiveInteger(b.d, 'backbone.d', MAX_MLP_WIDTH);
  else positiveInteger(b.width, 'backbone.width', MAX_RESNET_WIDTH);
  const lr = c.optimizer.lr;
  if (!(lr > 0) || !Number.isFinite(lr)) throw new InputError('optimizer.lr', 'the learning rate must be a finite number > 0', `got ${lr}`);
}

/**
 * Checks a configuration; returns it unchanged.
 *
 * @throws {@link InputError} naming the first bad field
 * @example
 * ```ts
 * validateTrainConfig(smokeConfig);
 * ```
 */
export function validateTrainConfig(c: TrainConfig): TrainConfig {
  if (!/^[A-Za-z0-9._-]+$/.test(c.run)) throw new InputError('run', 'must use only letters, digits, ".", "_" and "-"', `got '${c.run}'`);
  positiveInteger(c.epochs, 'epochs');
  positiveInteger(c.batchSize, 'batchSize');
  positiveInteger(c.checkpointEvery, 'checkpointEvery');
  validateModel(c);
  validateRegulariser(c.lambdaW, 'lambdaW');
  validateRegulariser(c.lambdaH, 'lambdaH');
  if (!(c.weightDecay >= 0) || !Number.isFinite(c.weightDecay)) throw new InputError('weightDecay', 'must be a finite number ≥ 0', `got ${c.weightDecay}`);
  const s = c.schedule;
  if (s?.kind === 'step' && (!(s.gamma > 0) || s.milestones.some((m) => !Number.isInteger(m) || m <= 0))) {
    throw new InputError('schedule', 'a step schedule needs gamma > 0 and positive integer milestones');
  }
  if (s?.kind === 'cosine' && s.minLr !== undefined && !(s.minLr >= 0 && s.minLr <= c.optimizer.lr)) {
    throw new InputError('schedule.minLr', 'must be in [0, lr]', `got ${s.minLr}`);
  }
  return c;
}

/**
 * The run's identity: canonical JSON of the configuration (keys sorted). A checkpoint is resumed
 * only by a run with the same key.
 *
 * @example
 * ```ts
 * configKey(a) === configKey({ ...a }); // true
 * ```
 */
export function configKey(c: TrainConfig): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(sort(c));
}
