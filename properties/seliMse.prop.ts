/**
 * `npm test`: the SELI claims (properties/seli, THEORY.md §3) and the imbalanced-MSE claims
 * (properties/mse, THEORY.md §4), one vitest test per claim, run like properties/theorem.prop.ts
 * (NCVERIFY_SEED, NCVERIFY_RUNS, NCVERIFY_BUDGET, NCVERIFY_PATH). These claims solve their own
 * problems (plain UFM with CE or MSE, deep linear), so the UFM+ context is not used.
 */
import { afterAll, expect, test } from 'vitest';
import { SELI_MSE_CLAIMS } from './seliMseClaims.ts';
import { claimContext, claimRuns } from '../src/runner/suite.ts';
import { replayCommand, runClaim } from '../src/runner/runClaim.ts';
import { solveInstance } from '../src/runner/solveInstance.ts';
import { suiteSettings } from '../src/runner/settings.ts';
import { ufmPlusCe } from '../src/theory/ufmPlusCe.ts';

const settings = suiteSettings(process.env);
const ctx = claimContext(ufmPlusCe, solveInstance);
const started = performance.now();
const lines: string[] = [];

for (const claim of SELI_MSE_CLAIMS) {
  test(`${claim.id}: ${claim.title}`, () => {
    const outcome = runClaim(claim, ctx, { seed: settings.seed, numRuns: claimRuns(claim, settings.scale), budget: settings.budget, path: settings.path });
    const w = outcome.largestError;
    lines.push(`${claim.id}: ${outcome.verdict}, ${outcome.runs} runs, ${outcome.seconds.toFixed(1)} s` +
      (w === null ? '' : `, worst ${outcome.worst?.quantity ?? ''}: ${w.value.toExponential(2)} / ${w.tolerance.toExponential(2)} = ${w.ratio.toExponential(2)}`));
    const failure = outcome.failures[0];
    const message = failure === undefined ? '' : [
      `${claim.id} failed after ${outcome.runs} runs: ${failure.message}`,
      `counterexample: ${JSON.stringify(failure.counterexample)}`,
      `replay: NCVERIFY_SEED=${failure.seed} NCVERIFY_PATH=${failure.path} npx vitest run properties/seliMse.prop.ts -t ${claim.id}` +
        `  (${replayCommand(claim.id, failure)} once verify runs these claims)`,
    ].join('\n');
    expect(outcome.failures, message).toEqual([]);
    expect(outcome.runs).toBeGreaterThan(0);
  });
}

afterAll(() => {
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`\nncverify SELI/MSE: ${SELI_MSE_CLAIMS.length} claims (seed ${settings.seed}, scale ${settings.scale}); ${seconds.toFixed(1)} s\n${lines.join('\n')}\n`);
});
