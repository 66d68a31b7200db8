import type fc from 'fast-check';
import { requireOrdered, requirePositive } from './constraints.ts';
import { logUniform } from './grid.ts';

/** Bounds of a regulariser λ. */
export interface RegulariserConstraints {
  /** Smallest λ (default 1e-5). */
  readonly min?: number;
  /** Largest λ (default 1e-1). */
  readonly max?: number;
}

/** The default range of λ_W, λ_H used throughout ncverify. */
export const REGULARISER_RANGE = { min: 1e-5, max: 1e-1 } as const;

/**
 * The arbitrary behind `regulariser`; `name` prefixes parameter names in errors.
 * @example
 * ```ts
 * regulariserArb({ min: 1e-4 }, 'ufmInstance.lambdaW'); // log-uniform in [1e-4, 1e-1]
 * ```
 */
export function regulariserArb(constraints: RegulariserConstraints, name: string): fc.Arbitrary<number> {
  const min = requirePositive(constraints.min ?? REGULARISER_RANGE.min, `${name}.min`);
  const max = requirePositive(constraints.max ?? Math.max(REGULARISER_RANGE.max, min), `${name}.max`);
  requireOrdered(min, max, `${name}.min`, `${name}.max`);
  return logUniform(min, max, simpleAnchor(min, max));
}

/** 10^round(centre of the log range) when inside [min, max], else min. */
function simpleAnchor(min: number, max: number): number {
  const anchor = 10 ** Math.round((Math.log10(min) + Math.log10(max)) / 2);
  return anchor >= min && anchor <= max ? anchor : min;
}
