/**
 * The imbalanced-MSE claims (THEORY.md §4): one weight matrix, bias-free or with a free bias, on the
 * certified float64 solver with the mse loss; M = 2 on the multi-start deep-linear solver. Run by
 * properties/seliMse.prop.ts.
 */
import type { Claim } from '../../src/runner/claim.ts';
import { mseBiasAlignment } from './biasAlignment.ts';
import { mseBiasSingularValues } from './biasSingularValues.ts';
import { mseCollapseThreshold } from './collapseThreshold.ts';
import { mseDeepLinearGeometry } from './deepLinearGeometry.ts';
import { mseDeepLinearObjective } from './deepLinearObjective.ts';
import { mseNorms } from './norms.ts';
import { mseOrthogonality } from './orthogonality.ts';
import { mseWithinClassCollapse } from './withinClassCollapse.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const MSE_CLAIMS: readonly Claim<any>[] = [
  mseWithinClassCollapse,
  mseOrthogonality,
  mseNorms,
  mseCollapseThreshold,
  mseBiasSingularValues,
  mseBiasAlignment,
  mseDeepLinearObjective,
  mseDeepLinearGeometry,
];
