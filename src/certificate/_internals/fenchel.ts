/**
 * Glue between a candidate and the Fenchel lower bounds of lowerBound.ts, shared by both certificates.
 */
import { symmetricTopEigenpair } from '../../linalg/symmetricEigen.ts';
import type { ClassLayout } from '../../problem/layout.ts';
import { crossEntropyLowerBound, genericLowerBound } from '../lowerBound.ts';
import { maxOrthantRayleigh } from '../orthantRayleigh.ts';
import type { Candidate } from './candidate.ts';
import { columnGram } from './classReduction.ts';

/** Upper bound of Ω°(C) for a collapsed C given by its K×K reduction. */
export function orthantDualNormOfReduction(reduction: Float64Array): number {
  const K = Math.round(Math.sqrt(reduction.length));
  return Math.sqrt(maxOrthantRayleigh(columnGram(reduction, K), K).upper);
}

/** Upper bound of ‖C‖₂ for a collapsed C given by its K×K reduction (C Cᵀ = R Rᵀ). */
export function spectralDualNormOfReduction(reduction: Float64Array): number {
  const K = Math.round(Math.sqrt(reduction.length));
  return Math.sqrt(Math.max(0, symmetricTopEigenpair(columnGram(reduction, K), K).values[K - 1]));
}

/** The Fenchel lower bound of lowerBound.ts for this candidate, or null where none is valid. */
export function fenchelBound(
  c: Candidate,
  layout: ClassLayout,
  dualNormUpper: number,
  hasBias: boolean,
  collapsedDualNorm: (reduction: Float64Array) => number,
): number | null {
  const regularisedBias = hasBias && c.lambdaB > 0 ? { lambdaB: c.lambdaB, residual: c.biasResidual ?? 0 } : undefined;
  if (c.lossName === 'cross-entropy') {
    return crossEntropyLowerBound({
      logits: c.logits,
      layout,
      mu: c.mu,
      dualNormUpper,
      collapsedDualNormUpper: hasBias ? collapsedDualNorm : undefined,
      logSoftmax: c.logSoftmax,
      regularisedBias,
    });
  }
  if (hasBias && regularisedBias === undefined) return null;
  return genericLowerBound(c.lossValue, c.innerGY, dualNormUpper, c.mu, regularisedBias);
}
