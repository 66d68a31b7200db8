import { InputError } from '../../errors.ts';

/**
 * Checks that a generator constraint is an integer in [lo, hi]; `parameter` names it as the user wrote it
 * (e.g. `balancedSizes.minK`).
 */
export function requireInteger(value: number, parameter: string, lo: number, hi = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < lo || value > hi) {
    const range = hi === Number.MAX_SAFE_INTEGER ? `≥ ${lo}` : `in [${lo}, ${hi}]`;
    throw new InputError(parameter, `must be an integer ${range}`, `got ${String(value)}`);
  }
  return value;
}

/** Checks that a generator constraint is a finite number > 0. */
export function requirePositive(value: number, parameter: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InputError(parameter, 'must be a finite number > 0', `got ${String(value)}`);
  }
  return value;
}

/**
 * Checks lo ≤ hi for a pair of bounds, naming both and the fix (raise the upper one or lower the lower one).
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

/** Checks a value is one of the allowed strings. */
export function requireOneOf<T extends string>(value: string, parameter: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(parameter, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`, `got '${String(value)}'`);
  }
  return value as T;
}
