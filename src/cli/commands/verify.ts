import { join } from 'node:path';
import { parseFlags, parseInteger, parseNumber } from '../args.ts';
import { finiteJson } from '../json.ts';
import { InputError } from '../../errors.ts';
import { writeFileAtomic } from '../../io/atomicWrite.ts';
import { loadTheory } from '../../runner/loadTheory.ts';
import { replayCommand } from '../../runner/runClaim.ts';
import { runSuite } from '../../runner/suite.ts';
import { MAX_SCALE, suiteSettings } from '../../runner/settings.ts';
import { solveInstance } from '../../runner/solveInstance.ts';
import type { VerifyReport } from '../../reports/verifyReport.ts';
import { CLAIMS, UFM_PLUS_CLAIMS } from '../../../properties/index.ts';

const FLAGS = {
  theory: 'string', seed: 'string', runs: 'string', budget: 'string', claim: 'string', path: 'string',
  out: 'string', json: 'boolean', help: 'boolean',
} as const;

const HELP = `usage: ncverify verify [--theory ufm-plus-ce|FILE.ts] [--seed S] [--runs SCALE] [--budget small|large]
                       [--claim ID] [--path P] [--out reports/verify.json] [--json]
Runs the theorem claims (properties/) on generated instances solved and certified by the solver and
writes a JSON report: the UFM+ claims (Dang et al. 2024), SELI's (Thrampoulidis et al. 2022) and the
imbalanced-MSE ones (Dang et al. 2023, Liu 2024). With --theory FILE, a module exporting
{ name, predict(instance) } (the shape of src/theory/types.ts) is checked against the UFM+ claims that
read a prediction, instead of the shipped closed form. --claim and --path replay one
failure. Exit 0 when every claim holds, 1 when one fails, 2 for usage errors.
Claims: ${CLAIMS.map((c) => c.id).join(', ')}`;

/** `ncverify verify`: the main job. */
export async function run(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const env = suiteSettings(process.env);
  const seed = typeof flags.seed === 'string' ? parseInteger(flags.seed, '--seed') : env.seed;
  const scale = typeof flags.runs === 'string' ? parseNumber(flags.runs, '--runs') : env.scale;
  if (!(scale > 0 && scale <= MAX_SCALE)) throw new InputError('--runs', `must be in (0, ${MAX_SCALE}] (a multiplier of the default number of runs)`, `got ${scale}`);
  const budget = typeof flags.budget === 'string' ? flags.budget : env.budget;
  if (budget !== 'small' && budget !== 'large') throw new InputError('--budget', "must be 'small' or 'large'", `got '${budget}'`);
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
  log(`ncverify verify: theory ${theory.name}, ${selected.length} claims, seed ${seed}, scale ${scale}, budget ${budget}, backend cpu-float64`);
  const report = runSuite(selected, {
    theory, theoryLabel: custom ? theorySpec : theory.name, seed, scale, budget, solve: solveInstance,
    ...(typeof flags.path === 'string' ? { path: flags.path } : {}),
    onClaim: (o, i, total) => {
      const err = o.largestError === null ? '' : `  largest error/tolerance ${o.largestError.ratio.toExponential(2)}`;
      log(`[${i + 1}/${total}] ${o.verdict.toUpperCase().padEnd(8)} ${o.id.padEnd(32)} ${String(o.runs).padStart(5)} runs  ${o.seconds.toFixed(1)} s${err}`);
      for (const f of o.failures) {
        log(`    ${f.message}`);
        log(`    counterexample: ${JSON.stringify(f.counterexample)}`);
        log(`    replay: ${replayCommand(o.id, f)}${custom ? ` --theory ${theorySpec}` : ''}`);
      }
    },
  });
  writeFileAtomic(out, `${finiteJson(report, 2)}\n`);
  keepFailures(report);
  if (quiet) process.stdout.write(`${finiteJson(report)}\n`);
  log(summaryLine(report, out));
  return report.summary.failed > 0 ? 1 : 0;
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
  const failed = r.properties.filter((p) => p.verdict === 'fail').map((p) => p.id);
  return [
    `${r.summary.passed}/${r.summary.properties} claims hold on ${r.summary.instances} generated instances ` +
      `(${r.solver.instances} optima solved, ${r.solver.certified} certified, ${r.solver.escapes} escapes, ${r.solver.restarts} restarts) in ${r.timings.seconds.toFixed(1)} s.`,
    failed.length > 0 ? `FAILED claims: ${failed.join(', ')}` : 'Every claim holds.',
    `Report: ${out}`,
  ].join('\n');
}
