/**
 * `npm test`: every claim of properties/index.ts against the shipped UFM+ theory, on instances
 * solved and certified by the solver. The budget scales with NCVERIFY_RUNS (a multiplier, default 1)
 * and the seed with NCVERIFY_SEED; a failure prints the seed, the path and the command that replay it.
 */
import { afterAll, expect, test } from 'vitest';
import { CLAIMS } from './index.ts';
import { claimContext, claimRuns } from '../src/runner/suite.ts';
import { replayCommand, runClaim } from '../src/runner/runClaim.ts';
import { solveInstance } from '../src/runner/solveInstance.ts';
import { suiteSettings } from '../src/runner/settings.ts';
import { ufmPlusCe } from '../src/theory/ufmPlusCe.ts';

const settings = suiteSettings(process.env);
const ctx = claimContext(ufmPlusCe, solveInstance);
const started = performance.now();
let instances = 0;

for (const claim of CLAIMS) {
  test(`${claim.id}: ${claim.title}`, () => {
    const outcome = runClaim(claim, ctx, { seed: settings.seed, numRuns: claimRuns(claim, settings.scale), budget: settings.budget, path: settings.path });
    instances += outcome.runs;
    const failure = outcome.failures[0];
    const message = failure === undefined ? '' : [
      `${claim.id} failed after ${outcome.runs} runs: ${failure.message}`,
      `counterexample: ${JSON.stringify(failure.counterexample)}`,
      `replay: ${replayCommand(claim.id, failure)}  (or NCVERIFY_SEED=${failure.seed} NCVERIFY_PATH=${failure.path} npm test)`,
    ].join('\n');
    expect(outcome.failures, message).toEqual([]);
    expect(outcome.runs).toBeGreaterThan(0);
  });
}

afterAll(() => {
  const seconds = (performance.now() - started) / 1000;
  const solved = ctx.solved.size;
  const certified = [...ctx.solved.values()].filter((o) => o.certified).length;
  process.stdout.write(
    `\nncverify: ${instances} generated instances over ${CLAIMS.length} claims (seed ${settings.seed}, scale ${settings.scale}); ` +
      `${solved} distinct optima solved, ${certified} certified; ${seconds.toFixed(1)} s\n`,
  );
});
