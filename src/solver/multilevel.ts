import { classLayout } from '../problem/layout.ts';
import type { CheckedInitial } from './initial.ts';
import type { ValidatedProblem } from './problem.ts';
import type { Settings } from './_internals/search.ts';
import type { SolveResult } from './types.ts';

/**
 * Multilevel start for large problems (issue #15): solve the same problem on a sample of every
 * class first, and start the full search from that answer with each column copied to its class's
 * samples. A start only — the full problem's own search, escapes and certificate decide as for any
 * start, so nothing about the optimum is assumed.
 *
 * Why it is the same problem (THEORY.md §1, the objective f = L(W H) + (λ_W/2)‖W‖² + (λ_H/2)‖H‖²,
 * L the mean over the N columns): f is invariant under permutations of the columns within a class.
 * Class k keeps m_k = max(1, round(n_k / r)) columns, N' = Σ m_k, and the coarse problem takes
 * λ_H' = λ_H · N / N'. For a point whose columns repeat the coarse columns cyclically
 * (h_i = h'_{i mod m_k} in class k) both objectives agree exactly when every m_k = n_k / r: the
 * loss terms carry the weights n_k/N = m_k/N' and ‖H‖² = r‖H'‖². With rounding they agree to
 * O(1/m_k), which the full search then corrects.
 *
 * Measured (docs/solver.md, one thread, step-imbalanced sizes, λ = 1e-4): K = 50, d = 128,
 * N = 20 000: 26 s → 6.9 s; K = 10…20, N = 1 000…6 000: 3–4× fewer seconds, the same certified f
 * to 1.4e-15 relative.
 */
export const COARSENING = 8;

/**
 * Multiply-adds of one evaluation, K·N·⌈1.25 K⌉ (as for the threads), from which the multilevel
 * start is the default. It pays from far smaller problems on (above), but the property suites'
 * instances (K ≤ 20, N ≤ 5 000: at most 2.5·10⁶) keep the single-level search their measured
 * verdicts and figures were made with; `SolveOptions.multilevel` overrides.
 */
export const MULTILEVEL_MIN_WORK = 10_000_000;

/** Whether the multilevel start applies by default: large enough, and some class has more than one column to drop. */
export function multilevelByDefault(p: ValidatedProblem): boolean {
  const { K, N, sizes } = p.layout;
  return K * N * Math.ceil(1.25 * K) >= MULTILEVEL_MIN_WORK && coarseSizes(sizes).some((m, k) => m < sizes[k]);
}

/** m_k = max(1, round(n_k / r)). */
export function coarseSizes(sizes: readonly number[]): number[] {
  return sizes.map((n) => Math.max(1, Math.round(n / COARSENING)));
}

/** The coarse problem: m_k columns per class and λ_H' = λ_H N / N' (everything else unchanged). */
export function coarseProblem(p: ValidatedProblem): ValidatedProblem {
  const layout = classLayout(coarseSizes(p.layout.sizes));
  return { ...p, layout, lambdaH: (p.lambdaH * p.layout.N) / layout.N };
}

/**
 * The coarse answer as a start of the full problem: W and b as they are, column i of class k of H
 * is the coarse column (i mod m_k) of class k.
 */
export function expandStart(coarse: SolveResult, p: ValidatedProblem): CheckedInitial {
  const fine = p.layout;
  const small = coarse.problem.layout;
  const { d } = p;
  const Hc = coarse.H.data;
  const H = new Float64Array(d * fine.N);
  for (let j = 0; j < d; j++) {
    const row = j * fine.N;
    const rowC = j * small.N;
    for (let k = 0; k < fine.K; k++) {
      const m = small.sizes[k];
      const from = rowC + small.offsets[k];
      for (let i = 0; i < fine.sizes[k]; i++) H[row + fine.offsets[k] + i] = Hc[from + (i % m)];
    }
  }
  return { W: Float64Array.from(coarse.W.data), H, b: coarse.b === null ? null : Float64Array.from(coarse.b) };
}

/** The budgets left to the full search after the coarse one (the budgets are for the whole solve). */
export function remainingBudget(s: Settings, coarse: SolveResult): Settings {
  return {
    ...s,
    maxIterations: Math.max(0, s.maxIterations - coarse.iterations),
    maxEscapes: Math.max(0, s.maxEscapes - coarse.escapes),
    maxRestarts: Math.max(0, s.maxRestarts - coarse.restarts),
    maxSeconds: Math.max(1e-3, s.maxSeconds - coarse.seconds),
  };
}

/** The full search's result with the coarse search's work added and a first history event saying what it was. */
export function withCoarseWork(fine: SolveResult, coarse: SolveResult, seconds: number): SolveResult {
  const { N } = coarse.problem.layout;
  const detail = `multilevel start: the problem on ${N} of ${fine.problem.layout.N} columns (n_k/${COARSENING}), ` +
    `${coarse.certified ? 'certified' : `not certified (${coarse.reason})`}, ${coarse.iterations} iterations, f = ${coarse.objective}`;
  return {
    ...fine,
    iterations: fine.iterations + coarse.iterations,
    evaluations: fine.evaluations + coarse.evaluations,
    escapes: fine.escapes + coarse.escapes,
    restarts: fine.restarts + coarse.restarts,
    seconds,
    history: [{ kind: 'coarse', objective: coarse.objective, dimension: coarse.problem.d, iterations: coarse.iterations, detail }, ...fine.history],
  };
}
