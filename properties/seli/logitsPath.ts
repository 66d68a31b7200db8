/**
 * Claim (SELI logits, λ → 0): along the decreasing path λ_W = λ_H = λ ∈ {1e-1, …, 1e-5} the certified
 * plain-UFM optimum's logit matrix W H approaches a positive multiple of the simplex-encoded labels
 * Ẑ = P Y: the distance ‖W H/‖W H‖ − Ẑ/‖Ẑ‖‖_F does not increase from one λ to the next, wherever
 * no class is near collapse (min_k n_k > N² λ² K/(K−1)) and W ≠ 0.
 * Source: Thrampoulidis et al., NeurIPS 2022 (the UF-SVM solution has W H = Ẑ; regularised CE
 * solutions converge to it in direction); THEORY.md §3. Monotonicity is asserted as THEORY.md §3 asks.
 *
 * Tolerance: ‖Δ(W H)‖_F ≤ e_W‖H‖_F + ‖W‖_F e_H + e_W e_H (block bounds, src/optima/ufmPlus/bounds.ts), so
 * each measured distance is within ε = 2‖Δ(W H)‖/‖W H‖ of the optimum's; the check allows ε_i + ε_{i+1}.
 */
import type { Claim, Measurement } from '../../src/runner/claim.ts';
import { consecutive, seliInput, seliPathOf, type SeliInput, noCollapse } from './path.ts';

export const seliLogitsPath: Claim<SeliInput> = {
  id: 'seli-logits-path',
  title: 'SELI: W H approaches a multiple of Ẑ = P Y monotonically as λ decreases',
  source: 'Thrampoulidis et al., NeurIPS 2022; THEORY.md §3',
  mode: 'assert',
  usesTheory: false,
  runs: 40,
  arbitrary: seliInput,
  check(input, ctx) {
    const path = seliPathOf(input, ctx);
    return consecutive(path, (p) => noCollapse(input, p) && p.nonZero).map(([a, b]): Measurement => ({
      quantity: `d(λ = ${b.lambda}) − d(λ = ${a.lambda}) of the normalised W H to Ẑ (d = ${b.logitDistance} after ${a.logitDistance})`,
      value: Math.max(0, b.logitDistance - a.logitDistance),
      tolerance: a.logitDistanceError + b.logitDistanceError,
    }));
  },
};
