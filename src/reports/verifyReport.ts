import type { Verdict } from './verdict.ts';

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
  /** The numeric backend that solved the instances (`cpu-float64`, or the tfjs backend of the float32 warm-start stage). */
  readonly backend: string;
  /** The device of that backend in words (a software WebGPU adapter is named a CPU emulation); absent for older reports. */
  readonly adapter?: string;
  /** The fast-check seed, the number of runs per property, the run multiplier and the instance sizes (`small` when absent). */
  readonly budget: { readonly seed: number; readonly runsPerProperty: number; readonly scale: number; readonly size?: 'small' | 'large' };
  /** One entry per claim (property). */
  readonly properties: readonly PropertyReport[];
  /** How the solver reached its answers across all instances (the landscape). */
  readonly solver: SolverSummary;
  /** Predicted against measured values, for plots (a bounded sample). */
  readonly samples: readonly Sample[];
  readonly summary: {
    readonly properties: number;
    /** Claims that hold (verdict pass or recorded). */
    readonly passed: number;
    readonly failed: number;
    /** Claims none of whose inputs could be decided (verdict inconclusive); 0 when absent. */
    readonly inconclusiveClaims?: number;
    readonly instances: number;
    /** Generated inputs the certificate could not decide, over all claims (src/reports/verdict.ts); 0 when absent. */
    readonly inconclusive?: number;
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
  /** `pass`, `fail`, `inconclusive` (no input decided) or `recorded` (outside the theorem's assumptions: measured, not asserted); src/reports/verdict.ts. */
  readonly verdict: Verdict;
  readonly runs: number;
  /** Inputs decided and within tolerance. */
  readonly passes: number;
  /** Inputs the proven bounds could not decide (0 when absent), and the first few of them with the reason. */
  readonly inconclusive?: number;
  readonly inconclusiveExamples?: readonly InconclusiveReport[];
  /** Failures with what is needed to replay them (`--seed`, `--path`). */
  readonly failures: readonly FailureReport[];
  /** The largest observed error and its tolerance over all runs (ratio = value / tolerance). */
  readonly largestError: { readonly value: number; readonly tolerance: number; readonly ratio: number } | null;
}

/** One inconclusive input: what was generated and why the bounds could not decide it. */
export interface InconclusiveReport {
  readonly input: unknown;
  readonly reason: string;
}

/** One failure, replayable. */
export interface FailureReport {
  readonly seed: number;
  readonly path: string;
  readonly counterexample: unknown;
  readonly message: string;
}

/** Counts of one model family's optima (src/optima). */
export interface FamilyCounts {
  /** Distinct optima solved. */
  readonly instances: number;
  readonly certified: number;
  /** Of them, outside the theorem's assumptions (UFM+ with d < K: recorded only). */
  readonly outsideAssumptions: number;
  /** Certified among those inside the assumptions (src/reports/certification.ts). */
  readonly certifiedInside: number;
  /** Whether the family has a certificate (deep-linear MSE with M ≥ 2 has none). */
  readonly certifiable: boolean;
  readonly escapes: number;
  readonly restarts: number;
}

/** One solved optimum, for the landscape plot (escapes/restarts by imbalance ratio and d). */
export interface LandscapeRow {
  /** The model family (src/optima/ledger.ts); `ufm-plus` when absent. */
  readonly family?: string;
  readonly K: number;
  readonly d: number;
  readonly imbalanceRatio: number;
  readonly escapes: number;
  readonly restarts: number;
  readonly certified: boolean;
  /** `float64`, or the warm-started route (`tfjs-warm-start`, `tfjs-escape`, `float64-restart`); absent: `float64`. */
  readonly route?: string;
}

/** Solver statistics over the verify run: every distinct optimum of every family, counted once. */
export interface SolverSummary {
  readonly instances: number;
  readonly certified: number;
  readonly escapes: number;
  readonly restarts: number;
  /** The same counts per model family (absent in reports made before the one optimum layer). */
  readonly families?: Readonly<Record<string, FamilyCounts>>;
  /** Optima per route (`float64`, `tfjs-warm-start`, `tfjs-escape`, `float64-restart`). */
  readonly routes?: Readonly<Record<string, number>>;
  /** Optima solved again on the retry settings before an input would have been inconclusive (src/optima/policy.ts). */
  readonly retried?: number;
  /** The tfjs warm-start stage, when one ran: distinct instances and wall seconds. */
  readonly tfjsStage?: { readonly instances: number; readonly seconds: number };
  readonly landscape: readonly LandscapeRow[];
}

/** A predicted/measured pair for plots. */
export interface Sample {
  readonly quantity: 'featureNorm' | 'classifierNorm' | 'margin' | 'classifierCosine';
  readonly predicted: number;
  readonly measured: number;
}
