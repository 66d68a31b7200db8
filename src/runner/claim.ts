import type fc from 'fast-check';
import type { UfmPlusTheory } from '../theory/types.ts';
import type { CertifiedOptimum } from './optimum.ts';

/** Inputs generated per claim at budget scale 1, unless the claim says otherwise. */
export const DEFAULT_RUNS = 400;

/** How large a generated instance may be: `small` for `npm test`, `large` for nightly budgets. */
export type Budget = 'small' | 'large';

/** What a claim's check can use: the theory under test and the certified optimum of an instance. */
export interface ClaimContext {
  /** The theory whose predictions are checked (the shipped `ufm-plus-ce`, or a user's). */
  readonly theory: UfmPlusTheory;
  /** The certified global optimum of an instance (memoised; the same instance is solved once). */
  optimum(instance: { n: readonly number[]; lambdaW: number; lambdaH: number; d: number }): CertifiedOptimum;
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
 * A theorem claim, written once and run by every runner (vitest, `ncverify verify`, the
 * wrong-theory tests). `check` returns measurements; the runner decides pass/fail and keeps the
 * largest error. A claim that returns no measurement for an input has checked nothing there.
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
  /** Measures the claim on one input. */
  check(input: I, ctx: ClaimContext): Measurement[];
}
