import { InputError } from '../errors.ts';
import { CIFAR10_CLASSES } from './cifar10.ts';

/**
 * Step imbalance with two classes per size level, as in Dang et al.'s CIFAR-10 experiments:
 * n = (a, a, 2a, 2a, 3a, 3a, 4a, 4a, 5a, 5a).
 *
 * @example
 * ```ts
 * stepSizes(100); // [100, 100, 200, 200, 300, 300, 400, 400, 500, 500]
 * ```
 */
export function stepSizes(a: number): number[] {
  return Array.from({ length: CIFAR10_CLASSES }, (_, k) => a * (Math.floor(k / 2) + 1));
}

/**
 * Long-tailed (exponential) imbalance in the convention of Cui et al. (CVPR 2019, "Class-balanced
 * loss"): n_k = ⌊n_max · ρ^(−k/(K−1))⌋ for k = 0 … K−1, so class 0 has n_max and class K−1 has
 * ⌊n_max/ρ⌋ (ρ = n_max/n_min, the imbalance ratio).
 *
 * @example
 * ```ts
 * longTailSizes(5000, 100); // [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]
 * ```
 */
export function longTailSizes(nMax: number, ratio: number): number[] {
  return Array.from({ length: CIFAR10_CLASSES }, (_, k) => Math.floor(nMax * Math.pow(ratio, -k / (CIFAR10_CLASSES - 1)) + 1e-9));
}

/** The named subsets, each after its source. */
export const SUBSET_PRESETS: Readonly<Record<string, { readonly sizes: readonly number[]; readonly source: string }>> = {
  /** Dang, Tran, Nguyen, Ho, ICML 2024 (arXiv 2401.02058), CIFAR-10: 1000…5000, N = 30 000. */
  dang2024: { sizes: stepSizes(1000), source: 'Dang, Tran, Nguyen, Ho, ICML 2024 (arXiv 2401.02058): CIFAR-10 step imbalance, N = 30 000' },
  /** Dang et al., ICML 2023 (arXiv 2301.00437), CIFAR-10: 100…500, N = 3000 (our train-imbalanced.bin). */
  dang2023: { sizes: stepSizes(100), source: 'Dang et al., ICML 2023 (arXiv 2301.00437): CIFAR-10 step imbalance, N = 3000' },
  /** The whole official training split: 5000 per class. */
  full: { sizes: new Array<number>(CIFAR10_CLASSES).fill(5000), source: 'the whole official training split' },
};

const SPEC_HELP =
  "a preset (dang2024, dang2023, full), 'step:A' (A,A,2A,2A,…,5A,5A), 'balanced:N', 'longtail:NMAX:RATIO' (n_k = ⌊NMAX·RATIO^(−k/9)⌋), or 10 comma-separated sizes";

function positiveInt(s: string | undefined, spec: string, what: string, name: string): number {
  const v = Number(s);
  if (s === undefined || s.trim() === '' || !Number.isInteger(v) || v <= 0) throw new InputError(name, `${what} must be a positive integer in ${SPEC_HELP}`, `got '${spec}'`);
  return v;
}

/**
 * The class sizes n = (n_0, …, n_9) named by a subset spec (see {@link SPEC_HELP}).
 *
 * @param name - the flag named in errors (--subset, --test-subset)
 * @throws {@link InputError} naming `name`, the rule and the spec
 * @example
 * ```ts
 * parseSubset('dang2023');          // [100, 100, 200, …, 500, 500]
 * parseSubset('longtail:5000:10');  // [5000, 3871, …, 500]
 * ```
 */
export function parseSubset(spec: string, name = '--subset'): number[] {
  const preset = SUBSET_PRESETS[spec];
  if (preset) return [...preset.sizes];
  const [kind, a, b, ...rest] = spec.split(':');
  if (kind === 'step' && b === undefined) return stepSizes(positiveInt(a, spec, 'A', name));
  if (kind === 'balanced' && b === undefined) return new Array<number>(CIFAR10_CLASSES).fill(positiveInt(a, spec, 'N', name));
  if (kind === 'longtail' && rest.length === 0) {
    const ratio = Number(b);
    if (!(ratio >= 1) || !Number.isFinite(ratio)) throw new InputError(name, `RATIO must be a finite number ≥ 1 in ${SPEC_HELP}`, `got '${spec}'`);
    return longTailSizes(positiveInt(a, spec, 'NMAX', name), ratio);
  }
  const list = spec.split(',');
  if (list.length === CIFAR10_CLASSES) return list.map((s) => nonNegativeInt(s, spec, name));
  throw new InputError(name, `must be ${SPEC_HELP}`, `got '${spec}'`);
}

function nonNegativeInt(s: string, spec: string, name: string): number {
  const v = Number(s);
  if (s.trim() === '' || !Number.isInteger(v) || v < 0) throw new InputError(name, 'each of the 10 sizes must be a non-negative integer', `got '${spec}'`);
  return v;
}
