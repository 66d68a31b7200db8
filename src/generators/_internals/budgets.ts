/** The two instance budgets of `ufmInstance` / `budgetSizes`. */
export type Budget = 'small' | 'large';

/** What a budget allows: K range, the largest class size, the largest total N. */
export interface BudgetLimits {
  readonly minK: number;
  readonly maxK: number;
  readonly maxSize: number;
  readonly maxTotal: number;
}

/**
 * 'small': K 2–6, n_k ≤ 60, N ≤ 250 — small enough for a solver to run ~2000 instances in minutes.
 * 'large': K 2–20, n_k ≤ 1000, N ≤ 5000.
 */
export const BUDGETS: Readonly<Record<Budget, BudgetLimits>> = {
  small: { minK: 2, maxK: 6, maxSize: 60, maxTotal: 250 },
  large: { minK: 2, maxK: 20, maxSize: 1000, maxTotal: 5000 },
};

/**
 * Scales a size vector down so that N ≤ maxTotal (requires K ≤ maxTotal): n_k ← max(1, ⌊n_k (maxTotal − K)/N⌋),
 * whose sum is at most (maxTotal − K) + K. Vectors already within the budget are returned unchanged.
 * @example
 * ```ts
 * capTotal([200, 100, 50], 250); // [141, 70, 35] (sum 246 ≤ 250)
 * ```
 */
export function capTotal(n: number[], maxTotal: number): number[] {
  const N = n.reduce((a, b) => a + b, 0);
  if (N <= maxTotal) return n;
  const scale = (maxTotal - n.length) / N;
  return n.map((nk) => Math.max(1, Math.floor(nk * scale)));
}
