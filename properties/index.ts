/**
 * Every theorem claim of the UFM+ suite, one file each. `npm test` (properties/theorem.prop.ts),
 * `ncverify verify` and the wrong-theory tests all run this list.
 */
import type { Claim } from '../src/runner/claim.ts';
import { withinClassCollapse } from './withinClassCollapse.ts';
import { classMeansOrthogonal } from './classMeansOrthogonal.ts';
import { classMeanNorms } from './classMeanNorms.ts';
import { classifierNorms } from './classifierNorms.ts';
import { classifierNormOrdering } from './classifierNormOrdering.ts';
import { classMeanNormUnimodal } from './classMeanNormUnimodal.ts';
import { classifierAlignment } from './classifierAlignment.ts';
import { classifierGram } from './classifierGram.ts';
import { margins } from './margins.ts';
import { collapseThreshold } from './collapseThreshold.ts';
import { optimalValue } from './optimalValue.ts';
import { balancedReduction } from './balancedReduction.ts';
import { classPermutationEquivariance } from './classPermutationEquivariance.ts';
import { closedFormCertificate } from './closedFormCertificate.ts';
import { featurePermutationInvariance } from './featurePermutationInvariance.ts';
import { outsideAssumptions } from './outsideAssumptions.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const CLAIMS: readonly Claim<any>[] = [
  withinClassCollapse,
  classMeansOrthogonal,
  classMeanNorms,
  classifierNorms,
  classifierNormOrdering,
  classMeanNormUnimodal,
  classifierAlignment,
  classifierGram,
  margins,
  collapseThreshold,
  optimalValue,
  balancedReduction,
  classPermutationEquivariance,
  closedFormCertificate,
  featurePermutationInvariance,
  outsideAssumptions,
];
