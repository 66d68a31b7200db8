import { InputError } from '../errors.ts';

/** The largest total sample count N that ncverify accepts (the closed form stays exact up to it). */
export const MAX_TOTAL_SAMPLES = 1e9;
/** The largest number of classes K accepted. */
export const MAX_CLASSES = 10_000;

/**
 * Validates a class-size vector n = (n_1, …, n_K): K ≥ 2 classes, every n_k a positive integer.
 *
 * @param n - the class sizes
 * @param parameter - the name used in error messages
 * @returns a fresh copy of `n`
 * @throws {@link InputError} naming the first offending entry
 * @example
 * ```ts
 * validateClassSizes([10, 10, 40, 40]); // [10, 10, 40, 40]
 * validateClassSizes([10, 0]);          // throws "n: every class size n_k must be a positive integer (got n_2 = 0)"
 * ```
 */
export function validateClassSizes(n: readonly unknown[], parameter = 'n'): number[] {
  if (!Array.isArray(n) || n.length === 0) {
    throw new InputError(parameter, 'class sizes must be a non-empty list of positive integers', 'got none');
  }
  if (n.length < 2) {
    throw new InputError(parameter, 'at least K = 2 classes are required', `got K = ${n.length}`);
  }
  if (n.length > MAX_CLASSES) {
    throw new InputError(parameter, `at most K = ${MAX_CLASSES} classes are supported`, `got K = ${n.length}`);
  }
  let total = 0;
  n.forEach((v, k) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new InputError(parameter, 'every class size n_k must be a positive integer', `got n_${k + 1} = ${String(v)}`);
    }
    total += v;
  });
  if (total > MAX_TOTAL_SAMPLES) {
    throw new InputError(parameter, `the total N = Σ n_k must be at most ${MAX_TOTAL_SAMPLES}`, `got N = ${total}`);
  }
  return n.slice() as number[];
}

/** The smallest regulariser accepted: λ_W λ_H ≥ 1e-500 keeps every closed form's logarithms and ratios in range. */
export const MIN_REGULARISER = 1e-250;
/**
 * The largest regulariser accepted: with N ≤ 1e9, T = N² λ_W λ_H K/(K−1) ≤ 2e268 and the classifier
 * scale sqrt(λ_H/λ_W) ≤ 1e187 stay finite in double (beyond it the closed forms overflow).
 */
export const MAX_REGULARISER = 1e125;

/**
 * Validates a regulariser λ: a finite number > 0, within [{@link MIN_REGULARISER}, {@link MAX_REGULARISER}].
 *
 * @example
 * ```ts
 * validateRegulariser(5e-3, 'lambdaW'); // 0.005
 * validateRegulariser(-1, 'lambdaW');   // throws "lambdaW: must be a finite number > 0 (got -1)"
 * ```
 */
export function validateRegulariser(lambda: unknown, parameter: string): number {
  if (typeof lambda !== 'number' || !Number.isFinite(lambda) || lambda <= 0) {
    throw new InputError(parameter, 'must be a finite number > 0', `got ${String(lambda)}`);
  }
  if (lambda < MIN_REGULARISER || lambda > MAX_REGULARISER) {
    throw new InputError(parameter, `must lie in [${MIN_REGULARISER}, ${MAX_REGULARISER}] (outside, the closed forms overflow or underflow double precision)`, `got ${lambda}`);
  }
  return lambda;
}

/**
 * Validates a feature dimension d: a positive integer, and d ≥ K when the theorem needs it.
 *
 * @param requireAtLeastK - true where the theorem assumes d ≥ K (UFM+, THEORY.md §1)
 * @example
 * ```ts
 * validateDimension(8, 4, true); // 8
 * validateDimension(3, 4, true); // throws "d: must be an integer ≥ K = 4 (the theorem assumes d ≥ K) (got 3)"
 * ```
 */
export function validateDimension(d: unknown, K: number, requireAtLeastK: boolean, parameter = 'd'): number {
  if (typeof d !== 'number' || !Number.isInteger(d) || d <= 0) {
    throw new InputError(parameter, 'must be a positive integer', `got ${String(d)}`);
  }
  if (requireAtLeastK && d < K) {
    throw new InputError(parameter, `must be an integer ≥ K = ${K} (the theorem assumes d ≥ K)`, `got ${d}`);
  }
  if (d > 1_000_000) {
    throw new InputError(parameter, 'must be at most 1000000', `got ${d}`);
  }
  return d;
}
