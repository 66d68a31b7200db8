/**
 * Every theorem claim, one file each: the UFM+ claims here (Dang et al., ICML 2024; THEORY.md §1),
 * SELI's in properties/seli (THEORY.md §3) and the imbalanced-MSE ones in properties/mse (§4).
 * `npm test` (properties/*.prop.ts), `ncverify verify` and the wrong-theory tests run these lists.
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

import { SELI_CLAIMS } from './seli/index.ts';
import { MSE_CLAIMS } from './mse/index.ts';

export { SELI_CLAIMS, MSE_CLAIMS };

/** The UFM+ claims: the ones a user theory (`verify --theory FILE`) is checked against. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const UFM_PLUS_CLAIMS: readonly Claim<any>[] = [
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

/** Every claim of the three papers, in report order. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const CLAIMS: readonly Claim<any>[] = [...UFM_PLUS_CLAIMS, ...SELI_CLAIMS, ...MSE_CLAIMS];
