/**
 * The SELI (THEORY.md §3) and imbalanced-MSE (THEORY.md §4) claims, one file each under
 * properties/seli and properties/mse. Run by properties/seliMse.prop.ts; `ncverify verify` can run
 * this list beside properties/index.ts's CLAIMS (the claims ignore the UFM+ theory in the context).
 */
import type { Claim } from '../src/runner/claim.ts';
import { MSE_CLAIMS } from './mse/index.ts';
import { SELI_CLAIMS } from './seli/index.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const SELI_MSE_CLAIMS: readonly Claim<any>[] = [...SELI_CLAIMS, ...MSE_CLAIMS];
