/**
 * Claim (class-permutation equivariance): relabelling the classes permutes every output. Solving the
 * instance with n permuted by π gives class-mean norms, classifier norms and the optimal value of the
 * original, permuted by π.
 * Source: symmetry of the UFM+ problem (THEORY.md §1 "Symmetries"); a check of the solver and of the
 * uniqueness of the optimum's per-class quantities that the theorem asserts.
 *
 * Tolerance: both optima are certified; each per-class quantity is within its error bound of the
 * (unique) optimal value, so the two differ by at most the sum of their bounds
 * (src/optima/ufmPlus/bounds.ts); objectives by at most the sum of the two gaps.
 */
import fc from 'fast-check';
import type { Claim, Measurement } from '../src/runner/claim.ts';
import { theoremInstance, type Instance } from './_internals/instances.ts';

interface Input {
  readonly instance: Instance;
  /** A permutation of 0..K−1, from a seed. */
  readonly permutationSeed: number;
}

/** A permutation of 0..K−1 drawn by a Fisher–Yates shuffle from a small LCG seeded by `seed`. */
function permutation(K: number, seed: number): number[] {
  const p = Array.from({ length: K }, (_, k) => k);
  let s = seed >>> 0;
  for (let i = K - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

export const classPermutationEquivariance: Claim<Input> = {
  id: 'class-permutation-equivariance',
  title: 'Permuting the classes permutes the optimum',
  source: 'Symmetry of the UFM+ problem; THEORY.md §1 "Symmetries"',
  mode: 'assert',
  usesTheory: false,
  arbitrary: (budget) => fc.record({ instance: theoremInstance(budget), permutationSeed: fc.nat() }),
  check({ instance, permutationSeed }, ctx) {
    const K = instance.n.length;
    const pi = permutation(K, permutationSeed);
    const permuted = { ...instance, n: pi.map((k) => instance.n[k]) };
    const a = ctx.optima.ufmPlus(instance);
    const b = ctx.optima.ufmPlus(permuted);
    const out: Measurement[] = [];
    pi.forEach((k, i) => {
      out.push({
        quantity: `‖h̄‖ of class ${k + 1} (n = ${instance.n[k]}) before and after permutation`,
        value: Math.abs(a.classMeanNorms[k] - b.classMeanNorms[i]),
        tolerance: a.bounds.classMean[k] + b.bounds.classMean[i],
      });
      out.push({
        quantity: `‖w‖ of class ${k + 1} before and after permutation`,
        value: Math.abs(a.classifierNorms[k] - b.classifierNorms[i]),
        tolerance: a.bounds.classifier + b.bounds.classifier,
      });
    });
    out.push({ quantity: 'optimal value before and after permutation', value: Math.abs(a.objective - b.objective), tolerance: a.bounds.gap + b.bounds.gap });
    return out;
  },
};
