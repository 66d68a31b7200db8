import fc from 'fast-check';

/** The largest seed produced by {@link solverSeed}: 2³¹ − 1. */
export const MAX_SOLVER_SEED = 0x7fff_ffff;

/**
 * A seed for the solver's random initialisation (fed to seedrandom): an integer in [0, 2³¹ − 1],
 * shrinking toward 0.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(ufmInstance({ budget: 'small' }), solverSeed(), (inst, seed) => solve(inst, { seed }).ok));
 * ```
 */
export function solverSeed(): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: MAX_SOLVER_SEED });
}
