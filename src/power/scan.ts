/**
 * The suite's resolution: for each predicted quantity, the smallest relative perturbation ε (decades
 * 1e-2 … 1e-12) that each claim detects on a budget. One optimum layer is shared by every run, so the
 * instances are solved once and each perturbed theory costs only the claims' checks.
 */
import type { Claim } from '../runner/claim.ts';
import type { Budget } from '../runner/claim.ts';
import { runSuite } from '../runner/suite.ts';
import { Optima } from '../optima/optima.ts';
import type { UfmPlusTheory } from '../theory/types.ts';
import { PERTURBATIONS, type PerturbedQuantity, perturbed } from './perturbations.ts';

/** The perturbation sizes tried, largest first. */
export const DECADES: readonly number[] = Array.from({ length: 11 }, (_, i) => 10 ** -(i + 2));

/** One perturbation direction: a quantity and the sign of ε. */
export interface Direction {
  readonly quantity: PerturbedQuantity;
  readonly sign: 1 | -1;
}

/** Every quantity with ε > 0, and the threshold with ε < 0 as well (a T too low and a T too high fail differently). */
export const DIRECTIONS: readonly Direction[] = [
  ...(Object.keys(PERTURBATIONS) as PerturbedQuantity[]).map((quantity) => ({ quantity, sign: 1 as const })),
  { quantity: 'threshold', sign: -1 },
];

/** The resolution of one direction: per claim the smallest ε it detected (null: none tried), and overall. */
export interface ResolutionRow {
  readonly quantity: PerturbedQuantity;
  readonly sign: 1 | -1;
  readonly smallest: number | null;
  readonly byClaim: Readonly<Record<string, number | null>>;
}

/** The power report (reports/power.json). */
export interface PowerReport {
  readonly tool: 'ncverify';
  readonly kind: 'power';
  readonly theory: string;
  readonly budget: { readonly seed: number; readonly scale: number; readonly size: Budget };
  readonly decades: readonly number[];
  readonly rows: readonly ResolutionRow[];
  /** Claims that fail on the unperturbed theory (then nothing below is meaningful for them). */
  readonly failingUnperturbed: readonly string[];
  readonly seconds: number;
}

/** What a scan runs on. */
export interface ScanOptions {
  readonly seed: number;
  readonly scale: number;
  readonly budget: Budget;
  /** Called after each perturbed run. */
  readonly onRun?: (direction: Direction, eps: number, detectedBy: readonly string[]) => void;
}

/**
 * Scans every direction from ε = 1e-2 down, stopping at the first decade no claim detects (detection is
 * monotone in ε for every claim here: a larger error is further outside the same tolerance).
 *
 * @example
 * ```ts
 * const report = powerScan(claims, ufmPlusCe, { seed: 20240212, scale: 1, budget: 'small' });
 * report.rows.find((r) => r.quantity === 'threshold')?.smallest; // 1e-11
 * ```
 */
export function powerScan(claims: readonly Claim<unknown>[], theory: UfmPlusTheory, options: ScanOptions): PowerReport {
  const started = performance.now();
  const optima = new Optima();
  const failed = (t: UfmPlusTheory): string[] =>
    runSuite(claims, { theory: t, seed: options.seed, scale: options.scale, budget: options.budget, optima }).properties.filter((p) => p.verdict === 'fail').map((p) => p.id);
  const failingUnperturbed = failed(theory);
  const rows = DIRECTIONS.map((direction): ResolutionRow => {
    const byClaim: Record<string, number | null> = Object.fromEntries(claims.map((c) => [c.id, null]));
    for (const eps of DECADES) {
      const detectedBy = failed(perturbed(theory, direction.quantity, direction.sign * eps)).filter((id) => !failingUnperturbed.includes(id));
      options.onRun?.(direction, eps, detectedBy);
      for (const id of detectedBy) byClaim[id] = eps;
      if (detectedBy.length === 0) break;
    }
    const found = Object.values(byClaim).filter((e): e is number => e !== null);
    return { ...direction, smallest: found.length === 0 ? null : Math.min(...found), byClaim };
  });
  return {
    tool: 'ncverify', kind: 'power', theory: theory.name,
    budget: { seed: options.seed, scale: options.scale, size: options.budget },
    decades: DECADES, rows, failingUnperturbed, seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The resolution table as Markdown: one row per direction, the smallest ε detected and by which claims.
 * @example
 * ```ts
 * resolutionMarkdown(report); // "| quantity | smallest ε detected | claims (smallest ε each) |\n…"
 * ```
 */
export function resolutionMarkdown(report: PowerReport): string {
  const fmt = (e: number | null): string => (e === null ? 'not detected at 1e-2' : `${e.toExponential(0)}`);
  const lines = ['| quantity | ε | smallest ε detected | claims (smallest ε each) |', '|---|---|---|---|'];
  for (const r of report.rows) {
    const claims = Object.entries(r.byClaim).filter(([, e]) => e !== null).sort((a, b) => (a[1] as number) - (b[1] as number)).map(([id, e]) => `${id} ${fmt(e)}`).join(', ');
    lines.push(`| ${r.quantity} | ${r.sign > 0 ? '+' : '−'} | ${fmt(r.smallest)} | ${claims || '—'} |`);
  }
  return lines.join('\n');
}
