/**
 * Claim (SELI classifier geometry, λ → 0): along the decreasing path λ_W = λ_H = λ ∈ {1e-1, …, 1e-5}
 * the certified plain-UFM optimum's Frobenius-normalised classifier Gram W Wᵀ moves monotonically
 * towards SELI's (P D P)^{1/2}: the distance d(λ) = ‖W Wᵀ/‖W Wᵀ‖ − G/‖G‖‖_F does not increase from
 * one λ to the next, wherever no class is near collapse (min_k n_k > N² λ² K/(K−1), see
 * properties/seli/path.ts) and W ≠ 0. No small absolute distance is asserted: under imbalance d
 * falls only like 1/log(1/λ) (THEORY.md §3 table).
 * Source: Thrampoulidis, Kini, Vakilian, Behnia, "Imbalance Trouble", NeurIPS 2022 (convergence of
 * the regularised CE solutions in direction to the UF-SVM/SELI geometry); THEORY.md §3. Monotonicity
 * along the path is the measured behaviour THEORY.md §3 asks to assert, not a theorem of the paper.
 *
 * Tolerance: each measured d(λ) is within its error bound ε(λ) = 2 e_W (2‖W‖_F + e_W)/‖W Wᵀ‖_F of
 * the optimum's (properties/seli/path.ts, block convention of src/optima/ufmPlus/bounds.ts), so the check
 * d(λ_{i+1}) − d(λ_i) ≤ ε(λ_i) + ε(λ_{i+1}).
 */
import type { Claim, Measurement } from '../../src/runner/claim.ts';
import { consecutive, seliInput, seliPathOf, type SeliInput, noCollapse } from './path.ts';

export const seliClassifierGramPath: Claim<SeliInput> = {
  id: 'seli-classifier-gram-path',
  title: 'SELI: normalised W Wᵀ approaches (P D P)^{1/2} monotonically as λ decreases',
  source: 'Thrampoulidis et al., NeurIPS 2022; THEORY.md §3',
  mode: 'assert',
  usesTheory: false,
  runs: 40,
  arbitrary: seliInput,
  check(input, ctx) {
    const path = seliPathOf(input, ctx);
    return consecutive(path, (p) => noCollapse(input, p) && p.nonZero).map(([a, b]): Measurement => ({
      quantity: `d(λ = ${b.lambda}) − d(λ = ${a.lambda}) of the normalised W Wᵀ to SELI (d = ${b.gramDistance} after ${a.gramDistance})`,
      value: Math.max(0, b.gramDistance - a.gramDistance),
      tolerance: a.gramDistanceError + b.gramDistanceError,
    }));
  },
};
