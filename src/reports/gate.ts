import { certificationOf } from './certification.ts';
import { MAX_INCONCLUSIVE_SHARE, tooInconclusive } from './verdict.ts';
import type { PropertyReport, SlowMetric, VerifyReport } from './verifyReport.ts';

/**
 * The tolerances of `ncverify gate`, each with its reason.
 *
 * - `certificationDrop` = 0: the certified fraction of the optima a certificate must cover
 *   (src/reports/certification.ts; THEORY.md §1b) may not drop
 *   at all. Certification is a yes/no proof of global optimality, deterministic for a seed, and its
 *   target is 100 %; one uncertified instance means a claim was checked against a point that may not
 *   be the optimum.
 * - `errorRatioFactor` = 2 and `errorRatioFloor` = 0.5: a property's largest error/tolerance ratio is
 *   a regression only when it grew more than ×2 AND now exceeds 0.5. Ratios far below 1 are
 *   rounding-level noise (e.g. 1e-12 vs 3e-12 relative error after an unrelated change of summation
 *   order) and must not fail CI, so the factor alone is not enough; a ratio above 0.5 has used more
 *   than half its tolerance, so doubling it again would fail the property: that is what the gate
 *   warns about before it happens. The property failing outright (ratio > 1) is caught by its verdict.
 */
export interface GateTolerances {
  readonly certificationDrop: number;
  readonly errorRatioFactor: number;
  readonly errorRatioFloor: number;
}

/** The tolerances documented on {@link GateTolerances}. */
export const DEFAULT_GATE_TOLERANCES: GateTolerances = { certificationDrop: 0, errorRatioFactor: 2, errorRatioFloor: 0.5 };

/**
 * One compared figure. `verdict`: `same`, `improved`, `changed` (within tolerance), `new`,
 * `not compared` (missing on one side where that is allowed), `known failure` (already failing in
 * the baseline) — or `regression`, the only verdict that fails the gate.
 */
export interface GateRow {
  readonly item: string;
  readonly before: string;
  readonly after: string;
  readonly verdict: 'same' | 'improved' | 'changed' | 'new' | 'not compared' | 'known failure' | 'regression';
  readonly note: string;
}

/** The gate's outcome: passes iff no row is a regression. */
export interface GateResult {
  readonly ok: boolean;
  readonly rows: readonly GateRow[];
  readonly regressions: readonly GateRow[];
  readonly tolerances: GateTolerances;
}

type Verdict = PropertyReport['verdict'];

function verdictRow(id: string, before: Verdict | undefined, after: Verdict | undefined): GateRow {
  const item = `property ${id}`;
  const row = (verdict: GateRow['verdict'], note: string): GateRow => ({ item, before: before ?? '—', after: after ?? '—', verdict, note });
  if (before === undefined) return after === 'fail' ? row('regression', 'a new property fails') : row('new', '');
  if (after === undefined) return before === 'fail' ? row('not compared', 'failing property removed') : row('regression', 'missing from the report');
  if (before === after) return row(after === 'fail' ? 'known failure' : 'same', after === 'fail' ? 'already failing in the baseline' : '');
  if (after === 'fail') return row('regression', 'now fails');
  if (after === 'inconclusive') return row('regression', 'no input could be decided');
  if (before === 'pass' && after === 'recorded') return row('regression', 'no longer asserted (recorded only)');
  return row(before === 'fail' ? 'improved' : 'changed', '');
}

/** A property's inconclusive share: a regression above the verdict policy's {@link MAX_INCONCLUSIVE_SHARE}. */
function inconclusiveRow(p: PropertyReport | undefined, q: PropertyReport): GateRow {
  const share = (x: PropertyReport | undefined): string => (x === undefined ? '—' : `${x.inconclusive ?? 0}/${x.runs}`);
  const row = (verdict: GateRow['verdict'], note: string): GateRow => ({ item: `${q.id} inconclusive inputs`, before: share(p), after: share(q), verdict, note });
  if (tooInconclusive({ runs: q.runs, inconclusive: q.inconclusive ?? 0 })) return row('regression', `more than ${MAX_INCONCLUSIVE_SHARE * 100} % of the inputs undecided`);
  return row((p?.inconclusive ?? 0) === (q.inconclusive ?? 0) ? 'same' : 'changed', 'within the policy');
}

function ratioRow(p: PropertyReport | undefined, q: PropertyReport | undefined, tol: GateTolerances): GateRow | null {
  const before = p?.largestError?.ratio;
  const after = q?.largestError?.ratio;
  if (before === undefined && after === undefined) return null;
  const item = `${(p ?? q)!.id} largest error/tolerance`;
  const fmt = (x: number | undefined): string => (x === undefined ? '—' : x.toExponential(3));
  const row = (verdict: GateRow['verdict'], note: string): GateRow => ({ item, before: fmt(before), after: fmt(after), verdict, note });
  if (before === undefined) return row(p === undefined ? 'new' : 'not compared', '');
  if (after === undefined) return row('not compared', 'no figure in the report');
  if (after > tol.errorRatioFactor * before && after > tol.errorRatioFloor) {
    return row('regression', `grew more than ×${tol.errorRatioFactor} and exceeds ${tol.errorRatioFloor}`);
  }
  if (after === before) return row('same', '');
  return row(after < before ? 'improved' : 'changed', after < before ? '' : 'within tolerance');
}

function certificationRow(baseline: VerifyReport, report: VerifyReport, tol: GateTolerances): GateRow {
  const { certified: c0, required: i0 } = certificationOf(baseline.solver);
  const { certified: c1, required: i1 } = certificationOf(report.solver);
  const pct = (c: number, i: number): string => (i === 0 ? '—' : `${((100 * c) / i).toFixed(2)}% (${c}/${i})`);
  const row = (verdict: GateRow['verdict'], note: string): GateRow => ({
    item: 'solver certification rate', before: pct(c0, i0), after: pct(c1, i1), verdict, note,
  });
  if (i0 === 0) return row('not compared', 'no instances in the baseline');
  if (i1 === 0) return row('regression', 'no solved instances in the report');
  // c1/i1 < c0/i0 − drop, in integers when drop = 0 (exact: counts are far below 2^26).
  const diff = c1 * i0 - c0 * i1;
  if (diff < -tol.certificationDrop * i0 * i1) return row('regression', `dropped (tolerance ${tol.certificationDrop})`);
  return row(diff === 0 ? 'same' : diff > 0 ? 'improved' : 'changed', diff < 0 ? 'within tolerance' : '');
}

function slowRows(baseline: VerifyReport, report: VerifyReport): GateRow[] {
  const before = baseline.slowSuite?.metrics ?? [];
  if (before.length === 0) return [];
  const after = new Map((report.slowSuite?.metrics ?? []).map((m) => [m.id, m]));
  return before.map((m: SlowMetric): GateRow => {
    const item = `slow suite ${m.id}`;
    const q = after.get(m.id);
    const row = (verdict: GateRow['verdict'], note: string): GateRow => ({
      item, before: String(m.value), after: q === undefined ? '—' : String(q.value), verdict, note,
    });
    if (report.slowSuite === undefined) return row('not compared', 'the slow suite did not run');
    if (q === undefined) return row('regression', 'missing from the slow suite');
    const worsening = m.better === 'lower' ? q.value - m.value : m.value - q.value;
    if (worsening > m.tolerance) return row('regression', `worse by ${worsening.toPrecision(3)} (tolerance ${m.tolerance}, ${m.better} is better)`);
    return row(worsening === 0 ? 'same' : worsening < 0 ? 'improved' : 'changed', worsening > 0 ? 'within tolerance' : '');
  });
}

function contextRows(baseline: VerifyReport, report: VerifyReport): GateRow[] {
  const pairs: [string, string, string][] = [
    ['theory', baseline.theory, report.theory],
    ['backend', baseline.backend, report.backend],
    ['budget', JSON.stringify(baseline.budget), JSON.stringify(report.budget)],
  ];
  return pairs
    .filter(([, b, a]) => b !== a)
    .map(([item, before, after]) => ({ item, before, after, verdict: 'changed', note: 'figures may not be comparable' }));
}

/**
 * Compares a verify report with a baseline (the CI gate). A regression is: a property that did not
 * fail in the baseline now fails, is inconclusive or is missing (or, having passed, is only recorded); a
 * new property that fails; a property with more inconclusive inputs than the verdict policy accepts
 * (src/reports/verdict.ts); the solver's certification rate dropping; a property's largest error/tolerance ratio
 * growing beyond the tolerances of {@link GateTolerances}; a slow-suite metric (when both reports have
 * the slow suite) worse than its stated tolerance or missing.
 *
 * @example
 * ```ts
 * const result = compareReports(readVerifyReport('baseline.json'), readVerifyReport('reports/verify.json'));
 * result.ok; // false when anything regressed; result.regressions lists what
 * ```
 */
export function compareReports(baseline: VerifyReport, report: VerifyReport, tolerances: GateTolerances = DEFAULT_GATE_TOLERANCES): GateResult {
  const before = new Map(baseline.properties.map((p) => [p.id, p]));
  const after = new Map(report.properties.map((p) => [p.id, p]));
  const ids = [...before.keys(), ...[...after.keys()].filter((id) => !before.has(id))];
  const rows: GateRow[] = [...contextRows(baseline, report), certificationRow(baseline, report, tolerances)];
  for (const id of ids) {
    const p = before.get(id);
    const q = after.get(id);
    rows.push(verdictRow(id, p?.verdict, q?.verdict));
    if (q !== undefined) rows.push(inconclusiveRow(p, q));
    const r = ratioRow(p, q, tolerances);
    if (r !== null) rows.push(r);
  }
  rows.push(...slowRows(baseline, report));
  const regressions = rows.filter((r) => r.verdict === 'regression');
  return { ok: regressions.length === 0, rows, regressions, tolerances };
}
