import type fc from 'fast-check';
import { REGULARISER_RANGE, type RegulariserConstraints, regulariserArb } from './_internals/regulariserArb.ts';

export { REGULARISER_RANGE, type RegulariserConstraints };

/**
 * A regulariser λ (λ_W or λ_H of THEORY.md §1) log-uniform in [min, max] (default [1e-5, 1e-1]), on a grid
 * of 1000 points per decade (relative step 0.23%). Shrinks toward the simple value 10^p, p the integer
 * nearest the centre of [log10 min, log10 max] when that value lies in the range (1e-3 for the default
 * range), else toward min.
 *
 * @throws InputError when a bound is not a finite positive number or min > max
 * @example
 * ```ts
 * fc.assert(fc.property(regulariser(), (lambda) => lambda >= 1e-5 && lambda <= 1e-1));
 * ```
 */
export function regulariser(constraints: RegulariserConstraints = {}): fc.Arbitrary<number> {
  return regulariserArb(constraints, 'regulariser');
}
