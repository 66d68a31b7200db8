import { requireInteger, requireOrdered } from './constraints.ts';
import { integerAt } from './grid.ts';

/** Bounds on d / K (used by `dimension`, `ufmInstance`, `thresholdInstance`). */
export interface DimensionConstraints {
  /** d ≥ minFactor · K (default 1: the theorem's assumption d ≥ K, THEORY.md §1). */
  readonly minFactor?: number;
  /** d ≤ maxFactor · K (default 4). */
  readonly maxFactor?: number;
}

/**
 * Validated d/K factor bounds; `builder` prefixes parameter names in errors.
 * @example
 * ```ts
 * dimensionFactors({ maxFactor: 2 }, 'dimension'); // { minFactor: 1, maxFactor: 2 }
 * ```
 */
export function dimensionFactors(c: DimensionConstraints, builder: string): { minFactor: number; maxFactor: number } {
  const minFactor = requireInteger(c.minFactor ?? 1, `${builder}.minFactor`, 1, 1000);
  const maxFactor = requireInteger(c.maxFactor ?? Math.max(4, minFactor), `${builder}.maxFactor`, 1, 1000);
  requireOrdered(minFactor, maxFactor, `${builder}.minFactor`, `${builder}.maxFactor`);
  return { minFactor, maxFactor };
}

/**
 * d = the integer at fraction f of [minFactor·K, maxFactor·K] (f = 0 gives minFactor·K).
 * @example
 * ```ts
 * dimensionAt(5, 0, { minFactor: 1, maxFactor: 4 }); // 5
 * ```
 */
export function dimensionAt(K: number, f: number, factors: { minFactor: number; maxFactor: number }): number {
  return integerAt(f, factors.minFactor * K, factors.maxFactor * K);
}
