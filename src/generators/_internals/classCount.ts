import fc from 'fast-check';
import { MAX_CLASSES } from '../../problem/validate.ts';
import { requireInteger, requireOrdered } from './constraints.ts';

/** Bounds on the number of classes K shared by the class-size builders. */
export interface ClassCountConstraints {
  /** Smallest K (default 2, at least 2). */
  readonly minK?: number;
  /** Largest K (default 6). */
  readonly maxK?: number;
}

/**
 * Validated K bounds; `builder` prefixes the parameter names in errors (`balancedSizes.minK`).
 * @example
 * ```ts
 * classCountBounds({ maxK: 10 }, 'balancedSizes'); // { minK: 2, maxK: 10 }
 * ```
 */
export function classCountBounds(c: ClassCountConstraints, builder: string): { minK: number; maxK: number } {
  const minK = requireInteger(c.minK ?? 2, `${builder}.minK`, 2, MAX_CLASSES);
  const maxK = requireInteger(c.maxK ?? Math.max(6, minK), `${builder}.maxK`, 2, MAX_CLASSES);
  requireOrdered(minK, maxK, `${builder}.minK`, `${builder}.maxK`);
  return { minK, maxK };
}

/** K ∈ [minK, maxK], shrinking toward minK. */
export function classCount(minK: number, maxK: number): fc.Arbitrary<number> {
  return fc.integer({ min: minK, max: maxK });
}

/**
 * Validated [min, max] bounds of a size-like integer parameter (≥ 1).
 * @example
 * ```ts
 * sizeBounds(undefined, 30, { min: 1, max: 60 }, { min: 'x.minSize', max: 'x.maxSize' }); // { min: 1, max: 30 }
 * ```
 */
export function sizeBounds(
  min: number | undefined,
  max: number | undefined,
  defaults: { min: number; max: number },
  names: { min: string; max: string },
): { min: number; max: number } {
  const lo = requireInteger(min ?? defaults.min, names.min, 1);
  const hi = requireInteger(max ?? Math.max(defaults.max, lo), names.max, 1);
  requireOrdered(lo, hi, names.min, names.max);
  return { min: lo, max: hi };
}
