import type { PropertyReport, Sample, SolverSummary, VerifyReport } from '../reports/verifyReport.ts';
import type { UfmPlusTheory } from '../theory/types.ts';
import { type Budget, type Claim, type ClaimContext, DEFAULT_RUNS } from './claim.ts';
import { type CertifiedOptimum, type SolvedInstance, UncertifiedError } from './optimum.ts';
import { type ClaimOutcome, runClaim } from './runClaim.ts';

/** How a suite is run. */
export interface SuiteOptions {
  readonly theory: UfmPlusTheory;
  /** The label of the theory in the report (a name or a file path). */
  readonly theoryLabel?: string;
  readonly seed: number;
  /** Multiplies every claim's number of runs (NCVERIFY_RUNS). */
  readonly scale: number;
  readonly budget: Budget;
  /** Solves (and certifies) one instance. */
  readonly solve: (instance: SolvedInstance) => CertifiedOptimum;
  /** Replays one failure of one claim. */
  readonly path?: string;
  /** Called after each claim. */
  readonly onClaim?: (outcome: ClaimOutcome, index: number, total: number) => void;
}

/** The JSON key of an instance: the memo of the optimum cache. */
export function instanceKey(i: SolvedInstance): string {
  return JSON.stringify([i.n, i.lambdaW, i.lambdaH, i.d]);
}

/**
 * A claim context whose optima are memoised, so that claims sharing an instance solve it once.
 *
 * @example
 * ```ts
 * const ctx = claimContext(ufmPlusCe, solveInstance);
 * ctx.optimum({ n: [10, 40], lambdaW: 1e-2, lambdaH: 1e-2, d: 2 }).certified; // true
 * ```
 */
export function claimContext(theory: UfmPlusTheory, solve: (i: SolvedInstance) => CertifiedOptimum): ClaimContext & { readonly solved: Map<string, CertifiedOptimum> } {
  const solved = new Map<string, CertifiedOptimum>();
  return {
    theory,
    solved,
    optimum(instance) {
      const key = instanceKey(instance);
      let opt = solved.get(key);
      if (opt === undefined) {
        opt = solve({ n: instance.n.slice(), lambdaW: instance.lambdaW, lambdaH: instance.lambdaH, d: instance.d });
        // whatever `solve` was injected: an uncertified point inside the assumptions (d ≥ K) never reaches a claim
        if (!opt.certified && instance.d >= instance.n.length) {
          throw new UncertifiedError(`the optimum of ${key} (n, λ_W, λ_H, d) is not certified, and d ≥ K: no claim may use it`);
        }
        solved.set(key, opt);
      }
      return opt;
    },
  };
}

/** The number of runs of a claim at a scale. */
export function claimRuns(claim: Claim<unknown>, scale: number): number {
  return Math.max(1, Math.round((claim.runs ?? DEFAULT_RUNS) * scale));
}

/**
 * Runs every claim and gathers the report of `ncverify verify` (src/reports/verifyReport.ts).
 *
 * @example
 * ```ts
 * const report = runSuite(CLAIMS, { theory: ufmPlusCe, seed: 1, scale: 1, budget: 'small', solve: solveInstance });
 * report.summary.failed; // 0
 * ```
 */
export function runSuite(claims: readonly Claim<unknown>[], options: SuiteOptions): VerifyReport {
  const started = performance.now();
  const ctx = claimContext(options.theory, options.solve);
  const outcomes: ClaimOutcome[] = [];
  claims.forEach((claim, index) => {
    const outcome = runClaim(claim, ctx, {
      seed: options.seed,
      numRuns: claimRuns(claim, options.scale),
      budget: options.budget,
      ...(options.path === undefined ? {} : { path: options.path }),
    });
    outcomes.push(outcome);
    options.onClaim?.(outcome, index, claims.length);
  });
  return assembleReport(outcomes, [...ctx.solved.values()], { ...options, seconds: (performance.now() - started) / 1000 });
}

/**
 * The verify report of claims already run (by {@link runSuite}, or one vitest test per claim in
 * properties/_internals/registerClaims.ts), with the optima their context solved.
 *
 * @example
 * ```ts
 * const report = assembleReport(outcomes, [...ctx.solved.values()], { theory: ufmPlusCe, seed: 1, scale: 1, seconds: 12 });
 * ```
 */
export function assembleReport(
  outcomes: readonly ClaimOutcome[],
  optima: readonly CertifiedOptimum[],
  options: { readonly theory: UfmPlusTheory; readonly theoryLabel?: string; readonly seed: number; readonly scale: number; readonly seconds: number },
): VerifyReport {
  const properties: PropertyReport[] = outcomes.map(({ worst: _w, seconds: _s, ...p }) => p);
  return {
    tool: 'ncverify',
    schemaVersion: 1,
    theory: options.theoryLabel ?? options.theory.name,
    backend: 'cpu-float64',
    budget: { seed: options.seed, runsPerProperty: claimRuns({ runs: DEFAULT_RUNS } as Claim<unknown>, options.scale), scale: options.scale },
    properties,
    solver: solverSummary(optima),
    samples: samples(optima, options.theory),
    summary: {
      properties: properties.length,
      passed: properties.filter((p) => p.verdict !== 'fail').length,
      failed: properties.filter((p) => p.verdict === 'fail').length,
      instances: properties.reduce((s, p) => s + p.runs, 0),
    },
    timings: {
      seconds: options.seconds,
      perProperty: Object.fromEntries(outcomes.map((o) => [o.id, o.seconds])),
    },
  };
}

function solverSummary(optima: readonly CertifiedOptimum[]): SolverSummary {
  return {
    instances: optima.length,
    certified: optima.filter((o) => o.certified).length,
    escapes: optima.reduce((s, o) => s + o.escapes, 0),
    restarts: optima.reduce((s, o) => s + o.restarts, 0),
    landscape: optima.map((o) => ({
      K: o.layout.K,
      d: o.instance.d,
      imbalanceRatio: Math.max(...o.instance.n) / Math.min(...o.instance.n),
      escapes: o.escapes,
      restarts: o.restarts,
      certified: o.certified,
    })),
  };
}

/**
 * The theory's per-class predictions for the plots, or [] when a (user's) theory throws or returns
 * something without `classes`: its claims fail with the reason; the report must still be written.
 */
function predictedClasses(theory: UfmPlusTheory, instance: SolvedInstance): readonly { featureNorm: number; classifierNorm: number }[] {
  try {
    const classes = theory.predict(instance)?.classes;
    return Array.isArray(classes) ? classes.filter((c) => typeof c === 'object' && c !== null) : [];
  } catch {
    return [];
  }
}

/** Predicted against measured per-class values of the first optima (at most 2 000 pairs per quantity). */
function samples(optima: readonly CertifiedOptimum[], theory: UfmPlusTheory): Sample[] {
  const out: Sample[] = [];
  for (const o of optima) {
    if (out.length >= 6000 || o.instance.d < o.layout.K) continue;
    const p = predictedClasses(theory, o.instance);
    const push = (quantity: Sample['quantity'], predicted: number, measured: number): void => {
      // a plot point needs two numbers (a user theory may predict NaN: its claims fail, the plot skips it)
      if (Number.isFinite(predicted) && Number.isFinite(measured)) out.push({ quantity, predicted, measured });
    };
    p.forEach((c, k) => {
      push('featureNorm', c.featureNorm, o.classMeanNorms[k]);
      push('classifierNorm', c.classifierNorm, o.classifierNorms[k]);
    });
  }
  return out;
}
