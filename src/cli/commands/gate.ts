import { parseFlags, requireFlag } from '../args.ts';
import { compareReports, DEFAULT_GATE_TOLERANCES, type GateRow } from '../../reports/gate.ts';
import { formatTable } from '../format/table.ts';
import { readVerifyReport } from '../../reports/validateReport.ts';
import { finiteJson } from '../json.ts';

const FLAGS = { baseline: 'string', report: 'string', json: 'boolean', all: 'boolean', help: 'boolean' } as const;

const HELP = `usage: ncverify gate --baseline BASELINE.json --report reports/verify.json [--json] [--all]
Compares a verify report with a baseline and fails (exit 1) on a regression:
  - a property that did not fail in the baseline now fails or is missing (or went from pass to recorded);
    a new property that fails;
  - the solver certification rate (certified/instances) dropped at all;
  - a property's largest error/tolerance ratio grew more than x${DEFAULT_GATE_TOLERANCES.errorRatioFactor} AND now exceeds ${DEFAULT_GATE_TOLERANCES.errorRatioFloor};
  - a slow-suite metric (when both reports have one) got worse than its stated tolerance, or is missing.
Prints what changed (--all: every compared figure); --json prints one object. Exit 0 when nothing
regressed, 1 on a regression, 2 when a report is unreadable or malformed.`;

function printTable(rows: readonly GateRow[]): void {
  const body = rows.map((r) => [r.item, r.before, r.after, r.verdict, r.note]);
  process.stdout.write(`${formatTable(['figure', 'before', 'after', 'verdict', 'note'], body, { align: ['left', 'right', 'right', 'left', 'left'] })}\n`);
}

/**
 * `ncverify gate`: the CI gate (src/reports/gate.ts) on two verify reports.
 *
 * @example
 * ```ts
 * await run(['--baseline', 'fixtures/gate/baseline.json', '--report', 'reports/verify.json']); // 0, 1 or throws InputError (2)
 * ```
 */
export async function run(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const baseline = readVerifyReport(requireFlag(flags, 'baseline'));
  const report = readVerifyReport(requireFlag(flags, 'report'));
  const result = compareReports(baseline, report);
  if (flags.json) {
    process.stdout.write(`${finiteJson(result)}\n`);
    return result.ok ? 0 : 1;
  }
  const shown = flags.all ? result.rows : result.rows.filter((r) => r.verdict !== 'same');
  if (shown.length > 0) printTable(shown);
  else process.stdout.write(`no change: ${result.rows.length} figures compared\n`);
  process.stdout.write(
    result.ok
      ? `gate passed: no regression (${result.rows.length} figures compared)\n`
      : `gate FAILED: ${result.regressions.length} regression(s): ${result.regressions.map((r) => r.item).join('; ')}\n`,
  );
  return result.ok ? 0 : 1;
}
