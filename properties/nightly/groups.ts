/**
 * The nightly suite's files: every claim in exactly one group, one vitest file per group, so that
 * vitest's own sharding (`npm run test:nightly -- --shard=i/n`) splits the work across machines.
 * Each group writes reports/nightly/<group>.json; `ncverify report merge reports/nightly/*.json`
 * joins them (tests/nightly-groups.test.ts checks that the groups cover every claim once).
 */
export const NIGHTLY_GROUPS: Readonly<Record<string, readonly string[]>> = {
  'ufm-plus-geometry': ['within-class-collapse', 'class-means-orthogonal', 'classifier-alignment', 'classifier-gram', 'logit-margins'],
  'ufm-plus-norms': ['class-mean-norms', 'classifier-norms', 'classifier-norm-ordering', 'class-mean-norm-unimodal', 'optimal-value'],
  'ufm-plus-threshold': ['collapse-threshold', 'closed-form-certificate', 'outside-assumptions-d-below-K'],
  'ufm-plus-symmetry': ['balanced-reduction', 'class-permutation-equivariance', 'feature-permutation-invariance'],
  seli: ['seli-classifier-gram-path', 'seli-logits-path', 'seli-balanced-etf', 'seli-convergence-rate'],
  mse: ['mse-within-class-collapse', 'mse-orthogonality', 'mse-norms', 'mse-collapse-threshold', 'mse-bias-singular-values', 'mse-bias-alignment', 'mse-deep-linear-objective', 'mse-deep-linear-geometry'],
};
