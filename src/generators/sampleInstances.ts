import fc from 'fast-check';
import { requireInteger } from './_internals/constraints.ts';

/**
 * `count` values of an arbitrary, deterministically from `seed` (fc.sample with { seed, numRuns }) — for
 * benchmarks, fixtures and reports that need instances outside a property. The same (arb, count, seed)
 * gives the same values on every run and machine.
 *
 * @throws InputError when count is not an integer in [0, 1e7] or seed is not a 32-bit integer
 * @example
 * ```ts
 * const instances = sampleInstances(ufmInstance({ budget: 'small' }), 2000, 42);
 * ```
 */
export function sampleInstances<T>(arb: fc.Arbitrary<T>, count: number, seed: number): T[] {
  requireInteger(count, 'sampleInstances.count', 0, 10_000_000);
  requireInteger(seed, 'sampleInstances.seed', -0x8000_0000, 0xffff_ffff);
  if (count === 0) return [];
  return fc.sample(arb, { seed, numRuns: count });
}
