import type { TopLevelSpec } from 'vega-lite';
import { DIMENSION_GROUPS, type LandscapeCell, RATIO_BINS } from './landscape.ts';
import type { Sample } from './verifyReport.ts';

/** Renders a Vega-Lite spec to a static SVG string (no scripts, no network). */
export interface ChartRenderer {
  toSvg(spec: TopLevelSpec): Promise<string>;
}

/**
 * The Vega + Vega-Lite renderer, or null when those packages are not installed (the HTML report
 * then shows its tables without plots). Rendering runs in Node with Vega's headless view
 * (`renderer: 'none'`, then `toSVG()`): text widths are estimated, nothing is fetched.
 *
 * @example
 * ```ts
 * const charts = await loadChartRenderer();
 * const svg = charts === null ? '' : await charts.toSvg(landscapeSpec(cells));
 * ```
 */
export async function loadChartRenderer(): Promise<ChartRenderer | null> {
  let vega: typeof import('vega');
  let vl: typeof import('vega-lite');
  try {
    [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  } catch {
    return null;
  }
  return {
    async toSvg(spec: TopLevelSpec): Promise<string> {
      const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
      try {
        return await view.toSVG();
      } finally {
        view.finalize();
      }
    },
  };
}

/** At most this many points per predicted-against-measured plot (an even stride through the samples). */
export const MAX_PLOTTED_POINTS = 2000;

/**
 * An even, deterministic thinning to at most `max` items (every ⌈n/max⌉-th, first included).
 *
 * @example
 * ```ts
 * thin([1, 2, 3, 4, 5], 2); // [1, 4]
 * ```
 */
export function thin<T>(items: readonly T[], max: number): T[] {
  const stride = Math.max(1, Math.ceil(items.length / max));
  return items.filter((_, i) => i % stride === 0);
}

const AXIS_TITLES: Record<Sample['quantity'], string> = {
  featureNorm: 'class-mean norm ‖h̄_k‖',
  classifierNorm: 'classifier norm ‖w_k‖',
  margin: 'margin s_k',
  classifierCosine: 'classifier cosine cos(w_j, w_k)',
};

/**
 * Scatter of measured against predicted values of one quantity, with the line measured = predicted.
 *
 * @example
 * ```ts
 * const spec = predictedMeasuredSpec('featureNorm', report.samples.filter((s) => s.quantity === 'featureNorm'));
 * ```
 */
export function predictedMeasuredSpec(quantity: Sample['quantity'], samples: readonly Sample[]): TopLevelSpec {
  const points = thin(samples, MAX_PLOTTED_POINTS).map((s) => ({ predicted: s.predicted, measured: s.measured }));
  const values = samples.flatMap((s) => [s.predicted, s.measured]);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const title = AXIS_TITLES[quantity];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 320,
    height: 280,
    title: `${title}: measured against predicted`,
    layer: [
      {
        data: { values: [{ v: lo }, { v: hi }] },
        mark: { type: 'line', color: '#999', strokeDash: [4, 3] },
        encoding: { x: { field: 'v', type: 'quantitative' }, y: { field: 'v', type: 'quantitative' } },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 18, opacity: 0.6, color: '#1f77b4' },
        encoding: {
          x: { field: 'predicted', type: 'quantitative', title: `predicted ${title}`, scale: { zero: false } },
          y: { field: 'measured', type: 'quantitative', title: `measured ${title}`, scale: { zero: false } },
        },
      },
    ],
  };
}

/**
 * Bars of the share of instances that needed escapes (left) and restarts (right), by imbalance-ratio
 * bin (x) and dimension group (colour).
 *
 * @example
 * ```ts
 * const spec = landscapeSpec(landscapeCells(report.solver));
 * ```
 */
export function landscapeSpec(cells: readonly LandscapeCell[]): TopLevelSpec {
  const values = cells.flatMap((c) => [
    { kind: 'needed an escape', ratioBin: c.ratioBin, d: c.dimensionGroup, share: c.shareWithEscapes, instances: c.instances },
    { kind: 'needed a restart', ratioBin: c.ratioBin, d: c.dimensionGroup, share: c.shareWithRestarts, instances: c.instances },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'How often the solver needed escapes or restarts',
    data: { values },
    mark: 'bar',
    width: 260,
    height: 220,
    encoding: {
      column: { field: 'kind', type: 'nominal', title: null, sort: ['needed an escape', 'needed a restart'] },
      x: { field: 'ratioBin', type: 'ordinal', sort: [...RATIO_BINS], title: 'imbalance ratio max n_k / min n_k' },
      xOffset: { field: 'd', type: 'nominal', sort: [...DIMENSION_GROUPS] },
      y: { field: 'share', type: 'quantitative', title: 'share of instances', scale: { domain: [0, 1] } },
      color: { field: 'd', type: 'nominal', sort: [...DIMENSION_GROUPS], title: 'feature dimension' },
    },
  };
}
