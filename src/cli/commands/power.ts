import { parseFlags } from '../args.ts';
import { runFlags } from '../runFlags.ts';
import { finiteJson } from '../json.ts';
import { writeFileAtomic } from '../../io/atomicWrite.ts';
import { powerScan, resolutionMarkdown } from '../../power/scan.ts';
import { ufmPlusCe } from '../../theory/ufmPlusCe.ts';
import { UFM_PLUS_CLAIMS } from '#claims';

const FLAGS = { seed: 'string', runs: 'string', budget: 'string', out: 'string', markdown: 'string', help: 'boolean' } as const;

const HELP = `usage: ncverify power [--seed S] [--runs SCALE] [--budget small|large] [--out reports/power.json] [--markdown FILE.md]
Measures the suite's resolution: perturbs the shipped UFM+ theory by a relative ε in one predicted
quantity at a time (threshold, margins, norms, Grams, alignment constant, f*; src/power/perturbations.ts),
runs every claim that reads a prediction on the same generated instances (solved once), and finds for
each claim the smallest ε in 1e-2 … 1e-12 it detects. Writes a JSON report and prints the table.
Exit 0, or 2 for usage errors.`;

/** `ncverify power`: the resolution table (docs/resolution.md). */
export async function run(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const { seed, scale, budget } = runFlags(flags);
  const out = typeof flags.out === 'string' ? flags.out : 'reports/power.json';
  const claims = UFM_PLUS_CLAIMS.filter((c) => c.usesTheory);
  process.stderr.write(`ncverify power: ${claims.length} claims, seed ${seed}, scale ${scale}, budget ${budget}\n`);
  const report = powerScan(claims, ufmPlusCe, {
    seed, scale, budget,
    onRun: (d, eps, by) => process.stderr.write(`  ${d.quantity} ${d.sign > 0 ? '+' : '−'}${eps.toExponential(0)}: ${by.length === 0 ? 'not detected' : by.join(', ')}\n`),
  });
  writeFileAtomic(out, `${finiteJson(report, 2)}\n`);
  const table = resolutionMarkdown(report);
  if (typeof flags.markdown === 'string') writeFileAtomic(flags.markdown, `${table}\n`);
  process.stdout.write(`${table}\n\n${report.failingUnperturbed.length > 0 ? `claims failing on the unperturbed theory: ${report.failingUnperturbed.join(', ')}\n` : ''}Report: ${out} (${report.seconds.toFixed(0)} s)\n`);
  return 0;
}
