import type { EpochRecord } from './runLog.ts';

/** Metrics drawn on a log scale (they fall by orders of magnitude). */
const LOG_SCALE = new Set(['nc1', 'objective', 'crossEntropy', 'totalObjective']);
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const W = 420;
const H = 240;
const M = { l: 56, r: 12, t: 24, b: 30 };

/** Metrics that are lists of class indices: drawn as their length (how many classes). */
const INDEX_LISTS = new Set(['zeroClassMeans']);

/** The numeric series of a metric: one for a number, one per entry for a number[]. */
function seriesOf(records: readonly EpochRecord[], key: string): { x: number[]; ys: number[][] } {
  const x = records.map((r) => r.epoch);
  if (INDEX_LISTS.has(key)) return { x, ys: [records.map((r) => (Array.isArray(r[key]) ? (r[key] as unknown[]).length : NaN))] };
  const first = records.find((r) => r[key] !== undefined)?.[key];
  const width = Array.isArray(first) ? first.length : 1;
  const ys = Array.from({ length: width }, (_, j) =>
    records.map((r) => {
      const v = r[key];
      const y = Array.isArray(v) ? v[j] : v;
      return typeof y === 'number' && Number.isFinite(y) ? y : NaN;
    }),
  );
  return { x, ys };
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(3)));
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * One self-contained SVG line chart of a metric against epoch (one line per class for a
 * per-class metric; log scale for NC1 and the objective).
 *
 * @example
 * ```ts
 * const svg = metricSvg(records, 'nc1');
 * ```
 */
export function metricSvg(records: readonly EpochRecord[], key: string): string {
  const { x, ys } = seriesOf(records, key);
  const log = LOG_SCALE.has(key);
  const tr = (v: number) => (log ? Math.log10(v) : v);
  const vals = ys.flat().filter((v) => Number.isFinite(v) && (!log || v > 0)).map(tr);
  const xmin = Math.min(...x);
  const xmax = Math.max(xmin + 1, ...x);
  let ymin = vals.length ? Math.min(...vals) : 0;
  let ymax = vals.length ? Math.max(...vals) : 1;
  if (ymax - ymin < 1e-12) [ymin, ymax] = [ymin - 0.5, ymax + 0.5];
  const px = (v: number) => M.l + ((v - xmin) / (xmax - xmin)) * (W - M.l - M.r);
  const py = (v: number) => H - M.b - ((v - ymin) / (ymax - ymin)) * (H - M.t - M.b);
  const lines = ys.map((y, j) => {
    let d = '';
    y.forEach((v, i) => {
      if (!Number.isFinite(v) || (log && v <= 0)) return;
      d += `${d === '' ? 'M' : 'L'}${px(x[i]).toFixed(1)},${py(tr(v)).toFixed(1)}`;
    });
    return `<path d="${d}" fill="none" stroke="${COLORS[j % COLORS.length]}" stroke-width="1.5"/>`;
  });
  const ticks = [0, 0.5, 1].map((f) => {
    const v = ymin + f * (ymax - ymin);
    const label = log ? fmt(10 ** v) : fmt(v);
    return `<text x="${M.l - 4}" y="${py(v) + 4}" text-anchor="end" font-size="10">${label}</text><line x1="${M.l}" x2="${W - M.r}" y1="${py(v)}" y2="${py(v)}" stroke="#ddd"/>`;
  });
  const title = `${key}${INDEX_LISTS.has(key) ? ' (how many classes)' : ''}${ys.length > 1 ? ' (one line per class, class 0 blue … class 9 cyan)' : ''}${log ? ', log scale' : ''}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<text x="${M.l}" y="14" font-size="12">${escapeXml(title)}</text>`,
    ...ticks,
    `<line x1="${M.l}" x2="${W - M.r}" y1="${H - M.b}" y2="${H - M.b}" stroke="#000"/>`,
    `<text x="${M.l}" y="${H - 10}" font-size="10">${xmin}</text><text x="${W - M.r}" y="${H - 10}" font-size="10" text-anchor="end">epoch ${xmax}</text>`,
    ...lines,
    '</svg>',
  ].join('');
}

/**
 * A self-contained HTML page with one chart per numeric metric of a run, and its settings.
 *
 * @example
 * ```ts
 * writeFileAtomic('reports/slow/smoke.html', runHtml('smoke', records, meta));
 * ```
 */
export function runHtml(run: string, records: readonly EpochRecord[], meta: unknown): string {
  const keys: string[] = [];
  for (const r of records) {
    for (const [k, v] of Object.entries(r)) {
      const numeric = typeof v === 'number' || (Array.isArray(v) && v.every((e) => typeof e === 'number'));
      if (k !== 'epoch' && numeric && !keys.includes(k)) keys.push(k);
    }
  }
  const charts = records.length === 0 ? '<p>no epochs yet</p>' : keys.map((k) => metricSvg(records, k)).join('\n');
  return [
    '<!doctype html><html><head><meta charset="utf-8">',
    `<title>ncverify training run ${escapeXml(run)}</title></head><body>`,
    `<h1>Training run ${escapeXml(run)}</h1>`,
    `<pre>${escapeXml(JSON.stringify(meta, null, 2))}</pre>`,
    charts,
    '</body></html>',
  ].join('\n');
}
