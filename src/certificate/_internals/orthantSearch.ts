/**
 * Exact searches for max_{β ≥ 0, ‖β‖ = 1} βᵀ M β over supports (THEORY.md §1b).
 *
 * The fact both rely on: a maximiser with minimal support S has β_S > 0, so it is an interior local
 * maximum of the Rayleigh quotient of M_SS on the sphere, hence a top eigenvector of M_SS; and S is
 * connected in the positive graph G⁺ of M (see positiveComponents). So the maximum is the largest
 * λ_max(M_SS) over connected supports S whose top eigenvector can be taken ≥ 0 — and every such
 * candidate is attained (its eigenvector is feasible), so candidates are lower bounds too.
 */
import { DnnBound } from './dnnBound.ts';
import { positiveAdjacency, positiveComponents, quadraticForm, type SupportEigen } from './supportEigen.ts';

/** What a search found: an attained value (with β), and a proven upper bound. */
export interface SearchOutcome {
  /** βᵀMβ at `beta` (attained). */
  value: number;
  /** β ≥ 0, unit. */
  beta: Float64Array;
  /** A proven upper bound of the maximum (≥ value; equal to it, up to rounding, when the search completed). */
  upper: number;
  /** Nodes (supports) whose eigenproblem was solved. */
  nodes: number;
}

interface Incumbent {
  value: number;
  beta: Float64Array;
}

function offer(M: Float64Array, K: number, incumbent: Incumbent, beta: Float64Array): void {
  const value = quadraticForm(M, K, beta);
  if (value > incumbent.value) {
    incumbent.value = value;
    incumbent.beta = Float64Array.from(beta);
  }
}

/**
 * Exhaustive enumeration of the 2^K − 1 supports (skipping those disconnected in G⁺). Exact; cost
 * grows as 2^K eigenproblems, so it is the reference for small K and the tests' oracle.
 */
export function enumerateSupports(M: Float64Array, K: number, supports: SupportEigen, start: Incumbent): SearchOutcome {
  const adjacency = positiveAdjacency(M, K);
  const incumbent = { ...start };
  const parts: number[] = [];
  let upper = start.value;
  const before = supports.evaluations;
  for (let mask = 1; mask < 2 ** K; mask++) {
    if (positiveComponents(mask, adjacency, parts).length !== 1) continue;
    const r = supports.evaluate(mask);
    if (r.nonnegative) {
      offer(M, K, incumbent, supports.beta);
      upper = Math.max(upper, r.lambda);
    } else if (r.unresolved) {
      upper = Math.max(upper, r.lambda);
    }
  }
  return { value: incumbent.value, beta: incumbent.beta, upper: Math.max(upper, incumbent.value), nodes: supports.evaluations - before };
}

/** Budget and tolerances of {@link branchAndBound}. */
export interface BranchAndBoundOptions {
  /** Most eigenproblems (support evaluations and bound refinements together). */
  nodeBudget: number;
  /** Most subgradient steps of the relaxation bound per node. */
  boundSteps: number;
  /** Most subgradient steps at the root nodes (the components of the full support). */
  rootBoundSteps: number;
  /** A node is pruned when its bound is ≤ incumbent + slack (M normalised so that max_k M_kk = 1). */
  slack: number;
  /**
   * Decision mode: only settle whether the maximum exceeds this level. Nodes with bound ≤ level are
   * pruned, and the search stops as soon as the incumbent exceeds it (−∞: find the maximum).
   */
  level: number;
}

/**
 * Branch and bound over supports, top-down. A node is a support A connected in G⁺. Bounds: λ_max(M_AA)
 * (bounds every sub-support by interlacing), then the doubly-non-negative bound of DnnBound. If the top
 * eigenvector of M_AA is one-signed the node is solved exactly (value λ_max(M_AA)); otherwise every
 * maximiser on A lies on a proper subset, and the children are the G⁺-components of A \ {i}, i ∈ A
 * (each support visited once). Exact when it completes within the budget; otherwise `upper` is the
 * largest bound of the nodes left open. Also `upper` covers degenerate nodes that could not be
 * resolved (see SupportEigen), by their relaxation bound.
 */
export function branchAndBound(
  M: Float64Array,
  K: number,
  supports: SupportEigen,
  start: Incumbent,
  options: BranchAndBoundOptions,
): SearchOutcome {
  const adjacency = positiveAdjacency(M, K);
  const incumbent = { ...start };
  const relaxation = new DnnBound(M, K);
  const sink = (beta: Float64Array): void => offer(M, K, incumbent, beta);
  const target = (): number => Math.max(incumbent.value, options.level);
  const visited = new Set<number>();
  const stack: { mask: number; bound: number; P: Float64Array | null; root?: boolean }[] = [];
  const parts: number[] = [];
  let upper = start.value;
  const cost = (): number => supports.evaluations + relaxation.evaluations;
  const before = cost();
  const push = (mask: number, bound: number, P: Float64Array | null, root = false): void => {
    for (const c of positiveComponents(mask, adjacency, parts).slice()) {
      if (visited.has(c)) continue;
      visited.add(c);
      stack.push({ mask: c, bound, P, root });
    }
  };
  push((2 ** K - 1) | 0, Infinity, null, true);
  while (stack.length > 0) {
    const { mask, bound, P, root } = stack.pop() as (typeof stack)[number];
    if (bound <= target() + options.slack) {
      upper = Math.max(upper, bound);
      continue;
    }
    if (cost() - before >= options.nodeBudget || (options.level > -Infinity && incumbent.value > options.level + options.slack)) {
      upper = Math.max(upper, bound);
      continue;
    }
    if ((mask & (mask - 1)) === 0) {
      const i = 31 - Math.clz32(mask);
      const beta = new Float64Array(K);
      beta[i] = 1;
      offer(M, K, incumbent, beta);
      upper = Math.max(upper, M[i * K + i]);
      continue;
    }
    const r = supports.evaluate(mask);
    if (r.nonnegative) offer(M, K, incumbent, supports.beta);
    if (r.nonnegative || r.lambda <= target() + options.slack) {
      upper = Math.max(upper, r.lambda);
      continue;
    }
    const steps = root === true ? options.rootBoundSteps : options.boundSteps;
    const d = relaxation.refine(mask, P, target, options.slack, steps, sink);
    const nodeBound = Math.min(d.bound, r.lambda);
    if (nodeBound <= target() + options.slack) {
      upper = Math.max(upper, nodeBound);
      continue;
    }
    if (r.unresolved) upper = Math.max(upper, nodeBound);
    for (let i = 0; i < K; i++) if ((mask >>> i) & 1) push(mask & ~(1 << i), nodeBound, d.P);
  }
  return { value: incumbent.value, beta: incumbent.beta, upper: Math.max(upper, incumbent.value), nodes: cost() - before };
}
