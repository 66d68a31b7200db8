import { afterAll, expect, test } from 'vitest';
import type { Claim } from '../../src/runner/claim.ts';
import { replayCommand, runClaim } from '../../src/runner/runClaim.ts';
import { assembleReport, claimContext, claimRuns } from '../../src/runner/suite.ts';
import type { ClaimOutcome } from '../../src/runner/runClaim.ts';
import { writeFileAtomic } from '../../src/io/atomicWrite.ts';
import { solveInstance } from '../../src/runner/solveInstance.ts';
import { suiteSettings } from '../../src/runner/settings.ts';
import { ufmPlusCe } from '../../src/theory/ufmPlusCe.ts';

/**
 * Registers one vitest test per claim, against the shipped theory and the certified solver. The
 * budget comes from NCVERIFY_RUNS / NCVERIFY_SEED / NCVERIFY_BUDGET / NCVERIFY_PATH; a failure prints
 * the counterexample and the commands that replay it; a summary line (instances, optima, seconds,
 * worst error/tolerance per claim) is printed at the end. With `reportFile`, the outcomes are also
 * written there as a verify report (the nightly shards, joined by `ncverify report merge`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function registerClaims(label: string, claims: readonly Claim<any>[], reportFile?: string): void {
  const settings = suiteSettings(process.env);
  const ctx = claimContext(ufmPlusCe, solveInstance);
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
      lines.push(`  ${claim.id}: ${outcome.verdict}, ${outcome.runs} runs, ${outcome.seconds.toFixed(1)} s` + (w === null ? '' : `, largest error/tolerance ${w.ratio.toExponential(2)}`));
      const failure = outcome.failures[0];
      const message = failure === undefined ? '' : [
        `${claim.id} failed after ${outcome.runs} runs: ${failure.message}`,
        `counterexample: ${JSON.stringify(failure.counterexample)}`,
        `replay: ${replayCommand(claim.id, failure)}  (or NCVERIFY_SEED=${failure.seed} NCVERIFY_PATH=${failure.path} npx vitest run -t ${claim.id})`,
      ].join('\n');
      expect(outcome.failures, message).toEqual([]);
      expect(outcome.runs).toBeGreaterThan(0);
    });
  }
  afterAll(() => {
    if (reportFile !== undefined && outcomes.length > 0) {
      const seconds = (performance.now() - started) / 1000;
      const report = assembleReport(outcomes, [...ctx.solved.values()], { theory: ufmPlusCe, seed: settings.seed, scale: settings.scale, seconds });
      writeFileAtomic(reportFile, `${JSON.stringify(report, null, 2)}\n`);
    }
    const certified = [...ctx.solved.values()].filter((o) => o.certified).length;
    process.stdout.write(
      `\nncverify ${label}: ${instances} generated instances over ${claims.length} claims (seed ${settings.seed}, scale ${settings.scale}); ` +
        `${ctx.solved.size} UFM+ optima solved, ${certified} certified; ${((performance.now() - started) / 1000).toFixed(1)} s\n${lines.join('\n')}\n`,
    );
  });
}
