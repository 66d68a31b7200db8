import fc from 'fast-check';

/**
 * Resolution of the integer grids that stand in for continuous parameters: an integer u ∈ [0, GRID]
 * encodes the fraction u / GRID. Integers shrink toward 0, so the encoded parameter shrinks toward the
 * end of its range that the caller maps 0 to.
 */
export const GRID = 1_000_000;

/**
 * A fraction in [0, 1] on a grid of step 1/GRID, shrinking toward 0.
 * @example
 * ```ts
 * fc.sample(fraction(), 1); // e.g. [0.318274]
 * ```
 */
export function fraction(): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: GRID }).map((u) => u / GRID);
}

/**
 * The integer ⌊lo + f (hi − lo + 1)⌋ clamped to [lo, hi], for a fraction f ∈ [0, 1]: f = 0 gives lo.
 * @example
 * ```ts
 * integerAt(0, 3, 12); // 3
 * integerAt(1, 3, 12); // 12
 * ```
 */
export function integerAt(f: number, lo: number, hi: number): number {
  return Math.min(hi, lo + Math.floor(f * (hi - lo + 1)));
}

/**
 * A number log-uniform in [min, max] on a grid of `perDecade` points per decade, shrinking toward `anchor`
 * (a point of [min, max], e.g. 1e-3): the grid is anchor · 10^(i / perDecade) for integers i, and fast-check
 * shrinks i toward 0. Results are clamped to [min, max] against rounding in 10^x.
 * @example
 * ```ts
 * logUniform(1e-5, 1e-1, 1e-3); // shrinks toward 0.001
 * ```
 */
export function logUniform(min: number, max: number, anchor: number, perDecade = 1000): fc.Arbitrary<number> {
  const a = Math.log10(anchor);
  const lo = Math.ceil((Math.log10(min) - a) * perDecade);
  const hi = Math.floor((Math.log10(max) - a) * perDecade);
  if (lo > hi) return fc.constant(min);
  return fc
    .integer({ min: lo, max: hi })
    .map((i) => (i === 0 ? anchor : Math.min(max, Math.max(min, 10 ** (a + i / perDecade)))));
}
