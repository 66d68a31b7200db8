import type { WarmStartRoute } from '../solver-tfjs/route.ts';
import type { SolveSettings } from './policy.ts';

/**
 * What the optimum layer solved, one row per distinct optimum, for the report's solver counts and
 * its landscape (src/reports): every family, certified or not, counted once.
 */

/** The model families of src/optima. */
export type Family = 'ufm-plus' | 'seli-path' | 'mse' | 'deep-linear';

/** One solved optimum. */
export interface SolvedRecord {
  readonly family: Family;
  readonly K: number;
  readonly d: number;
  /** max n_k / min n_k. */
  readonly imbalanceRatio: number;
  /** Whether the solver certified the point (false where no certificate exists: deep linear, M ≥ 2). */
  readonly certified: boolean;
  /** Whether the family has a certificate at all. */
  readonly certifiable: boolean;
  /** Whether a theorem applies (UFM+: d ≥ K); outside, the point is only recorded. */
  readonly insideAssumptions: boolean;
  readonly escapes: number;
  readonly restarts: number;
  /** How it was reached: the float64 solver alone, or from a tfjs warm start (src/solver-tfjs/route.ts). */
  readonly route: SolveRoute;
  /** The solver's default settings, or the retry asked for before an input is called inconclusive (./policy.ts). */
  readonly settings: SolveSettings['name'];
}

/** The float64 solver alone, or one of the warm-started routes. */
export type SolveRoute = 'float64' | WarmStartRoute;

/** Receives each solved optimum once. */
export type Recorder = (row: SolvedRecord) => void;

/** The size and imbalance columns of a record. */
export function shape(n: readonly number[], d: number): { K: number; d: number; imbalanceRatio: number } {
  return { K: n.length, d, imbalanceRatio: Math.max(...n) / Math.min(...n) };
}
