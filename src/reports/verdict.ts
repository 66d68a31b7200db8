/**
 * The verdict policy, stated once: how a claim's outcomes on its generated inputs become its
 * verdict, and what share of inconclusive inputs a run (the test suite, `ncverify gate`) accepts.
 *
 * Each input is one of: passed (every measurement within its tolerance), failed (one beyond it — a
 * counterexample), or inconclusive (the optimum layer refused the instance, or a quantity lies within
 * its proven error bound of the line between pass and fail: the certificate cannot decide). A claim
 * - fails when any input fails;
 * - is `recorded` when it only measures (outside the theorem's assumptions);
 * - is `inconclusive` when no input was decided (nothing was checked);
 * - passes otherwise, with its count of inconclusive inputs shown beside it.
 */

/**
 * The largest share of a claim's inputs that may be inconclusive before a run is rejected
 * (`npm test`, `ncverify gate`). An inconclusive input checks nothing; 5 % keeps at least 95 % of the
 * generated instances checked, while allowing the near-threshold generators to place a few instances
 * closer to T than any float64 certificate can resolve (docs/resolution.md).
 */
export const MAX_INCONCLUSIVE_SHARE = 0.05;

/** The verdict of a claim. */
export type Verdict = 'pass' | 'fail' | 'inconclusive' | 'recorded';

/**
 * A claim's verdict from its counts (module comment).
 * @example
 * ```ts
 * claimVerdict({ mode: 'assert', failed: 0, runs: 400, inconclusive: 3 }); // 'pass'
 * ```
 */
export function claimVerdict(c: { readonly mode: 'assert' | 'record'; readonly failed: number; readonly runs: number; readonly inconclusive: number }): Verdict {
  if (c.failed > 0) return 'fail';
  if (c.mode === 'record') return 'recorded';
  return c.runs > 0 && c.inconclusive >= c.runs ? 'inconclusive' : 'pass';
}

/**
 * Whether a claim's inconclusive share is above {@link MAX_INCONCLUSIVE_SHARE}.
 * @example
 * ```ts
 * tooInconclusive({ runs: 400, inconclusive: 30 }); // true (7.5 %)
 * ```
 */
export function tooInconclusive(c: { readonly runs: number; readonly inconclusive: number }): boolean {
  return c.runs > 0 && c.inconclusive / c.runs > MAX_INCONCLUSIVE_SHARE;
}
