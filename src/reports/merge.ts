import { InputError } from '../errors.ts';
import type { FamilyCounts, VerifyReport } from './verifyReport.ts';

/** A report and the file it came from (for error messages). */
export interface ReportShard {
  readonly file: string;
  readonly report: VerifyReport;
}

function checkCompatible(first: ReportShard, shard: ReportShard): void {
  const fields: [string, unknown, unknown][] = [
    ['theory', first.report.theory, shard.report.theory],
    ['backend', first.report.backend, shard.report.backend],
    ['budget', JSON.stringify(first.report.budget), JSON.stringify(shard.report.budget)],
  ];
  for (const [name, a, b] of fields) {
    if (a !== b) throw new InputError(shard.file, `must have the same ${name} as ${first.file} to be merged`, `${String(b)} vs ${String(a)}`);
  }
}

function checkDisjoint(shards: readonly ReportShard[]): void {
  const owner = new Map<string, string>();
  for (const { file, report } of shards) {
    for (const p of report.properties) {
      const other = owner.get(p.id);
      if (other !== undefined) {
        throw new InputError(file, `shares property '${p.id}' with ${other}: shards must split the properties between them`);
      }
      owner.set(p.id, file);
    }
  }
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** The shards' per-family solver counts, summed family by family (absent when no shard has them). */
function mergedFamilies(reports: readonly VerifyReport[]): { families?: Record<string, FamilyCounts> } {
  if (reports.every((r) => r.solver.families === undefined)) return {};
  const out: Record<string, FamilyCounts> = {};
  for (const r of reports) {
    for (const [f, c] of Object.entries(r.solver.families ?? {})) {
      const a = out[f];
      out[f] = a === undefined ? c : {
        instances: a.instances + c.instances, certified: a.certified + c.certified, outsideAssumptions: a.outsideAssumptions + c.outsideAssumptions,
        certifiedInside: a.certifiedInside + c.certifiedInside, certifiable: a.certifiable, escapes: a.escapes + c.escapes, restarts: a.restarts + c.restarts,
      };
    }
  }
  return { families: out };
}

/**
 * Joins the reports of a sharded `ncverify verify` run (shards split the properties between them,
 * same theory, backend and budget) into one report. Properties, solver landscape rows and samples
 * are concatenated in shard order; the summary counts (properties, passed, failed, inconclusive,
 * instances) and the solver counts (instances, certified, escapes, restarts, per family) are summed, so the summary equals an
 * unsharded run's. An optimum solved in two shards (two properties on the same instance) was
 * solved twice and counts twice in the solver counts, which an unsharded run, reusing the optimum,
 * counts once. `timings.seconds` is the sum of the shards' times (machine time, not wall time).
 * At most one shard may carry the slow suite's metrics.
 *
 * @example
 * ```ts
 * const merged = mergeReports([{ file: 'a.json', report: a }, { file: 'b.json', report: b }]);
 * merged.summary.properties === a.summary.properties + b.summary.properties; // true
 * ```
 */
export function mergeReports(shards: readonly ReportShard[]): VerifyReport {
  if (shards.length === 0) throw new InputError('reports', 'at least one report is needed');
  const [first] = shards;
  shards.forEach((s) => checkCompatible(first, s));
  checkDisjoint(shards);
  const reports = shards.map((s) => s.report);
  const slow = shards.filter((s) => s.report.slowSuite !== undefined);
  if (slow.length > 1) throw new InputError(slow[1].file, `carries slow-suite metrics, as does ${slow[0].file}: only one shard may`);
  const merged: VerifyReport = {
    tool: 'ncverify',
    schemaVersion: 1,
    theory: first.report.theory,
    backend: first.report.backend,
    budget: first.report.budget,
    properties: reports.flatMap((r) => r.properties),
    solver: {
      instances: sum(reports.map((r) => r.solver.instances)),
      certified: sum(reports.map((r) => r.solver.certified)),
      escapes: sum(reports.map((r) => r.solver.escapes)),
      restarts: sum(reports.map((r) => r.solver.restarts)),
      ...mergedFamilies(reports),
      ...(reports.some((r) => r.solver.retried !== undefined) ? { retried: sum(reports.map((r) => r.solver.retried ?? 0)) } : {}),
      landscape: reports.flatMap((r) => r.solver.landscape),
    },
    samples: reports.flatMap((r) => r.samples),
    summary: {
      properties: sum(reports.map((r) => r.summary.properties)),
      passed: sum(reports.map((r) => r.summary.passed)),
      failed: sum(reports.map((r) => r.summary.failed)),
      instances: sum(reports.map((r) => r.summary.instances)),
      ...(reports.some((r) => r.summary.inconclusive !== undefined) ? {
        inconclusiveClaims: sum(reports.map((r) => r.summary.inconclusiveClaims ?? 0)),
        inconclusive: sum(reports.map((r) => r.summary.inconclusive ?? 0)),
      } : {}),
    },
    timings: {
      seconds: sum(reports.map((r) => r.timings.seconds)),
      perProperty: Object.assign({}, ...reports.map((r) => r.timings.perProperty)) as Record<string, number>,
    },
  };
  return slow.length === 1 ? { ...merged, slowSuite: slow[0].report.slowSuite } : merged;
}
