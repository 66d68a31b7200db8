import { replayCommand } from './replay.ts';
import { type ChartRenderer, loadChartRenderer, landscapeSpec, MAX_PLOTTED_POINTS, predictedMeasuredSpec, thin } from './charts.ts';
import { landscapeCells } from './landscape.ts';
import { certificationOf } from './certification.ts';
import type { FailureReport, PropertyReport, Sample, VerifyReport } from './verifyReport.ts';

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 75rem; color: #222; line-height: 1.4; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #176f2c; font-weight: 600; } .fail { color: #b00020; font-weight: 600; } .recorded { color: #7a5b00; font-weight: 600; } .inconclusive { color: #5b4a9e; font-weight: 600; }
.bar { display: inline-block; height: 0.6rem; background: #1f77b4; vertical-align: middle; }
.bar.over { background: #b00020; }
pre { background: #f6f6f6; padding: 0.5rem; overflow-x: auto; font-size: 0.85rem; }
figure { display: inline-block; margin: 0 1.5rem 1.5rem 0; vertical-align: top; }
figcaption { font-size: 0.85rem; color: #555; max-width: 32rem; }
.no-plot { color: #7a5b00; }
`;

const num = (x: number, digits = 3): string => (Number.isInteger(x) ? String(x) : x.toPrecision(digits));

/** A table; `header` null for a key/value table. Cells are HTML (escaped by the caller). */
function table(header: readonly string[] | null, rows: readonly (readonly string[])[], numeric: readonly boolean[] = []): string {
  const head = header === null ? '' : `<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>\n`;
  const body = rows.map((r) => `<tr>${r.map((c, j) => `<td${numeric[j] ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n${head}<tbody>\n${body}\n</tbody>\n</table>`;
}

function header(r: VerifyReport): string {
  const { certified, required } = certificationOf(r.solver);
  const rate = required === 0 ? '—' : `${((100 * certified) / required).toFixed(2)} %`;
  const rows = [
    ['theory', escapeHtml(r.theory)],
    ['backend', escapeHtml(r.backend)],
    ['seed · runs per property · scale', `${r.budget.seed} · ${r.budget.runsPerProperty} · ${r.budget.scale}`],
    ['properties', `${r.summary.properties}: <span class="pass">${r.summary.passed} passed</span>, <span class="fail">${r.summary.failed} failed</span>, <span class="inconclusive">${r.summary.inconclusiveClaims ?? 0} inconclusive</span>`],
    ['generated instances · inconclusive', `${r.summary.instances} · ${r.summary.inconclusive ?? 0}`],
    ['solved optima · certified', `${r.solver.instances} · ${r.solver.certified}; ${certified} of the ${required} a certificate must cover (${rate})`],
    ...Object.entries(r.solver.families ?? {}).map(([f, c]) => [
      `· ${f}`,
      `${c.instances} solved, ${c.certifiable ? `${c.certified} certified` : 'no certificate exists'}${c.outsideAssumptions ? `, ${c.outsideAssumptions} outside the assumptions (recorded)` : ''}, ${c.escapes} escapes, ${c.restarts} restarts`,
    ]),
    ['escapes · restarts', `${r.solver.escapes} · ${r.solver.restarts}`],
    ['wall-clock time', `${r.timings.seconds.toFixed(1)} s`],
  ];
  const verdict = r.summary.failed === 0 ? `<p class="pass">Every property holds${r.summary.inconclusive ? ` (${r.summary.inconclusive} inputs inconclusive)` : ''}.</p>` : `<p class="fail">${r.summary.failed} propert${r.summary.failed === 1 ? 'y fails' : 'ies fail'}.</p>`;
  return `<h1>ncverify verify report</h1>\n${verdict}\n${table(null, rows.map(([a, b]) => [escapeHtml(a), b]))}`;
}

function errorCell(p: PropertyReport): string[] {
  const e = p.largestError;
  if (e === null) return ['—', '—', '—'];
  if (e.tolerance === 0) return [escapeHtml(e.value.toExponential(2)), '0', e.value === 0 ? '0' : '<span class="fail">∞ (tolerance 0: a disagreement)</span>'];
  const width = Math.min(100, Math.max(0, e.ratio * 100)).toFixed(0);
  const bar = `<span class="bar${e.ratio > 1 ? ' over' : ''}" style="width: ${width}px"></span>`;
  return [escapeHtml(e.value.toExponential(2)), escapeHtml(e.tolerance.toExponential(2)), `${bar} ${escapeHtml(e.ratio.toExponential(2))}`];
}

function propertiesSection(r: VerifyReport): string {
  const rows = r.properties.map((p) => [
    `<a id="p-${escapeHtml(p.id)}"></a><b>${escapeHtml(p.id)}</b><br/>${escapeHtml(p.title)}`,
    escapeHtml(p.source),
    `<span class="${p.verdict}">${p.verdict}</span>`,
    String(p.runs),
    String(p.passes),
    String(p.inconclusive ?? 0),
    ...errorCell(p),
    r.timings.perProperty[p.id] === undefined ? '—' : `${r.timings.perProperty[p.id].toFixed(1)} s`,
  ]);
  const head = ['property', 'source', 'verdict', 'runs', 'passes', 'inconclusive', 'largest error', 'tolerance', 'error / tolerance', 'time'];
  return `<h2>Properties</h2>\n${table(head, rows, [false, false, false, true, true, true, true, true, false, true])}${inconclusiveList(r)}`;
}

/** The inconclusive inputs the report shows, with why the bounds could not decide them. */
function inconclusiveList(r: VerifyReport): string {
  const items = r.properties.flatMap((p) => (p.inconclusiveExamples ?? []).map((e) => `<li><b>${escapeHtml(p.id)}</b>: <code>${escapeHtml(JSON.stringify(e.input))}</code> — ${escapeHtml(e.reason)}</li>`));
  return items.length === 0 ? '' : `\n<h3>Inconclusive inputs (first of each claim)</h3>\n<ul>\n${items.join('\n')}\n</ul>`;
}

/** The command that replays one failure, with every setting of the run that changes the case. */
export function failureReplay(r: VerifyReport, p: PropertyReport, f: FailureReport): string {
  return replayCommand(p.id, f, { budget: r.budget.size, scale: r.budget.scale, theory: r.theory });
}

function failuresSection(r: VerifyReport): string {
  const failing = r.properties.filter((p) => p.failures.length > 0);
  if (failing.length === 0) return '<h2>Failures</h2>\n<p>None.</p>';
  const blocks = failing.flatMap((p) =>
    p.failures.map((f) => {
      let ce = JSON.stringify(f.counterexample, null, 1) ?? 'undefined';
      if (ce.length > 4000) ce = `${ce.slice(0, 4000)}\n… (${ce.length} characters, cut)`;
      return [
        `<h3>${escapeHtml(p.id)} — seed ${f.seed}, path ${escapeHtml(f.path)}</h3>`,
        `<p>${escapeHtml(f.message)}</p>`,
        `<p>Replay:</p>\n<pre><code>${escapeHtml(failureReplay(r, p, f))}</code></pre>`,
        `<p>Counterexample:</p>\n<pre>${escapeHtml(ce)}</pre>`,
      ].join('\n');
    }),
  );
  return `<h2>Failures</h2>\n${blocks.join('\n')}`;
}

function figure(svg: string | null, caption: string): string {
  const body = svg ?? '<p class="no-plot">Plot unavailable: the packages vega and vega-lite are not installed; the numbers are in the table.</p>';
  return `<figure>\n${body}\n<figcaption>${caption}</figcaption>\n</figure>`;
}

const QUANTITIES: readonly Sample['quantity'][] = ['featureNorm', 'classifierNorm', 'margin', 'classifierCosine'];

/**
 * The largest absolute deviation; the largest relative one over pairs predicted non-zero; and, for pairs
 * predicted exactly 0 (a collapsed class), the largest measured value — absolute, since a relative
 * deviation from 0 is undefined. '—' where a group is empty: never Infinity or NaN.
 */
function deviations(s: readonly Sample[]): [string, string, string] {
  const abs = (x: Sample): number => Math.abs(x.measured - x.predicted);
  const nonZero = s.filter((x) => x.predicted !== 0);
  const zero = s.filter((x) => x.predicted === 0);
  const max = (xs: number[]): string => (xs.length === 0 ? '—' : num(Math.max(...xs)));
  return [max(s.map(abs)), max(nonZero.map((x) => abs(x) / Math.abs(x.predicted))), max(zero.map((x) => Math.abs(x.measured)))];
}

async function samplesSection(r: VerifyReport, charts: ChartRenderer | null): Promise<string> {
  const parts: string[] = [];
  const rows: string[][] = [];
  for (const q of QUANTITIES) {
    const s = r.samples.filter((x) => x.quantity === q);
    if (s.length === 0) continue;
    rows.push([q, String(s.length), ...deviations(s)]);
    const svg = charts === null ? null : await charts.toSvg(predictedMeasuredSpec(q, s));
    const shown = thin(s, MAX_PLOTTED_POINTS).length;
    parts.push(figure(svg, `${escapeHtml(q)}: ${shown} of ${s.length} predicted/measured pairs shown; the dashed line is measured = predicted.`));
  }
  if (rows.length === 0) return '<h2>Predicted against measured</h2>\n<p>No samples in this report.</p>';
  const summary = table(['quantity', 'pairs', 'max |measured − predicted|', 'max relative deviation (predicted ≠ 0)', 'max |measured| (predicted = 0, absolute)'], rows, [false, true, true, true, true]);
  return `<h2>Predicted against measured</h2>\n${parts.join('\n')}\n${summary}`;
}

async function landscapeSection(r: VerifyReport, charts: ChartRenderer | null): Promise<string> {
  const cells = landscapeCells(r.solver);
  if (cells.length === 0) return '<h2>Solver landscape</h2>\n<p>No solved instances in this report.</p>';
  const svg = charts === null ? null : await charts.toSvg(landscapeSpec(cells));
  const caption = 'UFM+ optima: share of solved instances that needed at least one escape (left) or restart (right), by imbalance ratio and by feature dimension d relative to K (THEORY.md §2: d = K leaves no free coordinate to escape on).';
  const rows = cells.map((c) => [
    escapeHtml(c.ratioBin), escapeHtml(c.dimensionGroup), String(c.instances),
    `${(100 * c.shareWithEscapes).toFixed(0)} %`, num(c.meanEscapes), `${(100 * c.shareWithRestarts).toFixed(0)} %`, num(c.meanRestarts),
    `${(100 * c.shareCertified).toFixed(0)} %`,
  ]);
  const head = ['imbalance ratio', 'dimension', 'instances', 'needed escape', 'mean escapes', 'needed restart', 'mean restarts', 'certified'];
  return `<h2>Solver landscape</h2>\n${figure(svg, caption)}\n${table(head, rows, [false, false, true, true, true, true, true, true])}`;
}

function slowSection(r: VerifyReport): string {
  if (r.slowSuite === undefined) return '';
  const rows = r.slowSuite.metrics.map((m) => [escapeHtml(m.id), num(m.value, 4), `${m.better} is better`, num(m.tolerance)]);
  return `<h2>Slow suite</h2>\n${table(['metric', 'value', 'direction', 'gate tolerance'], rows, [false, true, false, true])}`;
}

/** Options of {@link renderHtml}. */
export interface HtmlOptions {
  /** The chart renderer; default: Vega + Vega-Lite when installed. `null`: tables only. */
  readonly charts?: ChartRenderer | null;
}

/**
 * One self-contained HTML page from a verify report: the summary, per property the verdict, runs,
 * largest error against tolerance and time; every failure with its seed, path, message,
 * counterexample and the command that replays it; plots (static inline SVG rendered by Vega-Lite,
 * no scripts, no network) of measured against predicted values and of how often the solver needed
 * escapes or restarts by imbalance ratio and d, each with its numbers in a table. The markup is
 * well-formed XML (every element closed, all text escaped).
 *
 * @example
 * ```ts
 * writeFileAtomic('reports/verify.html', await renderHtml(readVerifyReport('reports/verify.json')));
 * ```
 */
export async function renderHtml(report: VerifyReport, options: HtmlOptions = {}): Promise<string> {
  const charts = options.charts === undefined ? await loadChartRenderer() : options.charts;
  const sections = [
    header(report),
    propertiesSection(report),
    failuresSection(report),
    await samplesSection(report, charts),
    await landscapeSection(report, charts),
    slowSection(report),
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8"/>',
    `<title>ncverify report — ${escapeHtml(report.theory)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...sections.filter((s) => s !== ''),
    `<footer><p>Generated by ncverify from a schema-${report.schemaVersion} verify report.</p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
