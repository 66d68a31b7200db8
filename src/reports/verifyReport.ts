/**
 * The JSON report written by `ncverify verify` (reports/verify.json) and read by the HTML report,
 * the CI gate (`ncverify gate`) and `ncverify report merge`. Everything except `timings` is
 * deterministic for a given seed and budget (byte-identical across runs).
 */
export interface VerifyReport {
  readonly tool: 'ncverify';
  readonly schemaVersion: 1;
  /** The theory under test (`ufm-plus-ce`, or the path of a user theory). */
  readonly theory: string;
  /** The numeric backend that solved the instances (`cpu-float64`, or a tfjs backend name). */
  readonly backend: string;
  /** The fast-check seed and the number of runs per property. */
  readonly budget: { readonly seed: number; readonly runsPerProperty: number; readonly scale: number };
  /** One entry per claim (property). */
  readonly properties: readonly PropertyReport[];
  /** How the solver reached its answers across all instances (the landscape). */
  readonly solver: SolverSummary;
  /** Predicted against measured values, for plots (a bounded sample). */
  readonly samples: readonly Sample[];
  readonly summary: {
    readonly properties: number;
    readonly passed: number;
    readonly failed: number;
    readonly instances: number;
  };
  /** Wall-clock figures: excluded from determinism comparisons. */
  readonly timings: { readonly seconds: number; readonly perProperty: Readonly<Record<string, number>> };
  /**
   * Optional: final metrics of the slow suite (slow/, the CIFAR-10 backbone), present only when it
   * ran. `ncverify gate` compares them with the baseline's, using the baseline's direction and tolerance.
   */
  readonly slowSuite?: { readonly metrics: readonly SlowMetric[] };
}

/**
 * One final figure of the slow suite, e.g. `{ id: 'nc1-final', value: 0.03, better: 'lower', tolerance: 0.01 }`:
 * the gate flags a change worse than `tolerance` (absolute, in the metric's units) in the bad direction.
 */
export interface SlowMetric {
  readonly id: string;
  readonly value: number;
  readonly better: 'lower' | 'higher';
  /** The largest worsening still accepted (absolute, ≥ 0), stated by whoever defines the metric. */
  readonly tolerance: number;
}

/** The outcome of one claim. */
export interface PropertyReport {
  /** A stable id, e.g. `class-means-orthogonal`. */
  readonly id: string;
  readonly title: string;
  /** Paper and theorem the claim comes from. */
  readonly source: string;
  /** `pass`, `fail`, or `recorded` (outside the theorem's assumptions: measured, not asserted). */
  readonly verdict: 'pass' | 'fail' | 'recorded';
  readonly runs: number;
  readonly passes: number;
  /** Failures with what is needed to replay them (`--seed`, `--path`). */
  readonly failures: readonly FailureReport[];
  /** The largest observed error and its tolerance over all runs (ratio = value / tolerance). */
  readonly largestError: { readonly value: number; readonly tolerance: number; readonly ratio: number } | null;
}

/** One failure, replayable. */
export interface FailureReport {
  readonly seed: number;
  readonly path: string;
  readonly counterexample: unknown;
  readonly message: string;
}

/** Solver statistics over the verify run. */
export interface SolverSummary {
  readonly instances: number;
  readonly certified: number;
  readonly escapes: number;
  readonly restarts: number;
  /** One row per solved instance: for the landscape plot (escapes/restarts by imbalance ratio and d). */
  readonly landscape: readonly { readonly K: number; readonly d: number; readonly imbalanceRatio: number; readonly escapes: number; readonly restarts: number; readonly certified: boolean }[];
}

/** A predicted/measured pair for plots. */
export interface Sample {
  readonly quantity: 'featureNorm' | 'classifierNorm' | 'margin' | 'classifierCosine';
  readonly predicted: number;
  readonly measured: number;
}
