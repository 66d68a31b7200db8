import type { SolvedRecord } from '../optima/ledger.ts';
import { Optima } from '../optima/optima.ts';
import type { CertifiedOptimum } from '../optima/ufmPlus/types.ts';
import type { FamilyCounts, PropertyReport, Sample, SolverSummary, VerifyReport } from '../reports/verifyReport.ts';
import type { UfmInstance, UfmPlusTheory } from '../theory/types.ts';
import { type Budget, type Claim, type ClaimContext, DEFAULT_RUNS } from './claim.ts';
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
  /** The optimum layer (default: a fresh {@link Optima} with the float64 solvers). */
  readonly optima?: Optima;
  /** Replays one failure of one claim. */
  readonly path?: string;
  /** Called after each claim. */
  readonly onClaim?: (outcome: ClaimOutcome, index: number, total: number) => void;
}

/**
 * A claim context over an optimum layer: the theory under test and the memoised optima of every family.
 *
 * @example
 * ```ts
 * const ctx = claimContext(ufmPlusCe);
 * ctx.optima.ufmPlus({ n: [10, 40], lambdaW: 1e-2, lambdaH: 1e-2, d: 2 }).certified; // true
 * ```
 */
export function claimContext(theory: UfmPlusTheory, optima: Optima = new Optima()): ClaimContext {
  return { theory, optima };
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
 * const report = runSuite(CLAIMS, { theory: ufmPlusCe, seed: 1, scale: 1, budget: 'small' });
 * report.summary.failed; // 0
 * ```
 */
export function runSuite(claims: readonly Claim<unknown>[], options: SuiteOptions): VerifyReport {
  const started = performance.now();
  const ctx = claimContext(options.theory, options.optima);
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
  return assembleReport(outcomes, ctx.optima, { ...options, seconds: (performance.now() - started) / 1000 });
}

/**
 * The verify report of claims already run (by {@link runSuite}, or one vitest test per claim in
 * properties/_internals/registerClaims.ts), with every optimum their context's layer solved.
 *
 * @example
 * ```ts
 * const report = assembleReport(outcomes, ctx.optima, { theory: ufmPlusCe, seed: 1, scale: 1, budget: 'small', seconds: 12 });
 * ```
 */
export function assembleReport(
  outcomes: readonly ClaimOutcome[],
  optima: Optima,
  options: { readonly theory: UfmPlusTheory; readonly theoryLabel?: string; readonly seed: number; readonly scale: number; readonly budget: Budget; readonly seconds: number },
): VerifyReport {
  const properties: PropertyReport[] = outcomes.map(({ worst: _w, seconds: _s, ...p }) => p);
  return {
    tool: 'ncverify',
    schemaVersion: 1,
    theory: options.theoryLabel ?? options.theory.name,
    backend: optima.warmStarts?.backend ?? 'cpu-float64',
    adapter: optima.warmStarts?.adapter ?? 'cpu (float64, JavaScript)',
    budget: { seed: options.seed, runsPerProperty: claimRuns({ runs: DEFAULT_RUNS } as Claim<unknown>, options.scale), scale: options.scale, size: options.budget },
    properties,
    solver: { ...solverSummary(optima.solved()), ...(optima.warmStarts === null ? {} : { tfjsStage: { instances: optima.warmStarts.instances, seconds: optima.warmStarts.seconds } }) },
    samples: samples(optima.ufmPlusOptima(), options.theory),
    summary: {
      properties: properties.length,
      passed: properties.filter((p) => p.verdict === 'pass' || p.verdict === 'recorded').length,
      failed: properties.filter((p) => p.verdict === 'fail').length,
      inconclusiveClaims: properties.filter((p) => p.verdict === 'inconclusive').length,
      instances: properties.reduce((s, p) => s + p.runs, 0),
      inconclusive: properties.reduce((s, p) => s + (p.inconclusive ?? 0), 0),
    },
    timings: {
      seconds: options.seconds,
      perProperty: Object.fromEntries(outcomes.map((o) => [o.id, o.seconds])),
    },
  };
}

/** Counts of a set of solved optima. */
function counts(rows: readonly SolvedRecord[]): Omit<FamilyCounts, 'certifiable'> {
  return {
    instances: rows.length,
    certified: rows.filter((o) => o.certified).length,
    outsideAssumptions: rows.filter((o) => !o.insideAssumptions).length,
    certifiedInside: rows.filter((o) => o.insideAssumptions && o.certified).length,
    escapes: rows.reduce((s, o) => s + o.escapes, 0),
    restarts: rows.reduce((s, o) => s + o.restarts, 0),
  };
}

/** The report's solver section: every distinct optimum of every family, in total and per family. */
function solverSummary(rows: readonly SolvedRecord[]): SolverSummary {
  const { instances, certified, escapes, restarts } = counts(rows);
  const families: Record<string, FamilyCounts> = {};
  for (const family of new Set(rows.map((o) => o.family))) {
    const own = rows.filter((o) => o.family === family);
    families[family] = { ...counts(own), certifiable: own[0].certifiable };
  }
  const routes: Record<string, number> = {};
  for (const o of rows) routes[o.route] = (routes[o.route] ?? 0) + 1;
  return {
    instances,
    certified,
    escapes,
    restarts,
    families,
    routes,
    retried: rows.filter((o) => o.settings === 'retry').length,
    landscape: rows.map((o) => ({ family: o.family, K: o.K, d: o.d, imbalanceRatio: o.imbalanceRatio, escapes: o.escapes, restarts: o.restarts, certified: o.certified, route: o.route })),
  };
}

/**
 * The theory's per-class predictions for the plots, or [] when a (user's) theory throws or returns
 * something without `classes`: its claims fail with the reason; the report must still be written.
 */
function predictedClasses(theory: UfmPlusTheory, instance: UfmInstance): readonly { featureNorm: number; classifierNorm: number }[] {
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
