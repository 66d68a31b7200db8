/**
 * The scale ladder of `npm run bench` (issue #15): K 10 → 100, N 3 000 → 50 000, d = K and 512,
 * step-imbalanced sizes (10 size levels s = 1 … 10, K/10 classes each, n = round(s·N/(55·K/10))),
 * λ_W = λ_H = 1e-4 (every class alive: N²λ²K/(K−1) < min n). Per rung, side by side in one process:
 * the float64 solver (`cpu-float64`, default threads and start), the same search without the multilevel start
 * (where the default uses it: the baseline of its ratio), the wasm float32 stage + float64 solver
 * (solveMixedPrecision), and the papers' PGD (src/solver/pgd.ts) capped in time, told to stop at
 * ncverify's objective + 1e-9. Seconds, evaluations, peak RSS (process.resourceUsage().maxRSS, the
 * process's high-water mark — the rungs run in increasing size, so each new peak is that rung's).
 *
 * BENCH_LADDER: `short` (default: the two smallest rungs), `full`, `off`. The wasm column only where
 * its float32 stage finishes in minutes (d = K, K ≤ 20).
 */
import { loadavg } from 'node:os';
import { projectedGradientDescent } from '../src/solver/pgd.ts';
import type { SolverProblem } from '../src/solver/problem.ts';
import { solve } from '../src/solver/solver.ts';
import { solveMixedPrecision } from '../src/solver-tfjs/mixed.ts';
import { loadTfjs } from '../src/tfjs/backend.ts';

/** One rung: K, N, d. */
interface Rung { K: number; N: number; d: number }

/** A method's figures on one rung. */
interface Figures { certified: boolean | null; objective: number; seconds: number; evaluations: number | null; peakMB: number; detail: string }

/** `single`: the float64 search without the multilevel start, where the default uses it (else null: the default is that search). */
export interface LadderRow { rung: Rung; float64: Figures; single: Figures | null; wasm: Figures | null; pgd: Figures }

const LAMBDA = 1e-4;
const PGD_SECONDS = Number(process.env.BENCH_PGD_SECONDS ?? 30);

/** Step sizes 1…10, K/10 classes per level, summing to N (exactly, for the rungs below). */
export function ladderSizes(K: number, N: number): number[] {
  const per = K / 10;
  return Array.from({ length: K }, (_, k) => Math.round(((1 + Math.floor(k / per)) * N) / (55 * per)));
}

/** The rungs: `short` the two smallest, `full` all. */
export function ladderRungs(kind: 'short' | 'full'): Rung[] {
  const sizes: [number, number][] = kind === 'short' ? [[10, 3000], [20, 6000]] : [[10, 3000], [20, 6000], [50, 20_000], [100, 40_000], [100, 50_000]];
  return sizes.flatMap(([K, N]) => [{ K, N, d: K }, { K, N, d: 512 }]);
}

const peakMB = (): number => process.resourceUsage().maxRSS / 1024;

/** Runs the ladder and prints one line per rung. */
export async function runLadder(kind: 'short' | 'full'): Promise<LadderRow[]> {
  process.stdout.write(`scale ladder (${kind}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})\n`);
  let wasm: Awaited<ReturnType<typeof loadTfjs>> | null = null;
  try { wasm = await loadTfjs('wasm'); } catch { wasm = null; }
  const rows: LadderRow[] = [];
  for (const rung of ladderRungs(kind)) {
    const problem: SolverProblem = { n: ladderSizes(rung.K, rung.N), lambdaW: LAMBDA, lambdaH: LAMBDA, d: rung.d };
    const t0 = performance.now();
    const r = solve(problem, { seed: 1, maxSeconds: 1200 });
    const float64: Figures = { certified: r.certified, objective: r.objective, seconds: (performance.now() - t0) / 1000, evaluations: r.evaluations, peakMB: peakMB(), detail: `${r.iterations} it` };
    const single = r.history[0]?.kind === 'coarse' ? singleLevel(problem) : null;
    let w: Figures | null = null;
    // The wasm float32 stage runs only where it can finish (d = K, K ≤ 20): measured here it took
    // 14 s (K = 10, N = 3 000) and 71 s (K = 20, N = 6 000) against 1.4 s and 4.7 s for the whole
    // float64 solve, and 443 s at K = 10, d = 512 (docs/solver.md, "Backends").
    if (wasm !== null && rung.d === rung.K && rung.K <= 20) {
      const t1 = performance.now();
      const [m] = await solveMixedPrecision([problem], { tfjs: { seed: 1 }, solver: { seed: 1, maxSeconds: 1200 } }, wasm);
      w = { certified: m.certified, objective: m.objective, seconds: (performance.now() - t1) / 1000, evaluations: m.float64.evaluations, peakMB: peakMB(), detail: `${m.route}, float32 ${m.seconds.tfjs.toFixed(1)} s` };
    }
    const p = projectedGradientDescent(problem, { seed: 1, maxSeconds: PGD_SECONDS, targetObjective: r.objective + 1e-9 });
    const pgd: Figures = { certified: null, objective: p.objective, seconds: p.secondsToTarget ?? p.seconds, evaluations: p.iterations, peakMB: peakMB(), detail: p.status };
    rows.push({ rung, float64, single, wasm: w, pgd });
    process.stdout.write(`K=${rung.K} N=${rung.N} d=${rung.d}: float64 ${float64.certified ? 'certified' : 'NOT certified'} ${float64.seconds.toFixed(1)} s ${float64.evaluations} ev` +
      (single ? ` (single-level ${single.certified ? 'certified' : 'NOT certified'} ${single.seconds.toFixed(1)} s, Δf ${(single.objective - float64.objective).toExponential(1)})` : '') +
      (w ? `; wasm ${w.certified ? 'certified' : 'NOT'} ${w.seconds.toFixed(1)} s (${w.detail})` : '; wasm n/a') +
      `; PGD ${pgd.detail} ${pgd.seconds.toFixed(1)} s; peak ${float64.peakMB.toFixed(0)} MB\n`);
  }
  return rows;
}

/** The float64 search from a random start alone (`multilevel: false`), the baseline of the multilevel start. */
function singleLevel(problem: SolverProblem): Figures {
  const t0 = performance.now();
  const r = solve(problem, { seed: 1, maxSeconds: 1200, multilevel: false });
  return { certified: r.certified, objective: r.objective, seconds: (performance.now() - t0) / 1000, evaluations: r.evaluations, peakMB: peakMB(), detail: `${r.iterations} it` };
}

/** The ladder as a markdown table. */
export function ladderMarkdown(rows: readonly LadderRow[]): string {
  const f = (x: Figures | null): string => x === null ? 'n/a' : `${x.certified === false ? 'NOT certified, ' : ''}${x.seconds.toFixed(1)} s, ${x.evaluations ?? '–'} ev`;
  const lines = [
    '| K | N | d | cpu-float64 | single-level (no multilevel start) | single / default | wasm + float64 | PGD (capped) | PGD / float64 | peak RSS |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const ratio = r.pgd.detail === 'target' ? `${(r.pgd.seconds / r.float64.seconds).toFixed(1)}×` : `≥ ${(r.pgd.seconds / r.float64.seconds).toFixed(1)}× (${r.pgd.detail})`;
      const single = r.single === null ? '= default' : f(r.single);
      const singleRatio = r.single === null ? '1' : `${(r.single.seconds / r.float64.seconds).toFixed(1)}×`;
      return `| ${r.rung.K} | ${r.rung.N} | ${r.rung.d} | ${f(r.float64)} | ${single} | ${singleRatio} | ${f(r.wasm)}${r.wasm ? ` (${r.wasm.detail})` : ''} | ${r.pgd.seconds.toFixed(1)} s, ${r.pgd.evaluations} it | ${ratio} | ${r.float64.peakMB.toFixed(0)} MB |`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}
