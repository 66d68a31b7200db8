import type { SolverSummary } from './verifyReport.ts';

/** Upper edges of the imbalance-ratio bins (max n_k / min n_k): 1, (1,2], (2,5], (5,10], … (1–2–5 steps). */
const RATIO_EDGES = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/**
 * The imbalance-ratio bin of a ratio ρ = max n_k / min n_k ≥ 1: `1` (balanced), `1–2`, `2–5`, …,
 * `>1000`. Bins follow 1–2–5 steps so that a log axis is evenly covered.
 *
 * @example
 * ```ts
 * ratioBin(1); // '1'
 * ratioBin(4); // '2–5'
 * ```
 */
export function ratioBin(ratio: number): string {
  if (ratio <= 1) return '1';
  for (let i = 1; i < RATIO_EDGES.length; i++) if (ratio <= RATIO_EDGES[i]) return `${RATIO_EDGES[i - 1]}–${RATIO_EDGES[i]}`;
  return `>${RATIO_EDGES[RATIO_EDGES.length - 1]}`;
}

/** Every ratio bin label, in increasing order. */
export const RATIO_BINS: readonly string[] = ['1', ...RATIO_EDGES.slice(1).map((e, i) => `${RATIO_EDGES[i]}–${e}`), `>${RATIO_EDGES[RATIO_EDGES.length - 1]}`];

/**
 * The feature-dimension group of an instance, relative to K: THEORY.md §2 measured that d = K (no
 * free coordinate) is where the solver's escapes fail, and that free coordinates (d > K) help; d < K is
 * outside the theorem's assumptions (recorded only), in a bucket of its own.
 *
 * @example
 * ```ts
 * dimensionGroup(8, 4); // 'K < d ≤ 2K'
 * dimensionGroup(3, 4); // 'd < K'
 * ```
 */
export function dimensionGroup(d: number, K: number): string {
  if (d < K) return 'd < K';
  if (d === K) return 'd = K';
  if (d <= 2 * K) return 'K < d ≤ 2K';
  if (d <= 4 * K) return '2K < d ≤ 4K';
  return 'd > 4K';
}

/** Every dimension group label, in increasing order. */
export const DIMENSION_GROUPS: readonly string[] = ['d < K', 'd = K', 'K < d ≤ 2K', '2K < d ≤ 4K', 'd > 4K'];

/** How the solver fared on the instances of one (imbalance-ratio bin, dimension group) cell. */
export interface LandscapeCell {
  readonly ratioBin: string;
  readonly dimensionGroup: string;
  readonly instances: number;
  /** Fraction of instances that needed at least one escape (resp. restart). */
  readonly shareWithEscapes: number;
  readonly shareWithRestarts: number;
  /** Mean number of escapes (resp. restarts) per instance. */
  readonly meanEscapes: number;
  readonly meanRestarts: number;
  /** Fraction of instances certified globally optimal (THEORY.md §1b). */
  readonly shareCertified: number;
}

/**
 * Aggregates the solver's per-instance landscape rows of the UFM+ family (THEORY.md §2's landscape;
 * rows without a family are UFM+, from reports made before the optimum layer) by imbalance-ratio bin
 * and dimension group (cells in increasing ratio, then dimension; empty cells omitted).
 *
 * @example
 * ```ts
 * landscapeCells(report.solver)[0]; // { ratioBin: '1', dimensionGroup: 'd = K', instances: 3, shareWithEscapes: 0.33, … }
 * ```
 */
export function landscapeCells(solver: SolverSummary): LandscapeCell[] {
  const cells = new Map<string, { rows: SolverSummary['landscape'][number][]; r: string; g: string }>();
  for (const row of solver.landscape) {
    if ((row.family ?? 'ufm-plus') !== 'ufm-plus') continue;
    const r = ratioBin(row.imbalanceRatio);
    const g = dimensionGroup(row.d, row.K);
    const key = `${RATIO_BINS.indexOf(r)}/${DIMENSION_GROUPS.indexOf(g)}`;
    if (!cells.has(key)) cells.set(key, { rows: [], r, g });
    cells.get(key)!.rows.push(row);
  }
  const order = (k: string): number[] => k.split('/').map(Number);
  return [...cells.entries()]
    .sort(([a], [b]) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1])
    .map(([, { rows, r, g }]) => {
      const n = rows.length;
      const share = (f: (x: (typeof rows)[number]) => boolean): number => rows.filter(f).length / n;
      const mean = (f: (x: (typeof rows)[number]) => number): number => rows.reduce((s, x) => s + f(x), 0) / n;
      return {
        ratioBin: r,
        dimensionGroup: g,
        instances: n,
        shareWithEscapes: share((x) => x.escapes > 0),
        shareWithRestarts: share((x) => x.restarts > 0),
        meanEscapes: mean((x) => x.escapes),
        meanRestarts: mean((x) => x.restarts),
        shareCertified: share((x) => x.certified),
      };
    });
}
