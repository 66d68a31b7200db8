/**
 * What the SELI claims share (Thrampoulidis et al. NeurIPS 2022; THEORY.md §3): the generated inputs,
 * SELI's geometry as the target of the certified λ path (src/optima/seliPath.ts), and the rule that
 * keeps a path point away from minority collapse.
 */
import fc from 'fast-check';
import type { ClaimContext } from '../../src/runner/claim.ts';
import type { Budget } from '../../src/runner/claim.ts';
import { budgetSizes, balancedSizes } from '../../src/generators/index.ts';
import type { PathPoint, SeliInput } from '../../src/optima/seliPath.ts';
import { seliClassifierGram, simplexEncodedLabels } from '../../src/theory/seli.ts';
import { minorityCollapseThreshold } from '../../src/theory/ufmPlusCe.ts';

export { SELI_PATH, type PathPoint, type SeliInput } from '../../src/optima/seliPath.ts';

/**
 * The certified optima of an input along the λ path, measured against SELI's classifier Gram
 * (P D P)^{1/2} and the simplex-encoded labels Ẑ (src/theory/seli.ts).
 *
 * @example
 * ```ts
 * seliPathOf({ n: [10, 20, 40, 80], d: 8 }, ctx).map((p) => p.gramDistance); // ≈ 0.66, 0.19, 0.094, 0.067, 0.052
 * ```
 */
export function seliPathOf(input: SeliInput, ctx: ClaimContext): PathPoint[] {
  return ctx.optima.seliPath(input, { classifierGram: seliClassifierGram(input.n).flat(), logits: simplexEncodedLabels(input.n).data });
}

/**
 * No class of the input is near collapse at the point's λ: min_k n_k > T = N² λ² K/(K−1). In the
 * plain UFM two equal classes of size m merge (w_j = w_k, h̄_j = h̄_k) exactly when m ≤ N² λ_W λ_H
 * (measured: (5,5,100,100) merges between λ = 0.0106 and 0.0108, N²λ² = 4.96 and 5.14); the factor
 * K/(K−1) (the UFM+ threshold of src/theory) keeps a margin from it.
 */
export function noCollapse(input: SeliInput, p: PathPoint): boolean {
  return Math.min(...input.n) > minorityCollapseThreshold(input.n, p.lambda, p.lambda);
}

/** d ∈ [K, 2K] drawn as an offset, so that it shrinks to d = K. */
function withDimension(sizes: fc.Arbitrary<number[]>): fc.Arbitrary<SeliInput> {
  return fc.record({ n: sizes, extra: fc.nat({ max: 1000 }) }).map(({ n, extra }) => ({ n, d: n.length + (extra % (n.length + 1)) }));
}

/** Class sizes of every kind (the budget's mixture) with d ∈ [K, 2K]. */
export function seliInput(budget: Budget): fc.Arbitrary<SeliInput> {
  return withDimension(budgetSizes(budget));
}

/** Balanced class sizes with d ∈ [K, 2K]. */
export function balancedSeliInput(budget: Budget): fc.Arbitrary<SeliInput> {
  return withDimension(balancedSizes(budget === 'small' ? { minK: 2, maxK: 6, maxSize: 40 } : { minK: 2, maxK: 20, maxSize: 250 }));
}

/** Consecutive pairs (i, i + 1) of the path where both points satisfy `ok`. */
export function consecutive(path: readonly PathPoint[], ok: (p: PathPoint) => boolean): [PathPoint, PathPoint][] {
  const out: [PathPoint, PathPoint][] = [];
  for (let i = 0; i + 1 < path.length; i++) if (ok(path[i]) && ok(path[i + 1])) out.push([path[i], path[i + 1]]);
  return out;
}
