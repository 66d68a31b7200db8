import { parseFlags, parseInteger, parseIntegerList, parseNumber, requireFlag } from '../args.ts';
import { InputError } from '../../errors.ts';
import { validateClassSizes, validateDimension, validateRegulariser } from '../../problem/validate.ts';
import { checkSolverSize } from '../../solver/limits.ts';
import { type SolveSummary, summariseSolve } from '../../solver/summary.ts';
import { finiteJson } from '../json.ts';
import { progressLine } from './progressLine.ts';
import { type RoutedSolve, solveBackend, solveRouted } from './solveBackend.ts';
import type { Loss } from '../../loss/loss.ts';
import { mse } from '../../loss/mse.ts';

const SPEC = {
  n: 'string', lw: 'string', lh: 'string', d: 'string', seed: 'string', lb: 'string',
  'max-seconds': 'string', backend: 'string', multilevel: 'string', unconstrained: 'boolean', bias: 'boolean', json: 'boolean', help: 'boolean', theory: 'string',
} as const;

/**
 * The problem each `--theory` selects: UFM+ with CE (THEORY.md §1), the plain UFM with CE (§3; SELI
 * is its λ → 0 limit, so `seli` solves the same problem at the given λ), and the MSE models with one
 * weight matrix (§4(a) bias-free, §4(b) free bias). `bias` undefined: `--bias` may add one.
 */
const THEORY_PROBLEMS: Readonly<Record<string, { nonNegative: boolean; loss?: Loss; bias?: boolean }>> = {
  'ufm-plus-ce': { nonNegative: true },
  ufm: { nonNegative: false },
  seli: { nonNegative: false },
  'mse-deep-linear': { nonNegative: false, loss: mse, bias: false },
  'mse-bias': { nonNegative: false, loss: mse, bias: true },
};

const HELP = `usage: ncverify solve --n n1,n2,... --lw λ_W --lh λ_H [--d d] [--seed S] [--theory NAME | --unconstrained] [--bias [--lb λ_b]] [--max-seconds T] [--multilevel on|off] [--backend B] [--json]

Finds a global minimiser of the full UFM+ problem (all N feature columns are variables, H ≥ 0),
or of the plain UFM with --unconstrained, with cross-entropy loss, and certifies it (THEORY.md §1b).
  --theory         the problem: ufm-plus-ce (default, H ≥ 0, CE), ufm or seli (H free, CE), mse-deep-linear
                   (H free, MSE, no bias, one weight matrix), mse-bias (H free, MSE, free bias)
  --d              feature dimension (default K; d < K is allowed but outside the theorem)
  --seed           seed of the random start and of every random choice (default 0)
  --bias           add a classifier bias b (logits W H + b 1ᵀ); --lb its weight decay (default 0, free)
  --max-seconds    wall-clock budget (default 120)
  --multilevel     on | off: start from the same problem solved on 1/8 of each class's columns (default: on for
                   K·N·⌈1.25K⌉ ≥ 10⁷; the certificate decides as for any start; cpu-float64 only)
  --backend        cpu-float64 (default; or NCVERIFY_BACKEND) | tensorflow | wasm | cpu | webgpu | auto: a tfjs
                   backend runs a float32 stage first, then the float64 solver from its point (its float64
                   certificate alone decides); auto = float64 alone unless a GPU backend loads and the problem is large
  --json           one JSON object instead of the table
Exit code: 0 certified, 1 budget spent without a certificate (the reason is printed), 2 usage error.`;

/**
 * `ncverify solve`: solve and certify one instance; prints a table or one JSON object
 * ({@link SolveSummary}). Exit 0 certified, 1 not certified, 2 usage error (InputError).
 *
 * @example
 * ```ts
 * await run(['--n', '10,10,40,40', '--lw', '5e-3', '--lh', '5e-3', '--d', '8', '--json']);
 * ```
 */
export async function run(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, SPEC);
  if (flags.help === true) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const n = validateClassSizes(parseIntegerList(requireFlag(flags, 'n'), '--n'), '--n');
  const lambdaW = validateRegulariser(parseNumber(requireFlag(flags, 'lw'), '--lw'), '--lw');
  const lambdaH = validateRegulariser(parseNumber(requireFlag(flags, 'lh'), '--lh'), '--lh');
  const d = typeof flags.d === 'string' ? validateDimension(parseInteger(flags.d, '--d'), n.length, false, '--d') : n.length;
  const seed = typeof flags.seed === 'string' ? parseInteger(flags.seed, '--seed') : 0;
  const bias = flags.bias === true;
  if (typeof flags.lb === 'string' && !bias) throw new InputError('--lb', 'only applies with --bias');
  const lambdaB = typeof flags.lb === 'string' ? parseNumber(flags.lb, '--lb') : undefined;
  if (lambdaB !== undefined && lambdaB < 0) throw new InputError('--lb', 'must be a number ≥ 0 (0 = free bias)', `got ${lambdaB}`);
  const maxSeconds = typeof flags['max-seconds'] === 'string' ? parseNumber(flags['max-seconds'], '--max-seconds') : undefined;
  if (maxSeconds !== undefined && !(maxSeconds > 0)) throw new InputError('--max-seconds', 'must be a number > 0', `got ${maxSeconds}`);
  const N = n.reduce((a, b) => a + b, 0);
  checkSolverSize(n.length, N, d, '--n/--d');
  const selected = theoryProblem(flags.theory, flags.unconstrained === true, bias, lambdaB);
  const problem = {
    n, lambdaW, lambdaH, d, nonNegative: selected.nonNegative, bias: selected.bias ?? bias,
    ...(selected.loss === undefined ? {} : { loss: selected.loss }), ...(lambdaB === undefined ? {} : { lambdaB }),
  };
  const backend = solveBackend(typeof flags.backend === 'string' ? flags.backend : undefined);
  const multilevel = multilevelFlag(flags.multilevel, backend);
  const line = progressLine(process.stderr);
  let routed: RoutedSolve;
  try {
    const options = { seed, ...(maxSeconds === undefined ? {} : { maxSeconds }), ...(multilevel === undefined ? {} : { multilevel }), ...(line.update ? { onProgress: line.update } : {}) };
    routed = await solveRouted(problem, options, backend);
  } finally {
    line.done();
  }
  const summary = summariseSolve(routed.result);
  process.stdout.write(flags.json === true ? `${finiteJson(jsonOutput(summary, routed))}\n` : table(summary, routed));
  if (!summary.certified) process.stderr.write(`not certified: ${summary.reason}\n`);
  return summary.certified ? 0 : 1;
}

/** `--multilevel on|off` (absent: by size); only the float64 backend chooses its own start. */
function multilevelFlag(value: string | true | undefined, backend: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value !== 'on' && value !== 'off') throw new InputError('--multilevel', 'must be on or off', `got '${String(value)}'`);
  if (backend !== 'cpu-float64') throw new InputError('--multilevel', 'applies to --backend cpu-float64 only (a tfjs backend gives the start)', `got --backend ${backend}`);
  return value === 'on';
}

/** The problem of `--theory` (default ufm-plus-ce, or the plain UFM with --unconstrained); conflicting flags are InputErrors. */
function theoryProblem(theory: string | true | undefined, unconstrained: boolean, bias: boolean, lambdaB: number | undefined): { nonNegative: boolean; loss?: Loss; bias?: boolean } {
  if (typeof theory !== 'string') return { nonNegative: !unconstrained };
  const selected = Object.hasOwn(THEORY_PROBLEMS, theory) ? THEORY_PROBLEMS[theory] : undefined;
  if (selected === undefined) throw new InputError('--theory', `must be one of ${Object.keys(THEORY_PROBLEMS).join(', ')}`, `got '${theory}'`);
  if (unconstrained) throw new InputError('--unconstrained', 'cannot be combined with --theory (the theory fixes whether H ≥ 0)');
  if (selected.bias === false && bias) throw new InputError('--bias', `does not apply to --theory ${theory} (bias-free model; use mse-bias)`);
  if (selected.loss !== undefined && lambdaB !== undefined) throw new InputError('--lb', `does not apply to --theory ${theory} (THEORY.md §4's bias is free)`);
  return selected;
}

/**
 * The `--json` object: the summary with its one wall-clock figure moved into `timings`, so that
 * everything outside `timings` is byte-identical for the same command and seed.
 */
function jsonOutput(s: SolveSummary, r: RoutedSolve): Omit<SolveSummary, 'seconds'> & { backend: string; adapter: string; route: string; timings: { seconds: number; tfjsSeconds?: number } } {
  const { seconds, ...rest } = s;
  // timings holds clock readings only: the float32 stage's seconds appear when it ran.
  const timings = r.tfjsSeconds > 0 ? { seconds: seconds + r.tfjsSeconds, tfjsSeconds: r.tfjsSeconds } : { seconds };
  return { ...rest, backend: r.backend, adapter: r.adapter, route: r.route, timings };
}

/** The human-readable report. */
function table(s: SolveSummary, r: RoutedSolve): string {
  const e = (x: number): string => x.toExponential(6);
  const lines = [
    `problem     ${s.variant}${s.bias ? ' with bias' : ''}, ${s.loss}, n = (${s.n.join(', ')}), λ_W = ${s.lambdaW}, λ_H = ${s.lambdaH}, d = ${s.d}`,
    `objective   ${s.objective.toPrecision(15)}`,
    `kktResidual ${e(s.kktResidual)}`,
    `certificate ρ = ${s.certificate.dualNormRatio.toPrecision(12)}${s.certificate.exact ? '' : ' (bound)'}` +
      (s.certificate.objectiveGap === null ? '' : `, gap ≤ ${e(s.certificate.objectiveGap)}`),
    `certified   ${s.certified ? 'yes' : `no — ${s.reason}`}`,
    `search      ${s.iterations} L-BFGS iterations, ${s.escapes} escapes, ${s.restarts} restarts, working d = ${s.workingDimension}, ${s.seconds.toFixed(3)} s`,
    `backend     ${r.backend} (${r.adapter}), route ${r.route}${r.tfjsSeconds > 0 ? `, float32 stage ${r.tfjsSeconds.toFixed(3)} s` : ''}`,
    '',
    `${'class'.padEnd(6)}${'n_k'.padStart(8)}${'featureNorm'.padStart(16)}${'classifierNorm'.padStart(16)}${'withinClassVar'.padStart(16)}`,
    ...s.classes.map((c, k) =>
      `${String(k + 1).padEnd(6)}${String(c.n).padStart(8)}${c.featureNorm.toPrecision(8).padStart(16)}` +
      `${c.classifierNorm.toPrecision(8).padStart(16)}${c.withinClassVariation.toExponential(2).padStart(16)}`),
    '',
    'classMeanGram (H̄ᵀH̄)',
    ...s.classMeanGram.map((row) => row.map((v) => v.toPrecision(6).padStart(14)).join('')),
  ];
  if (s.classifierBias !== null) lines.splice(6, 0, `bias        (${s.classifierBias.map((v) => v.toPrecision(6)).join(', ')})`);
  return `${lines.join('\n')}\n`;
}
