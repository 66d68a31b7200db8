/**
 * `npm test`: the SELI claims (properties/seli, THEORY.md §3) and the imbalanced-MSE claims
 * (properties/mse, THEORY.md §4). These claims solve their own problems (plain UFM with CE or MSE,
 * deep linear) and read their own theory modules.
 */
import { MSE_CLAIMS, SELI_CLAIMS } from './index.ts';
import { registerClaims } from './_internals/registerClaims.ts';

registerClaims('SELI/MSE', [...SELI_CLAIMS, ...MSE_CLAIMS]);
