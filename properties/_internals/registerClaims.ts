import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Claim } from '../../src/runner/claim.ts';
import { runClaim } from '../../src/runner/runClaim.ts';
import { assembleReport, claimContext, claimRuns } from '../../src/runner/suite.ts';
import { optimaFor, solveBackend } from '../../src/optima/backend.ts';
import type { ClaimContext } from '../../src/runner/claim.ts';
import type { ClaimOutcome } from '../../src/runner/runClaim.ts';
import { writeFileAtomic } from '../../src/io/atomicWrite.ts';
import { suiteSettings } from '../../src/runner/settings.ts';
import { replayCommand } from '../../src/reports/replay.ts';
import { MAX_INCONCLUSIVE_SHARE, tooInconclusive } from '../../src/reports/verdict.ts';
import { ufmPlusCe } from '../../src/theory/ufmPlusCe.ts';

/** The message of a claim's test: its failure with the replay commands, or its inconclusive inputs. */
function outcomeMessage(outcome: ClaimOutcome, settings: ReturnType<typeof suiteSettings>): string {
  const failure = outcome.failures[0];
  if (failure !== undefined) {
    return [
      `${outcome.id} failed after ${outcome.runs} runs: ${failure.message}`,
      `counterexample: ${JSON.stringify(failure.counterexample)}`,
      `replay: ${replayCommand(outcome.id, failure, { budget: settings.budget, scale: settings.scale })}  (or NCVERIFY_SEED=${failure.seed} NCVERIFY_PATH=${failure.path} npx vitest run -t ${outcome.id})`,
    ].join('\n');
  }
  const shown = (outcome.inconclusiveExamples ?? []).map((e) => `  ${JSON.stringify(e.input)}: ${e.reason}`).join('\n');
  return `${outcome.id}: ${outcome.inconclusive} of ${outcome.runs} inputs inconclusive (more than ${MAX_INCONCLUSIVE_SHARE * 100} %; the certificate could not decide them):\n${shown}`;
}

/**
 * Registers one vitest test per claim, against the shipped theory and the optimum layer. The budget
 * comes from NCVERIFY_RUNS / NCVERIFY_SEED / NCVERIFY_BUDGET / NCVERIFY_PATH, the backend from
 * NCVERIFY_BACKEND (default cpu-float64; a tfjs backend adds a float32 warm-start stage); a failure prints the
 * counterexample and the commands that replay it; a claim with more inconclusive inputs than the
 * verdict policy accepts (src/reports/verdict.ts) fails too, listing them. A summary line (instances,
 * optima of every family, seconds, worst error/tolerance per claim) is printed at the end. With
 * `reportFile`, the outcomes are also written there as a verify report (the nightly shards, joined by
 * `ncverify report merge`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function registerClaims(label: string, claims: readonly Claim<any>[], reportFile?: string): void {
  const settings = suiteSettings(process.env);
  const backend = solveBackend(undefined);
  let ctx: ClaimContext = claimContext(ufmPlusCe);
  // NCVERIFY_BACKEND=<tfjs backend>: the claims' UFM+ instances get a batched float32 stage first (src/optima/backend.ts)
  beforeAll(async () => {
    if (backend !== 'cpu-float64') ctx = claimContext(ufmPlusCe, await optimaFor(backend, claims, { budget: settings.budget, seed: settings.seed, runs: (c) => claimRuns(c, settings.scale) }));
  }, 3_600_000);
  const started = performance.now();
  const lines: string[] = [];
  let instances = 0;
  const outcomes: ClaimOutcome[] = [];
  for (const claim of claims) {
    test(`${claim.id}: ${claim.title}`, () => {
      const outcome = runClaim(claim, ctx, { seed: settings.seed, numRuns: claimRuns(claim, settings.scale), budget: settings.budget, path: settings.path });
      instances += outcome.runs;
      outcomes.push(outcome);
      const w = outcome.largestError;
      lines.push(`  ${claim.id}: ${outcome.verdict}, ${outcome.runs} runs, ${outcome.inconclusive ?? 0} inconclusive, ${outcome.seconds.toFixed(1)} s` + (w === null ? '' : `, largest error/tolerance ${w.ratio.toExponential(2)}`));
      expect(outcome.failures, outcomeMessage(outcome, settings)).toEqual([]);
      expect(tooInconclusive({ runs: outcome.runs, inconclusive: outcome.inconclusive ?? 0 }), outcomeMessage(outcome, settings)).toBe(false);
      expect(outcome.runs).toBeGreaterThan(0);
    });
  }
  afterAll(() => {
    const seconds = (performance.now() - started) / 1000;
    const report = assembleReport(outcomes, ctx.optima, { theory: ufmPlusCe, seed: settings.seed, scale: settings.scale, budget: settings.budget, seconds });
    if (reportFile !== undefined && outcomes.length > 0) writeFileAtomic(reportFile, `${JSON.stringify(report, null, 2)}\n`);
    const families = Object.entries(report.solver.families ?? {}).map(([f, c]) => `${f} ${c.instances} (${c.certifiable ? `${c.certified} certified` : 'no certificate exists'})`).join(', ');
    process.stdout.write(
      `\nncverify ${label}: ${instances} generated instances over ${claims.length} claims (seed ${settings.seed}, scale ${settings.scale}), ${report.summary.inconclusive} inconclusive; ` +
        `${report.solver.instances} optima solved [${families}]; ${seconds.toFixed(1)} s\n${lines.join('\n')}\n`,
    );
  });
}
