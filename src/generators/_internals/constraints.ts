import { InputError } from '../../errors.ts';

/**
 * Checks that a generator constraint is an integer in [lo, hi]; `parameter` names it as the user wrote it
 * (e.g. `balancedSizes.minK`).
 * @example
 * ```ts
 * requireInteger(3, 'balancedSizes.minK', 2); // 3
 * requireInteger(1, 'balancedSizes.minK', 2); // throws InputError
 * ```
 */
export function requireInteger(value: number, parameter: string, lo: number, hi = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < lo || value > hi) {
    const range = hi === Number.MAX_SAFE_INTEGER ? `≥ ${lo}` : `in [${lo}, ${hi}]`;
    throw new InputError(parameter, `must be an integer ${range}`, `got ${String(value)}`);
  }
  return value;
}

/**
 * Checks that a generator constraint is a finite number > 0.
 * @example
 * ```ts
 * requirePositive(1e-3, 'regulariser.min'); // 0.001
 * ```
 */
export function requirePositive(value: number, parameter: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InputError(parameter, 'must be a finite number > 0', `got ${String(value)}`);
  }
  return value;
}

/**
 * Checks lo ≤ hi for a pair of bounds, naming both and the fix (raise the upper one or lower the lower one).
 * @example
 * ```ts
 * requireOrdered(5, 3, 'minK', 'maxK'); // throws "minK, maxK: minK must be ≤ maxK (lower minK or raise maxK) …"
 * ```
 */
export function requireOrdered(lo: number, hi: number, loName: string, hiName: string): void {
  if (!(lo <= hi)) {
    throw new InputError(
      `${loName}, ${hiName}`,
      `${loName} must be ≤ ${hiName} (lower ${loName} or raise ${hiName})`,
      `got ${loName} = ${lo} > ${hiName} = ${hi}`,
    );
  }
}

/**
 * Checks a value is one of the allowed strings.
 * @example
 * ```ts
 * requireOneOf('small', 'budget', ['small', 'large']); // 'small'
 * ```
 */
export function requireOneOf<T extends string>(value: string, parameter: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(parameter, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`, `got '${String(value)}'`);
  }
  return value as T;
}
