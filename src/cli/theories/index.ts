/**
 * The theory handlers of `ncverify predict`, by `--theory` name. To add a theory, write a
 * {@link TheoryHandler} (./handler.ts) and add one entry here (and any new flag to predict's FLAGS).
 */
import { UFM_PLUS_CE } from '../../theory/ufmPlusCe.ts';
import type { TheoryHandler } from './handler.ts';
import { MSE_BIAS_HANDLER, MSE_DEEP_LINEAR_HANDLER, SELI_HANDLER } from './seliMse.ts';
import { UFM_PLUS_HANDLER } from './ufmPlus.ts';

export type { TheoryHandler, TheoryReport } from './handler.ts';

/** The theories `predict` knows, by `--theory` name; the first is the default. */
export const THEORIES: Readonly<Record<string, TheoryHandler>> = {
  [UFM_PLUS_CE]: UFM_PLUS_HANDLER,
  seli: SELI_HANDLER,
  'mse-deep-linear': MSE_DEEP_LINEAR_HANDLER,
  'mse-bias': MSE_BIAS_HANDLER,
};

/** The theory `predict` uses without --theory. */
export const DEFAULT_THEORY = UFM_PLUS_CE;
