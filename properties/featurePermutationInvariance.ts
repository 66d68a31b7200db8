/**
 * Claim (feature-coordinate permutation invariance): permuting the feature coordinates — the rows of
 * H and the columns of W together — maps a global minimiser to a global minimiser: the objective is
 * unchanged and the certificate still proves optimality. (There is no rotation invariance: H ≥ 0
 * breaks it, THEORY.md §1 "Symmetries".)
 * Source: symmetry of the UFM+ problem; certificate of THEORY.md §1b.
 *
 * Tolerance: Z = W H is the same sum over coordinates in another order, so f changes only by the
 * rounding of its evaluation (src/optima/ufmPlus/bounds.ts), and so does the certificate's proven gap
 * (the same objective minus the same Fenchel lower bound, whose inputs G = −∇L(Z) are unchanged).
 */
import fc from 'fast-check';
import { certifyUfmPlus } from '../src/certificate/index.ts';
import { zeros } from '../src/linalg/dense.ts';
import type { Claim } from '../src/runner/claim.ts';
import { objectiveRoundoff } from '../src/optima/policy.ts';
import { theoremInstance, type Instance } from './_internals/instances.ts';

export const featurePermutationInvariance: Claim<{ instance: Instance; shift: number }> = {
  id: 'feature-permutation-invariance',
  title: 'Permuting feature coordinates keeps a certified global optimum',
  source: 'Symmetry of the UFM+ problem; THEORY.md §1 "Symmetries", §1b',
  mode: 'assert',
  usesTheory: false,
  arbitrary: (budget) => fc.record({ instance: theoremInstance(budget), shift: fc.nat() }),
  check({ instance, shift }, ctx) {
    const opt = ctx.optima.ufmPlus(instance);
    const { W, H, layout } = opt;
    const d = W.cols;
    const perm = Array.from({ length: d }, (_, r) => (r * 7 + shift) % d);
    const stride = new Set(perm).size === d ? perm : Array.from({ length: d }, (_, r) => (r + shift) % d);
    const W2 = zeros(W.rows, d);
    const H2 = zeros(d, H.cols);
    stride.forEach((from, to) => {
      for (let k = 0; k < W.rows; k++) W2.data[k * d + to] = W.data[k * d + from];
      H2.data.set(H.data.subarray(from * H.cols, (from + 1) * H.cols), to * H.cols);
    });
    const cert = certifyUfmPlus(W2, H2, layout, instance);
    const roundoff = objectiveRoundoff({ N: layout.N, K: layout.K, d }, opt.objective);
    return [
      { quantity: '|f(permuted) − f|', value: Math.abs(cert.objective - opt.objective), tolerance: roundoff },
      { quantity: `|gap(permuted) − gap| (gaps ${cert.optimalityGap}, ${opt.bounds.gap})`, value: Math.abs((cert.optimalityGap ?? Infinity) - opt.bounds.gap), tolerance: 2 * roundoff },
    ];
  },
};
