/**
 * `ncverify predict` — the closed-form prediction of a theory for given class sizes and
 * regularisers, as a table (default) or one JSON object (`--json`).
 *
 * Theories are looked up in {@link THEORIES} (name → handler). To add one, write a
 * {@link TheoryHandler} and add one entry there (and any new flag to {@link FLAGS}).
 */
import { InputError } from '../../errors.ts';
import { certifyUfmPlus } from '../../certificate/ufmPlus.ts';
import { classLayout } from '../../problem/layout.ts';
import { validateClassSizes, validateDimension, validateRegulariser } from '../../problem/validate.ts';
import { optimalPair, predictUfmPlus, UFM_PLUS_CE } from '../../theory/ufmPlusCe.ts';
import type { UfmInstance, UfmPlusPrediction } from '../../theory/types.ts';
import { type FlagSpec, type ParsedFlags, parseFlags, parseInteger, parseIntegerList, parseNumber, requireFlag } from '../args.ts';
import { formatNumber, formatTable } from '../format/table.ts';
import { finiteJson } from '../json.ts';
import { MSE_BIAS_HANDLER, MSE_DEEP_LINEAR_HANDLER, SELI_HANDLER } from '../theories/seliMse.ts';

/** The flags `predict` accepts (shared by every theory; a theory reads the ones it needs). */
export const FLAGS: FlagSpec = {
  n: 'string', lw: 'string', lh: 'string', d: 'string', theory: 'string', json: 'boolean', help: 'boolean',
  step: 'string', layers: 'string',
};

/** What a theory handler returns: the `--json` object and the human-readable text. */
export interface TheoryReport {
  readonly json: Record<string, unknown>;
  readonly text: string;
}

/** One theory of `predict --theory <name>`: a one-line summary and a function of the parsed flags. */
export interface TheoryHandler {
  /** One line for `--help`: the paper and the THEORY.md section. */
  readonly summary: string;
  /** Reads and validates its flags (InputError naming the flag), returns the report. Pure but for time. */
  predict(flags: ParsedFlags): TheoryReport | Promise<TheoryReport>;
}

/** The theories `predict` knows, by `--theory` name; the first is the default. */
export const THEORIES: Readonly<Record<string, TheoryHandler>> = {
  [UFM_PLUS_CE]: {
    summary: 'UFM+ with cross-entropy, imbalanced (Dang, Tran, Nguyen, Ho, ICML 2024), THEORY.md §1',
    predict: predictUfmPlusCe,
  },
  seli: SELI_HANDLER,
  'mse-deep-linear': MSE_DEEP_LINEAR_HANDLER,
  'mse-bias': MSE_BIAS_HANDLER,
};

const DEFAULT_THEORY = UFM_PLUS_CE;

function usage(): string {
  return [
    'usage: ncverify predict --n 10,10,40,40 --lw 5e-3 --lh 5e-3 [--d 8] [--theory ufm-plus-ce] [--json]',
    '',
    'flags:',
    '  --n N1,N2,...   class sizes n_k (positive integers, K ≥ 2)',
    '  --lw X          λ_W > 0, weight decay on the classifier W',
    '  --lh X          λ_H > 0, weight decay on the features H',
    '  --d D           feature dimension (integer ≥ K) of the explicit optimum that is certified; default K',
    '  --step K,rho,R  seli only, instead of --n: (R, ρ)-STEP sizes, ρK minorities of size m, the rest R·m',
    '  --layers M      mse-deep-linear, mse-bias: number of weight matrices (default 1)',
    `  --theory NAME   which theory (default ${DEFAULT_THEORY}):`,
    ...Object.entries(THEORIES).map(([name, t]) => `                    ${name}: ${t.summary}`),
    '  --json          print one JSON object (doubles in full precision) instead of a table',
    '  --help          print this help',
    '',
    'exit codes: 0 success, 2 usage error',
  ].join('\n');
}

/**
 * Runs `ncverify predict`. Returns the exit code (0; usage errors throw InputError → exit 2).
 *
 * @example
 * ```ts
 * await run(['--n', '10,10,40,40', '--lw', '5e-3', '--lh', '5e-3', '--json']); // prints one JSON object
 * ```
 */
export async function run(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const flags = parseFlags(argv, FLAGS);
  const name = typeof flags.theory === 'string' ? flags.theory : DEFAULT_THEORY;
  const handler = Object.hasOwn(THEORIES, name) ? THEORIES[name] : undefined;
  if (handler === undefined) {
    throw new InputError('--theory', `must be one of ${Object.keys(THEORIES).join(', ')}`, `got '${name}'`);
  }
  refuseAbsurdClassCount(flags);
  const report = await handler.predict(flags);
  process.stdout.write(flags.json === true ? `${finiteJson(report.json)}\n` : `${report.text}\n`);
  return 0;
}

/**
 * The most classes `predict` takes (any theory): the output holds K×K Gram matrices (K = 1000:
 * ≈ 25 MB of JSON) and the ufm-plus-ce certificate costs about a minute of CPU at K = 1000.
 */
export const MAX_PREDICT_CLASSES = 1000;

/** Refuses K > {@link MAX_PREDICT_CLASSES} (from --n, or the K of seli's --step) before any work. */
function refuseAbsurdClassCount(flags: ParsedFlags): void {
  const fromN = typeof flags.n === 'string';
  const K = fromN ? (flags.n as string).split(',').length : typeof flags.step === 'string' ? Number(flags.step.split(',')[0]) : 0;
  if (K > MAX_PREDICT_CLASSES) {
    throw new InputError(fromN ? '--n' : '--step', `at most K = ${MAX_PREDICT_CLASSES} classes (the output holds K×K Gram matrices)`, `got K = ${K}`);
  }
}

// --- ufm-plus-ce -------------------------------------------------------------------------------

/** The UFM instance given by --n, --lw, --lh, --d, validated under the flag names. */
function readUfmInstance(flags: ParsedFlags): UfmInstance & { n: number[] } {
  const n = validateClassSizes(parseIntegerList(requireFlag(flags, 'n'), '--n'), '--n');
  const lambdaW = validateRegulariser(parseNumber(requireFlag(flags, 'lw'), '--lw'), '--lw');
  const lambdaH = validateRegulariser(parseNumber(requireFlag(flags, 'lh'), '--lh'), '--lh');
  const dText = flags.d;
  const d = typeof dText === 'string' ? validateDimension(parseInteger(dText, '--d'), n.length, true, '--d') : undefined;
  return { n, lambdaW, lambdaH, d };
}

/** The largest d·N for which `predict` builds the explicit optimum to certify it (≈ 160 MB of H). */
const MAX_CERTIFIED_ENTRIES = 20_000_000;

interface CertificateSummary {
  /** ρ = Ω°(−∇L(WH))/sqrt(λ_W λ_H) (THEORY.md §1b), as attained (a lower bound of ρ; ρ itself when `exact`); null if not computed. */
  readonly dualNormRatio: number | null;
  /** A proven upper bound of ρ; ≤ 1 certifies a global minimum. */
  readonly dualNormRatioUpper?: number;
  /** Whether the support search closed (then dualNormRatio = ρ to 1e-9). */
  readonly exact?: boolean;
  /** f(W, H) − (a proven lower bound of f*) ≥ f − f*: how far from optimal (W, H) can be. */
  readonly optimalityGap?: number | null;
  /** The dimension of the explicit optimum (W, H) that was certified. */
  readonly d: number;
  /** Why ρ was not computed, when it was not. */
  readonly skipped?: string;
}

/** Certifies the explicit optimum {@link optimalPair} of the instance in dimension d. */
function certifyExplicitOptimum(instance: UfmInstance, d: number): CertificateSummary {
  const N = instance.n.reduce((a, b) => a + b, 0);
  if (d * N > MAX_CERTIFIED_ENTRIES) {
    return { dualNormRatio: null, d, skipped: `d·N = ${d * N} exceeds ${MAX_CERTIFIED_ENTRIES} (H would not fit comfortably in memory)` };
  }
  const { W, H } = optimalPair({ ...instance, d });
  // The one call into src/certificate (THEORY.md §1b); it does not use the closed form.
  const cert = certifyUfmPlus(W, H, classLayout(instance.n), instance);
  return {
    dualNormRatio: cert.dualNormRatio,
    dualNormRatioUpper: cert.dualNormRatioUpper,
    exact: cert.exact,
    optimalityGap: cert.optimalityGap,
    d,
  };
}

async function predictUfmPlusCe(flags: ParsedFlags): Promise<TheoryReport> {
  const instance = readUfmInstance(flags);
  const prediction = predictUfmPlus(instance);
  const d = instance.d ?? prediction.K;
  const certificate = certifyExplicitOptimum(instance, d);
  return { json: { ...prediction, d, certificate }, text: ufmPlusText(prediction, certificate) };
}

function ufmPlusText(p: UfmPlusPrediction, cert: CertificateSummary): string {
  const alive = p.classes.filter((c) => c.alive).length;
  const rows = p.classes.map((c, k) => [
    String(k + 1), String(c.n), c.alive ? 'yes' : 'no', formatNumber(c.margin), formatNumber(c.featureNorm), formatNumber(c.classifierNorm),
  ]);
  const certLine = cert.dualNormRatio === null
    ? `certificate ρ: not computed (${cert.skipped ?? 'unknown reason'})`
    : `certificate ρ = Ω°(−∇L)/sqrt(λ_W λ_H) at the explicit optimum (d = ${cert.d}): ${formatNumber(cert.dualNormRatio, 12)}`
      + `${cert.exact === true ? '' : `, ≤ ${formatNumber(cert.dualNormRatioUpper ?? NaN, 12)}`} (ρ ≤ 1 certifies a global minimum)`
      + `${cert.optimalityGap == null ? '' : `; f − f* ≤ ${formatNumber(Math.max(0, cert.optimalityGap), 3)}`}`;
  return [
    `theory ${p.theory}: ${THEORIES[p.theory]?.summary ?? ''}`,
    `K = ${p.K}, N = ${p.N}, λ_W = ${formatNumber(p.lambdaW)}, λ_H = ${formatNumber(p.lambdaH)}`,
    `threshold T = N² λ_W λ_H K/(K−1) = ${formatNumber(p.threshold)} (class k alive iff n_k > T): ${alive} of ${p.K} alive`,
    `complete collapse: ${p.completeCollapse ? 'yes (W = H = 0)' : 'no'}`,
    `optimal objective f* = ${formatNumber(p.objective, 12)}`,
    certLine,
    '',
    formatTable(['k', 'n_k', 'alive', 'margin s_k', '‖h̄_k‖', '‖w_k‖'], rows, { align: ['right', 'right', 'left'] }),
  ].join('\n');
}
