import type fc from 'fast-check';
import type { Optima } from '../optima/optima.ts';
import type { UfmPlusTheory } from '../theory/types.ts';

/** Inputs generated per claim at budget scale 1, unless the claim says otherwise. */
export const DEFAULT_RUNS = 400;

/** How large a generated instance may be: `small` for `npm test`, `large` for nightly budgets. */
export type Budget = 'small' | 'large';

/** What a claim's check can use: the theory under test and the optimum layer. */
export interface ClaimContext {
  /** The theory whose predictions are checked (the shipped `ufm-plus-ce`, or a user's). */
  readonly theory: UfmPlusTheory;
  /** The certified optima of every model family (memoised; the same instance is solved once), src/optima. */
  readonly optima: Optima;
}

/** One measured error against its tolerance. `value ≤ tolerance` passes. */
export interface Measurement {
  /** What was measured, e.g. `‖h̄_3‖ relative error`. */
  readonly quantity: string;
  readonly value: number;
  /** The tolerance, derived from the solver's certificate and the instance's conditioning. */
  readonly tolerance: number;
}

/**
 * A yes/no comparison as a measurement: the theory says something the certificate decided otherwise
 * (value 1 against tolerance 0: it fails, and its message is the quantity itself).
 * @example
 * ```ts
 * disagreement('class 2: the certificate decides alive, the theory says collapsed');
 * ```
 */
export function disagreement(quantity: string): Measurement {
  return { quantity, value: 1, tolerance: 0 };
}

/**
 * A quantity the proven bounds cannot decide on one input: the measured value is within its error
 * bound of the line between pass and fail (e.g. a class whose norm is below its error bound e_k, so
 * "alive" cannot be told from "collapsed"). The input is *inconclusive*: counted and shown, never a
 * pass, never a fail.
 */
export interface Undecided {
  readonly quantity: string;
  /** Why the bounds cannot decide, with the numbers. */
  readonly undecided: string;
}

/** What a check returns per quantity: a measurement against its tolerance, or an undecided quantity. */
export type Observation = Measurement | Undecided;

/** True for an {@link Undecided} observation. */
export function isUndecided(o: Observation): o is Undecided {
  return typeof (o as Undecided).undecided === 'string';
}

/**
 * A theorem claim, written once and run by every runner (vitest, `ncverify verify`, the
 * wrong-theory tests). `check` returns observations; the runner decides pass, fail or inconclusive
 * and keeps the largest error. A claim that returns no measurement for an input has checked nothing there.
 */
export interface Claim<I> {
  /** Stable id, the file name: `class-means-orthogonal`. */
  readonly id: string;
  readonly title: string;
  /** Paper, theorem, THEORY.md section. */
  readonly source: string;
  /** `assert`: a theorem claim; `record`: outside the theorem's assumptions, measured only. */
  readonly mode: 'assert' | 'record';
  /** Whether the claim reads the theory's predictions (applicable to `verify --theory`). */
  readonly usesTheory: boolean;
  /** Generated inputs per unit of budget (default {@link DEFAULT_RUNS}); cheap claims run more. */
  readonly runs?: number;
  /** The generated inputs. */
  arbitrary(budget: Budget): fc.Arbitrary<I>;
  /** Measures the claim on one input. An optimum the layer refuses (UncertifiedError) makes the input inconclusive. */
  check(input: I, ctx: ClaimContext): Observation[];
}
