import { join } from 'node:path';
import { parseFlags } from '../args.ts';
import { runFlags } from '../runFlags.ts';
import { finiteJson } from '../json.ts';
import { InputError } from '../../errors.ts';
import { writeFileAtomic } from '../../io/atomicWrite.ts';
import { loadTheory } from '../../runner/loadTheory.ts';
import { claimRuns, runSuite } from '../../runner/suite.ts';
import { optimaFor, solveBackend } from '../../optima/backend.ts';
import { replayCommand } from '../../reports/replay.ts';
import { MAX_INCONCLUSIVE_SHARE, tooInconclusive } from '../../reports/verdict.ts';
import type { PropertyReport, VerifyReport } from '../../reports/verifyReport.ts';
import { CLAIMS, UFM_PLUS_CLAIMS } from '#claims';

const FLAGS = {
  theory: 'string', seed: 'string', runs: 'string', budget: 'string', claim: 'string', path: 'string',
  out: 'string', json: 'boolean', help: 'boolean', backend: 'string',
} as const;

const HELP = `usage: ncverify verify [--theory ufm-plus-ce|FILE.ts] [--seed S] [--runs SCALE] [--budget small|large]
                       [--claim ID] [--path P] [--out reports/verify.json] [--json]
                       [--backend cpu-float64|webgpu|tensorflow|wasm|cpu|auto]
Runs the theorem claims (properties/) on generated instances solved and certified by the solver and
writes a JSON report: the UFM+ claims (Dang et al. 2024), SELI's (Thrampoulidis et al. 2022) and the
imbalanced-MSE ones (Dang et al. 2023, Liu 2024). With --theory FILE, a module exporting
{ name, predict(instance) } (the shape of src/theory/types.ts) is checked against the UFM+ claims that
read a prediction, instead of the shipped closed form. --claim and --path replay one
failure. --backend (or NCVERIFY_BACKEND) runs a float32 tfjs stage on the UFM+ instances first, in
batches, and the float64 solver from its answers; the float64 certificate decides every verdict (auto:
a tfjs stage only when a GPU backend loads). An input the certificate cannot decide is inconclusive (counted, never a pass or a fail).
Exit 0 when every claim holds, 1 when one fails or has more than ${MAX_INCONCLUSIVE_SHARE * 100} % inconclusive
inputs, 2 for usage errors.
Claims: ${CLAIMS.map((c) => c.id).join(', ')}`;

/** `ncverify verify`: the main job. */
export async function run(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const { seed, scale, budget } = runFlags(flags);
  if (typeof flags.path === 'string' && !/^\d+(:\d+)*$/.test(flags.path)) {
    throw new InputError('--path', 'must be a replay path printed by a failure, numbers joined by colons (e.g. 59:2:1:2)', `got '${flags.path}'`);
  }
  const claims = typeof flags.claim === 'string' ? CLAIMS.filter((c) => c.id === flags.claim) : CLAIMS;
  if (claims.length === 0) throw new InputError('--claim', `must be one of ${CLAIMS.map((c) => c.id).join(', ')}`, `got '${flags.claim}'`);
  const theorySpec = typeof flags.theory === 'string' ? flags.theory : 'ufm-plus-ce';
  const theory = await loadTheory(theorySpec);
  const custom = theorySpec !== 'ufm-plus-ce';
  const selected = custom ? claims.filter((c) => c.usesTheory && UFM_PLUS_CLAIMS.includes(c)) : claims;
  const out = typeof flags.out === 'string' ? flags.out : 'reports/verify.json';
  const quiet = flags.json === true;
  const log = (line: string): void => {
    if (!quiet) process.stderr.write(`${line}\n`);
  };
  const backend = solveBackend(typeof flags.backend === 'string' ? flags.backend : undefined);
  if (backend !== 'cpu-float64') log(`ncverify verify: loading ${backend} for the float32 warm-start stage…`);
  const optima = await optimaFor(backend, selected, { budget, seed, runs: (c) => claimRuns(c, scale), onProgress: (done, total) => log(`  float32 stage: ${done}/${total} instances`) });
  const stage = optima.warmStarts;
  log(`ncverify verify: theory ${theory.name}, ${selected.length} claims, seed ${seed}, scale ${scale}, budget ${budget}, backend ` +
    (stage === null ? 'cpu-float64' : `${stage.backend} on ${stage.adapter} (float32 stage: ${stage.instances} instances in ${stage.seconds.toFixed(1)} s), then float64`));
  const replay = { budget, scale, theory: theorySpec } as const;
  const report = runSuite(selected, {
    theory, theoryLabel: custom ? theorySpec : theory.name, seed, scale, budget, optima,
    ...(typeof flags.path === 'string' ? { path: flags.path } : {}),
    onClaim: (o, i, total) => {
      const undecided = o.inconclusive ? `  ${o.inconclusive} inconclusive` : '';
      log(`[${i + 1}/${total}] ${o.verdict.toUpperCase().padEnd(12)} ${o.id.padEnd(32)} ${String(o.runs).padStart(5)} runs  ${o.seconds.toFixed(1)} s${errorNote(o)}${undecided}`);
      for (const f of o.failures) {
        log(`    ${f.message}`);
        log(`    counterexample: ${JSON.stringify(f.counterexample)}`);
        log(`    replay: ${replayCommand(o.id, f, replay)}`);
      }
      for (const e of o.inconclusiveExamples ?? []) log(`    inconclusive: ${JSON.stringify(e.input)}: ${e.reason}`);
    },
  });
  writeFileAtomic(out, `${finiteJson(report, 2)}\n`);
  keepFailures(report);
  if (quiet) process.stdout.write(`${finiteJson(report)}\n`);
  log(summaryLine(report, out));
  return rejected(report).length > 0 ? 1 : 0;
}

/** The claims that make the run fail: a failure, or more inconclusive inputs than the policy accepts. */
function rejected(r: VerifyReport): string[] {
  return r.properties.filter((p) => p.verdict === 'fail' || tooInconclusive({ runs: p.runs, inconclusive: p.inconclusive ?? 0 })).map((p) => p.id);
}

/** "largest error/tolerance X", or the error itself where the tolerance is 0 (the ratio would be infinite). */
function errorNote(p: PropertyReport): string {
  const e = p.largestError;
  if (e === null) return '';
  return e.tolerance === 0 ? `  largest error ${e.value.toExponential(2)} (tolerance 0)` : `  largest error/tolerance ${e.ratio.toExponential(2)}`;
}

/** Writes each failure to reports/counterexamples/ (fixtures/counterexamples/README.md says what next). */
function keepFailures(report: VerifyReport): void {
  for (const p of report.properties) {
    p.failures.forEach((f, i) => {
      const file = join('reports', 'counterexamples', `${p.id}-${f.seed}-${i}.json`);
      const kept = { claim: p.id, input: f.counterexample, seed: f.seed, path: f.path, theory: report.theory, message: f.message, expect: 'pass', explanation: 'UNEXPLAINED: investigate whether the solver, the formula, the tolerance or the theorem is wrong' };
      writeFileAtomic(file, `${finiteJson(kept, 2)}\n`);
      process.stderr.write(`    kept: ${file}\n`);
    });
  }
}

function summaryLine(r: VerifyReport, out: string): string {
  const failed = rejected(r);
  const families = Object.entries(r.solver.families ?? {})
    .map(([f, c]) => `${f} ${c.instances}${c.certifiable ? ` (${c.certified} certified${c.outsideAssumptions ? `, ${c.outsideAssumptions} outside the assumptions` : ''})` : ' (no certificate exists)'}`)
    .join('; ');
  return [
    `${r.summary.passed}/${r.summary.properties} claims hold on ${r.summary.instances} generated instances, ${r.summary.inconclusive ?? 0} inconclusive ` +
      `(${r.solver.instances} optima solved, ${r.solver.certified} certified, ${r.solver.escapes} escapes, ${r.solver.restarts} restarts) in ${r.timings.seconds.toFixed(1)} s.`,
    `Optima by family: ${families}; routes: ${Object.entries(r.solver.routes ?? {}).map(([k, n]) => `${k} ${n}`).join(', ')}; ${r.solver.retried ?? 0} solved again on the retry settings; backend ${r.backend} (${r.adapter ?? 'cpu'}).`,
    failed.length > 0 ? `FAILED claims: ${failed.join(', ')}` : 'Every claim holds.',
    `Report: ${out}`,
  ].join('\n');
}
