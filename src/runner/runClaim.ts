import fc from 'fast-check';
import { InputError } from '../errors.ts';
import { isUncertifiedError } from '../optima/policy.ts';
import { claimVerdict } from '../reports/verdict.ts';
import type { FailureReport, InconclusiveReport, PropertyReport } from '../reports/verifyReport.ts';
import { type Budget, type Claim, type ClaimContext, isUndecided, type Measurement, type Observation } from './claim.ts';

/** How one claim is run. */
export interface RunOptions {
  readonly seed: number;
  readonly numRuns: number;
  readonly budget: Budget;
  /** Replays one failure: the fast-check path printed with it. */
  readonly path?: string;
}

/** A claim's outcome, with the measurement that came closest to (or beyond) its tolerance. */
export interface ClaimOutcome extends PropertyReport {
  /** Measurements of the worst run, for the summary. */
  readonly worst: Measurement | null;
  readonly seconds: number;
}

/** Thrown inside the fast-check predicate when a measurement exceeds its tolerance. */
class ClaimViolation extends Error {
  constructor(readonly measurement: Measurement) {
    const yesNo = measurement.tolerance === 0 && measurement.value === 1; // src/runner/claim.ts disagreement()
    super(yesNo ? measurement.quantity : `${measurement.quantity} = ${fmt(measurement.value)} exceeds its tolerance ${fmt(measurement.tolerance)}`);
  }
}

function fmt(x: number): string {
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(6) : x.toExponential(3);
}

/** A measured value that is not a finite number, or a tolerance that is NaN or negative. */
function isInvalid(m: Measurement): boolean {
  return !Number.isFinite(m.value) || !(m.tolerance >= 0);
}

/**
 * A measurement that is not a number is an error, never a pass (nor a mere record): it is replaced
 * by the worst finite measurement, which the runner then reports as a failure in every mode.
 */
function validated(m: Measurement): Measurement {
  if (isInvalid(m)) {
    return { quantity: `${m.quantity} (not a finite number: ${m.value}, tolerance ${m.tolerance})`, value: Number.MAX_VALUE, tolerance: 0 };
  }
  return m;
}

/** JSON has no NaN or ±Infinity: report numbers are clamped to ±Number.MAX_VALUE (NaN: the worst, +MAX_VALUE). */
function reportNumber(x: number): number {
  return Number.isNaN(x) ? Number.MAX_VALUE : Math.max(-Number.MAX_VALUE, Math.min(Number.MAX_VALUE, x));
}

/** How many inconclusive inputs a claim's report shows (all are counted). */
const INCONCLUSIVE_SHOWN = 3;

/** The observations of one input; a refused optimum (UncertifiedError) is one undecided observation. */
function observeOnce<I>(claim: Claim<I>, input: I, ctx: ClaimContext): Observation[] {
  try {
    return claim.check(input, ctx);
  } catch (e) {
    if (isUncertifiedError(e)) return [{ quantity: 'the certified optimum', undecided: e.message }];
    throw e;
  }
}

/**
 * The observations of one input. When one is undecided, the input is checked once more on the optimum
 * layer's retry (src/optima/optima.ts: tighter KKT residual and gap, larger budgets, a fresh seed), and
 * that second look is the input's answer: inconclusive only if even it cannot decide.
 */
function observe<I>(claim: Claim<I>, input: I, ctx: ClaimContext): Observation[] {
  const first = observeOnce(claim, input, ctx);
  return first.some(isUndecided) ? observeOnce(claim, input, { ...ctx, optima: ctx.optima.retry() }) : first;
}

/**
 * Runs a claim with fast-check: `numRuns` generated inputs from `seed` (or one replayed `path`),
 * shrinking a failure to a small counterexample. `record` claims measure without failing. An input
 * with an undecided quantity (and no failing one) is inconclusive: counted, never a pass or a fail
 * (src/reports/verdict.ts). A claim that measured nothing on every input fails — a property that checks
 * nothing is a bug — unless every input was inconclusive.
 *
 * @example
 * ```ts
 * const outcome = runClaim(classMeansOrthogonal, ctx, { seed: 42, numRuns: 100, budget: 'small' });
 * outcome.verdict; // 'pass'
 * ```
 */
export function runClaim<I>(claim: Claim<I>, ctx: ClaimContext, options: RunOptions): ClaimOutcome {
  const started = performance.now();
  let worst: Measurement | null = null;
  let measured = 0;
  const inconclusive = new Map<string, InconclusiveReport>();
  const predicate = (input: I): void => {
    let undecided: string | null = null;
    for (const o of observe(claim, input, ctx)) {
      if (isUndecided(o)) {
        undecided ??= `${o.quantity}: ${o.undecided}`;
        continue;
      }
      const m = validated(o);
      measured++;
      if (worst === null || ratio(m) > ratio(worst)) worst = m;
      if ((claim.mode === 'assert' || isInvalid(o)) && !(m.value <= m.tolerance)) throw new ClaimViolation(m);
    }
    const key = JSON.stringify(input);
    if (undecided !== null && !inconclusive.has(key)) inconclusive.set(key, { input: JSON.parse(key) as unknown, reason: undecided });
  };
  const details = replayable(options.path, () => fc.check(fc.property(claim.arbitrary(options.budget), predicate), {
    seed: options.seed,
    numRuns: options.numRuns,
    ...(options.path === undefined ? {} : { path: options.path }),
  }));
  const failures: FailureReport[] = [];
  if (details.failed) {
    failures.push({
      seed: details.seed,
      path: details.counterexamplePath ?? '',
      counterexample: details.counterexample?.[0] ?? null,
      message: details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance),
    });
  } else if (measured === 0 && inconclusive.size === 0) {
    failures.push({ seed: details.seed, path: '', counterexample: null, message: 'the claim measured nothing on every generated input' });
  }
  const runs = details.numRuns;
  const w = worst as Measurement | null;
  const undecided = details.failed ? 0 : Math.min(inconclusive.size, runs);
  return {
    id: claim.id,
    title: claim.title,
    source: claim.source,
    verdict: claimVerdict({ mode: claim.mode, failed: failures.length, runs, inconclusive: undecided }),
    runs,
    passes: failures.length > 0 ? Math.max(0, runs - 1) : runs - undecided,
    inconclusive: undecided,
    inconclusiveExamples: details.failed ? [] : [...inconclusive.values()].slice(0, INCONCLUSIVE_SHOWN),
    failures,
    largestError: w === null ? null : { value: reportNumber(w.value), tolerance: reportNumber(w.tolerance), ratio: reportNumber(ratio(w)) },
    worst: w,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Runs fast-check; a replay path it cannot follow (malformed, or not a path of this claim and seed) is an InputError. */
function replayable<T>(path: string | undefined, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (path !== undefined && e instanceof Error && /Unable to replay/.test(e.message)) {
      throw new InputError('path', 'must be a replay path printed for this claim and seed (--path, NCVERIFY_PATH)', `${e.message}`);
    }
    throw e;
  }
}

function ratio(m: Measurement): number {
  if (m.tolerance === 0) return m.value === 0 ? 0 : Infinity;
  return m.value / m.tolerance;
}
