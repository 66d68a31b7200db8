/**
 * `npm test`: every UFM+ claim (properties/index.ts) against the shipped closed form, on instances
 * solved and certified by the solver (Dang et al., ICML 2024; THEORY.md §1).
 */
import { UFM_PLUS_CLAIMS } from './index.ts';
import { registerClaims } from './_internals/registerClaims.ts';

registerClaims('UFM+', UFM_PLUS_CLAIMS);
