/**
 * `npm run bench`: ncverify's certified solver against the papers' method (projected gradient
 * descent with a fixed step) on a fixed instance set, plus the certification rate on generated
 * instances. Writes reports/bench/solver.json and reports/bench/solver.md; prints progress.
 *
 * Per fixed instance: certified or not, the objective gap of each method to the best value found,
 * seconds, and the speed ratio = (PGD's time to reach ncverify's objective + 1e-9) / (ncverify's
 * time). PGD is capped (iterations and seconds); when it never reaches the objective the ratio is
 * a lower bound (its time at the cap), marked "≥". The step-size probe of PGD is not timed (in its
 * favour). Both methods are warmed up (JIT) on small instances before anything is timed.
 * Generated sets: ufmInstance 'small' (600) and 'large' (30), and thresholdInstance 'above', 'at',
 * 'below', 'complete-collapse' (100 each) — the distributions the property suite draws from. Generated instances (src/generators ufmInstance, 'small' and 'large' budgets, d ≥ K) are
 * solved by ncverify only, for the certification rate. Wall-clock times on a shared machine: the
 * load average is recorded with the figures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { sampleInstances, thresholdInstance, ufmInstance } from '../src/generators/index.ts';
import { projectedGradientDescent } from '../src/solver/pgd.ts';
import type { SolverProblem } from '../src/solver/problem.ts';
import { solve } from '../src/solver/solver.ts';
import { optimalObjective } from '../src/theory/ufmPlusCe.ts';
import { ladderMarkdown, runLadder } from './scaleLadder.ts';

interface Instance { name: string; family: string; problem: SolverProblem }

const PGD_SECONDS = Number(process.env.BENCH_PGD_SECONDS ?? 30);
const PGD_ITERATIONS = 1_000_000;
const SOLVE_SECONDS = 120;
const GENERATED_SMALL = Number(process.env.BENCH_GENERATED_SMALL ?? 600);
const GENERATED_LARGE = Number(process.env.BENCH_GENERATED_LARGE ?? 30);
const GENERATED_THRESHOLD = Number(process.env.BENCH_GENERATED_THRESHOLD ?? 100);

/** λ with N² λ² K/(K−1) = T (λ_W = λ_H): places the threshold T exactly. */
function lambdaForThreshold(n: number[], T: number): number {
  const N = n.reduce((a, b) => a + b, 0);
  const K = n.length;
  return Math.sqrt((T * (K - 1)) / K) / N;
}

const longTail = (K: number, nMax: number, ratio: number): number[] =>
  Array.from({ length: K }, (_, k) => Math.max(1, Math.round(nMax * ratio ** (-k / (K - 1)))));
const step = (K: number, nMin: number, R: number): number[] =>
  Array.from({ length: K }, (_, k) => (k < K / 2 ? nMin : R * nMin));
const balanced = (K: number, m: number): number[] => Array<number>(K).fill(m);
const ufmPlus = (n: number[], lambda: number, d: number): SolverProblem => ({ n, lambdaW: lambda, lambdaH: lambda, d });

function fixedInstances(): Instance[] {
  const nearT = [10, 10, 40, 40];
  return [
    { name: 'balanced K=4 d=K', family: 'balanced', problem: ufmPlus(balanced(4, 50), 5e-3, 4) },
    { name: 'balanced K=10 d=64 N=3000', family: 'balanced', problem: ufmPlus(balanced(10, 300), 1e-3, 64) },
    { name: 'balanced K=20 d=128 N=5000', family: 'balanced', problem: ufmPlus(balanced(20, 250), 5e-4, 128) },
    { name: 'step R=10 K=10 d=32', family: 'step', problem: ufmPlus(step(10, 20, 10), 2e-3, 32) },
    { name: 'step R=10 K=6 d=K', family: 'step', problem: ufmPlus(step(6, 10, 10), 5e-3, 6) },
    { name: 'step R=9 K=10 d=128 N=5000', family: 'step', problem: ufmPlus(step(10, 100, 9), 1e-3, 128) },
    { name: 'long-tail ×100 K=10 d=20', family: 'long-tailed', problem: ufmPlus(longTail(10, 500, 100), 1e-3, 20) },
    { name: 'long-tail ×100 K=8 d=K', family: 'long-tailed', problem: ufmPlus(longTail(8, 300, 100), 2e-3, 8) },
    { name: 'long-tail ×100 K=20 d=64', family: 'long-tailed', problem: ufmPlus(longTail(20, 250, 100), 5e-4, 64) },
    { name: 'long-tail ×100 K=20 d=K', family: 'long-tailed', problem: ufmPlus(longTail(20, 250, 100), 1e-3, 20) },
    { name: 'threshold: small classes just alive (T = 0.999 n)', family: 'threshold', problem: ufmPlus(nearT, lambdaForThreshold(nearT, 9.99), 8) },
    { name: 'threshold: small classes just dead (T = 1.001 n)', family: 'threshold', problem: ufmPlus(nearT, lambdaForThreshold(nearT, 10.01), 8) },
    { name: '§2 hard: (10,10,40,40) λ=5e-3 d=8', family: 'hard', problem: ufmPlus([10, 10, 40, 40], 5e-3, 8) },
    { name: '§2 hard: (5,10,20,40,80) λ=1e-2 d=8', family: 'hard', problem: ufmPlus([5, 10, 20, 40, 80], 1e-2, 8) },
    { name: '§2 hard: (5,5,100,100,100,5,5,5) λ=6e-3 d=8', family: 'hard', problem: ufmPlus([5, 5, 100, 100, 100, 5, 5, 5], 6e-3, 8) },
    { name: 'minority collapse (5,5,100,100,100,5,5,5) λ=1e-2 d=16', family: 'minority collapse', problem: ufmPlus([5, 5, 100, 100, 100, 5, 5, 5], 1e-2, 16) },
    { name: 'complete collapse (20,30,40,50) λ=0.1', family: 'complete collapse', problem: ufmPlus([20, 30, 40, 50], 0.1, 4) },
    { name: 'plain UFM long-tail K=10 d=16', family: 'plain UFM', problem: { ...ufmPlus(longTail(10, 200, 50), 1e-3, 16), nonNegative: false } },
    { name: 'UFM+ with free bias step K=8 d=8', family: 'bias', problem: { ...ufmPlus(step(8, 10, 10), 3e-3, 8), bias: true } },
  ];
}

interface FixedRow {
  name: string; family: string; K: number; N: number; d: number; variant: string;
  ncverify: { certified: boolean; objective: number; ratio: number; kktResidual: number; seconds: number; iterations: number; escapes: number; restarts: number; reason: string | null };
  pgd: { objective: number; seconds: number; secondsToTarget: number | null; iterations: number; status: string; stepSize: number };
  bestObjective: number; gapNcverify: number; gapPgd: number; closedFormGap: number | null;
  /** reached: PGD got within 1e-9 of ncverify's objective; capped: its budget ran out first; stuck: it converged (KKT) to a worse point. */
  pgdOutcome: 'reached' | 'capped' | 'stuck';
  /** PGD time to target / ncverify time (reached); PGD time at the cap / ncverify time, a lower bound (capped); null (stuck: never). */
  speedRatio: number | null;
}

function runFixed(inst: Instance): FixedRow {
  const p = inst.problem;
  const nc = solve(p, { seed: 1, maxSeconds: SOLVE_SECONDS });
  const target = nc.objective + 1e-9;
  const pg = projectedGradientDescent(p, { seed: 1, targetObjective: target, maxSeconds: PGD_SECONDS, maxIterations: PGD_ITERATIONS });
  const best = Math.min(nc.objective, pg.objective);
  const outcome: FixedRow['pgdOutcome'] = pg.secondsToTarget !== null ? 'reached' : pg.status === 'converged' ? 'stuck' : 'capped';
  const plain = p.nonNegative === false || p.bias === true;
  return {
    name: inst.name, family: inst.family, K: p.n.length, N: p.n.reduce((a, b) => a + b, 0), d: p.d,
    variant: `${p.nonNegative === false ? 'UFM' : 'UFM+'}${p.bias ? ' with bias' : ''}`,
    ncverify: { certified: nc.certified, objective: nc.objective, ratio: nc.certificate.dualNormRatio, kktResidual: nc.kktResidual, seconds: nc.seconds, iterations: nc.iterations, escapes: nc.escapes, restarts: nc.restarts, reason: nc.reason },
    pgd: { objective: pg.objective, seconds: pg.seconds, secondsToTarget: pg.secondsToTarget, iterations: pg.iterations, status: pg.status, stepSize: pg.stepSize },
    bestObjective: best, gapNcverify: nc.objective - best, gapPgd: pg.objective - best,
    closedFormGap: plain ? null : nc.objective - optimalObjective(p.n, p.lambdaW, p.lambdaH),
    pgdOutcome: outcome,
    speedRatio: outcome === 'reached' ? (pg.secondsToTarget as number) / nc.seconds : outcome === 'capped' ? pg.seconds / nc.seconds : null,
  };
}

interface GeneratedRow { budget: string; n: number[]; lambdaW: number; lambdaH: number; d: number; certified: boolean; seconds: number; closedFormGap: number; escapes: number; restarts: number; reason: string | null }

type GeneratedSet = 'small' | 'large' | 'threshold above' | 'threshold at' | 'threshold below' | 'complete collapse';

function generatedInstances(set: GeneratedSet, count: number, seed: number): { n: number[]; lambdaW: number; lambdaH: number; d: number }[] {
  if (set === 'small' || set === 'large') return sampleInstances(ufmInstance({ budget: set }), count, seed);
  const where = set === 'complete collapse' ? 'complete-collapse' : (set.slice('threshold '.length) as 'above' | 'at' | 'below');
  return sampleInstances(thresholdInstance({ where }), count, seed).map((i) => ({ n: i.n, lambdaW: i.lambdaW, lambdaH: i.lambdaH, d: i.d }));
}

function runGenerated(set: GeneratedSet, count: number, seed: number): GeneratedRow[] {
  const rows: GeneratedRow[] = [];
  generatedInstances(set, count, seed).forEach((i, idx) => {
    const r = solve(i, { seed: idx, maxSeconds: SOLVE_SECONDS });
    rows.push({
      budget: set, n: i.n, lambdaW: i.lambdaW, lambdaH: i.lambdaH, d: i.d, certified: r.certified, seconds: r.seconds,
      closedFormGap: r.objective - optimalObjective(i.n, i.lambdaW, i.lambdaH), escapes: r.escapes, restarts: r.restarts, reason: r.reason,
    });
    if (!r.certified) process.stdout.write(`\n  NOT certified: ${JSON.stringify(i)}: ${r.reason}\n`);
    if ((idx + 1) % 50 === 0 || idx + 1 === count) process.stdout.write(`  generated (${set}): ${idx + 1}/${count}\r`);
  });
  process.stdout.write('\n');
  return rows;
}

const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  return s.length === 0 ? NaN : s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x: number, digits = 3): string => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
const sci = (x: number | null): string => (x === null ? '—' : x.toExponential(1));

/** The bench's figures (what goes into solver.json's `summary` and the markdown header). */
function summarise(fixed: FixedRow[], generated: GeneratedRow[], load: number[]) {
  const ncTotal = fixed.reduce((t, r) => t + r.ncverify.seconds, 0);
  const reached = fixed.filter((r) => r.pgdOutcome === 'reached');
  const timed = fixed.filter((r) => r.pgdOutcome !== 'stuck');
  const sum = (rows: FixedRow[], f: (r: FixedRow) => number): number => rows.reduce((t, r) => t + f(r), 0);
  const pgdTime = (r: FixedRow): number => (r.pgdOutcome === 'reached' ? (r.pgd.secondsToTarget as number) : r.pgd.seconds);
  const all = [...fixed.filter((r) => r.d >= r.K).map((r) => r.ncverify.certified), ...generated.map((g) => g.certified)];
  const target = fixed.find((r) => r.name.startsWith('balanced K=10 d=64'));
  return {
    loadAverage: load,
    pgdSecondsCap: PGD_SECONDS,
    certificationRate: all.filter(Boolean).length / all.length,
    certified: all.filter(Boolean).length,
    instances: all.length,
    fixed: {
      certified: fixed.filter((r) => r.ncverify.certified).length,
      instances: fixed.length,
      ncverifySecondsMedian: median(fixed.map((r) => r.ncverify.seconds)),
      ncverifySecondsMax: Math.max(...fixed.map((r) => r.ncverify.seconds)),
      ncverifySecondsTotal: ncTotal,
      pgdReached: reached.length,
      pgdCapped: fixed.filter((r) => r.pgdOutcome === 'capped').length,
      pgdStuck: fixed.filter((r) => r.pgdOutcome === 'stuck').length,
      /** Σ PGD time to target / Σ ncverify time over the instances PGD reached. */
      speedRatioReached: sum(reached, pgdTime) / sum(reached, (r) => r.ncverify.seconds),
      /** The same over reached + capped instances (capped ones at their cap): a lower bound. */
      speedRatioLowerBound: sum(timed, pgdTime) / sum(timed, (r) => r.ncverify.seconds),
      medianSpeedRatioReached: median(reached.map((r) => r.speedRatio as number)),
      maxClosedFormGap: Math.max(...fixed.map((r) => Math.abs(r.closedFormGap ?? 0))),
    },
    generated: {
      certified: generated.filter((g) => g.certified).length,
      instances: generated.length,
      secondsMedian: median(generated.map((g) => g.seconds)),
      secondsMax: Math.max(...generated.map((g) => g.seconds)),
      maxClosedFormGap: Math.max(...generated.map((g) => Math.abs(g.closedFormGap))),
      bySet: Object.fromEntries([...new Set(generated.map((g) => g.budget))].map((set) => {
        const rows = generated.filter((g) => g.budget === set);
        return [set, { certified: rows.filter((g) => g.certified).length, instances: rows.length, secondsMedian: median(rows.map((g) => g.seconds)), secondsMax: Math.max(...rows.map((g) => g.seconds)) }];
      })),
    },
    targetInstance: target ? { name: target.name, seconds: target.ncverify.seconds, certified: target.ncverify.certified } : null,
    benchSeconds: 0,
    /** Helpers for the console line (not written). */
    derived: { reached, ncTotal, target },
  };
}

/** Runs both methods a few times on small instances (not timed), so that neither pays V8's JIT warm-up in the table. */
function warmUp(): void {
  for (const problem of [ufmPlus([10, 10, 40, 40], 5e-3, 8), ufmPlus([5, 10, 20, 40, 80], 1e-2, 8), { ...ufmPlus([20, 30, 60], 3e-3, 4), nonNegative: false }]) {
    for (let r = 0; r < 3; r++) {
      const nc = solve(problem, { seed: r });
      projectedGradientDescent(problem, { seed: r, targetObjective: nc.objective + 1e-9, maxSeconds: 2 });
    }
  }
}

/** BENCH_LADDER: short (default), full, off; BENCH_ONLY_LADDER=1 skips everything else. */
async function ladder(): Promise<void> {
  const kind = process.env.BENCH_LADDER ?? 'short';
  if (kind === 'off') return;
  if (kind !== 'short' && kind !== 'full') throw new Error(`BENCH_LADDER must be short, full or off (got '${kind}')`);
  const rows = await runLadder(kind);
  mkdirSync('reports/bench', { recursive: true });
  writeFileSync('reports/bench/ladder.json', `${JSON.stringify(rows, null, 1)}\n`);
  writeFileSync('reports/bench/ladder.md', ladderMarkdown(rows));
  process.stdout.write('wrote reports/bench/ladder.md\n');
}

function main(): void {
  const started = performance.now();
  const load = loadavg();
  process.stdout.write(`ncverify solver bench (load average ${load.map((l) => l.toFixed(1)).join(' ')}; PGD cap ${PGD_SECONDS} s)\n`);
  warmUp();
  const fixed: FixedRow[] = [];
  for (const [idx, inst] of fixedInstances().entries()) {
    process.stdout.write(`[${idx + 1}] ${inst.name} … `);
    const row = runFixed(inst);
    fixed.push(row);
    process.stdout.write(`ncverify ${row.ncverify.certified ? 'certified' : 'NOT certified'} in ${fmt(row.ncverify.seconds)} s; ` +
      `PGD ${row.pgd.status} ${fmt(row.pgd.seconds)} s; ${ratioText(row)}\n`);
  }
  const generated = [
    ...runGenerated('small', GENERATED_SMALL, 20251123),
    ...runGenerated('large', GENERATED_LARGE, 20251124),
    ...(['threshold above', 'threshold at', 'threshold below', 'complete collapse'] as const)
      .flatMap((set, k) => runGenerated(set, GENERATED_THRESHOLD, 20251125 + k)),
  ];
  const summary = summarise(fixed, generated, load);
  const { reached, ncTotal, target } = summary.derived;
  summary.benchSeconds = (performance.now() - started) / 1000;
  mkdirSync('reports/bench', { recursive: true });
  const { derived: _derived, ...written } = summary;
  writeFileSync('reports/bench/solver.json', `${JSON.stringify({ summary: written, fixed, generated }, null, 1)}\n`);
  writeFileSync('reports/bench/solver.md', markdown(summary, fixed));
  process.stdout.write(`\ncertified ${summary.certified}/${summary.instances} (d ≥ K); fixed set: ncverify ${fmt(ncTotal, 2)} s; ` +
    `PGD reached ${reached.length}, capped ${summary.fixed.pgdCapped}, stuck ${summary.fixed.pgdStuck}; ratio (reached) ${fmt(summary.fixed.speedRatioReached, 1)}, ` +
    `(reached + capped, lower bound) ≥ ${fmt(summary.fixed.speedRatioLowerBound, 1)}; ` +
    `K=10 d=64 N=3000: ${target ? fmt(target.ncverify.seconds) : '?'} s; bench ${fmt(summary.benchSeconds, 0)} s\n` +
    'wrote reports/bench/solver.json and reports/bench/solver.md\n');
}

function ratioText(r: FixedRow): string {
  if (r.pgdOutcome === 'stuck') return 'never (PGD stuck)';
  return `${r.pgdOutcome === 'capped' ? '≥ ' : ''}${fmt(r.speedRatio as number, 1)}`;
}

function markdown(s: ReturnType<typeof summarise>, rows: FixedRow[]): string {
  const lines = [
    '# ncverify solver bench',
    '',
    `Load average at start: ${s.loadAverage.map((l) => l.toFixed(1)).join(' ')} (2-core shared machine; wall-clock seconds). PGD: fixed step (largest 2^-m with 50 monotone steps, probe not timed), capped at ${PGD_SECONDS} s.`,
    '',
    `- Certified (d ≥ K, fixed + generated): **${s.certified}/${s.instances}** (${fmt(100 * s.certificationRate, 2)} %)`,
    `- Fixed set: ncverify total ${fmt(s.fixed.ncverifySecondsTotal, 2)} s, median ${fmt(s.fixed.ncverifySecondsMedian as number)} s, max ${fmt(s.fixed.ncverifySecondsMax as number)} s`,
    `- PGD reached ncverify's objective (+1e-9) on ${s.fixed.pgdReached}/${rows.length}; hit its cap on ${s.fixed.pgdCapped}; stopped at a non-global KKT point on ${s.fixed.pgdStuck}`,
    `- Speed ratio, Σ PGD time / Σ ncverify time: **${fmt(s.fixed.speedRatioReached as number, 1)}×** over the reached instances (median ${fmt(s.fixed.medianSpeedRatioReached as number, 1)}×); **≥ ${fmt(s.fixed.speedRatioLowerBound as number, 1)}×** over reached + capped`,
    `- Generated (src/generators: ufmInstance small/large, thresholdInstance above/at/below/complete-collapse): ${s.generated.certified}/${s.generated.instances} certified, median ${fmt(s.generated.secondsMedian, 3)} s, max ${fmt(s.generated.secondsMax, 2)} s, max |f − f*| ${sci(s.generated.maxClosedFormGap)}`,
    ...Object.entries(s.generated.bySet)
      .map(([set, g]) => `  - ${set}: ${g.certified}/${g.instances}, median ${fmt(g.secondsMedian, 3)} s, max ${fmt(g.secondsMax, 2)} s`),
    `- K = 10, d = 64, N = 3000: ${s.targetInstance ? `${fmt((s.targetInstance as { seconds: number }).seconds)} s` : '—'}`,
    `- Bench wall time: ${fmt(s.benchSeconds as number, 0)} s`,
    '',
    '| instance | variant | K | N | d | certified | ρ | ncverify s | esc/rst | ncverify gap | PGD status | PGD s | PGD gap | ratio | f − f* |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.variant} | ${r.K} | ${r.N} | ${r.d} | ${r.ncverify.certified ? 'yes' : 'NO'} | ${r.ncverify.ratio.toFixed(9)} | ${fmt(r.ncverify.seconds)} | ${r.ncverify.escapes}/${r.ncverify.restarts} | ${sci(r.gapNcverify)} | ${r.pgd.status} | ${fmt(r.pgd.seconds)} | ${sci(r.gapPgd)} | ${ratioText(r)} | ${sci(r.closedFormGap)} |`),
    '',
    'Gaps are to the best objective either method found. ratio = PGD time to reach ncverify\'s objective + 1e-9 over ncverify\'s time; "≥" when PGD hit its cap first (a lower bound); "never" when PGD converged to a non-global KKT point. f − f*: gap to the closed form of THEORY.md §1 (UFM+ without bias only; the solver never uses it).',
    '',
  ];
  return lines.join('\n');
}

if (process.env.BENCH_ONLY_LADDER !== '1') main();
await ladder();
