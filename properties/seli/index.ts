/**
 * The SELI claims (THEORY.md §3): plain UFM with cross-entropy along a vanishing-λ path, certified by
 * the spectral-norm test. Run by properties/seliMse.prop.ts.
 */
import type { Claim } from '../../src/runner/claim.ts';
import { seliBalancedEtf } from './balancedEtf.ts';
import { seliClassifierGramPath } from './classifierGramPath.ts';
import { seliConvergenceRate } from './convergenceRate.ts';
import { seliLogitsPath } from './logitsPath.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const SELI_CLAIMS: readonly Claim<any>[] = [seliClassifierGramPath, seliLogitsPath, seliBalancedEtf, seliConvergenceRate];
