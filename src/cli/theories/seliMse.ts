/**
 * `ncverify predict` handlers for SELI (THEORY.md §3) and the imbalanced MSE models (THEORY.md §4),
 * registered in src/cli/commands/predict.ts's THEORIES map. Each reads only the flags it needs and
 * rejects the others with an InputError (exit 2), so that a flag is never silently ignored.
 */
import { InputError, isInputError } from '../../errors.ts';
import { validateClassSizes, validateRegulariser } from '../../problem/validate.ts';
import { predictMseBias, predictMseBiasDeep, type MseBiasPrediction } from '../../theory/mseBias.ts';
import { predictMseDeepLinear, type MseDeepLinearPrediction } from '../../theory/mseDeepLinear.ts';
import { predictSeli, seliStep, stepSizes, type SeliPrediction } from '../../theory/seli.ts';
import { type ParsedFlags, parseInteger, parseIntegerList, parseNumber, requireFlag } from '../args.ts';
import { formatNumber, formatTable } from '../format/table.ts';
import type { TheoryHandler, TheoryReport } from './handler.ts';

/** Throws when a flag that the theory does not read was given. */
function rejectFlags(flags: ParsedFlags, names: readonly string[], theory: string, why: string): void {
  for (const name of names) {
    if (flags[name] !== undefined) throw new InputError(`--${name}`, `does not apply to --theory ${theory} (${why})`);
  }
}

/** A K×K matrix as table rows with 1-based class headers. */
function matrixText(title: string, M: readonly (readonly number[])[]): string {
  const headers = ['', ...M.map((_, k) => String(k + 1))];
  const rows = M.map((row, k) => [String(k + 1), ...row.map((x) => formatNumber(x))]);
  return `${title}\n${formatTable(headers, rows)}`;
}

// --- seli --------------------------------------------------------------------------------------

/** Largest minority size m tried to make R·m an integer for `--step`. */
const MAX_MINORITY_SIZE = 1000;

/** The parsed `--step K,rho,R`, with the smallest minority size m making R·m an integer. */
interface StepFlag {
  readonly K: number;
  readonly rho: number;
  readonly R: number;
  readonly m: number;
  readonly n: number[];
}

function readStep(text: string): StepFlag {
  const parts = text.split(',');
  if (parts.length !== 3) {
    throw new InputError('--step', 'must be K,rho,R (classes, minority fraction ρ with ρK an integer, ratio R ≥ 1), e.g. 10,0.5,10', `got '${text}'`);
  }
  const K = parseInteger(parts[0], '--step K');
  const rho = parseNumber(parts[1], '--step rho');
  const R = parseNumber(parts[2], '--step R');
  try {
    seliStep(K, rho, R); // validates K, ρ, R
    for (let m = 1; m <= MAX_MINORITY_SIZE; m++) {
      if (Math.abs(R * m - Math.round(R * m)) <= 1e-9 * R * m) return { K, rho, R, m, n: stepSizes(K, rho, R, m) };
    }
  } catch (e) {
    throw isInputError(e) ? new InputError('--step', e.message) : e;
  }
  throw new InputError('--step R', `R·m must be an integer for some minority size m ≤ ${MAX_MINORITY_SIZE} (R rational)`, `got R = ${R}`);
}

function predictSeliFlags(flags: ParsedFlags): TheoryReport {
  rejectFlags(flags, ['lw', 'lh', 'd', 'layers'], 'seli', 'SELI is the λ → 0 limit: it depends on n only');
  const hasN = typeof flags.n === 'string';
  const hasStep = typeof flags.step === 'string';
  if (hasN === hasStep) throw new InputError('--n', 'give exactly one of --n N1,N2,... and --step K,rho,R for --theory seli');
  const step = hasStep ? readStep(flags.step as string) : null;
  const n = step?.n ?? validateClassSizes(parseIntegerList(flags.n as string, '--n'), '--n');
  const prediction = predictSeli({ n });
  const stepQuantities = step === null ? null : { K: step.K, rho: step.rho, R: step.R, m: step.m, ...seliStep(step.K, step.rho, step.R) };
  const json: Record<string, unknown> = { ...prediction, n };
  if (stepQuantities !== null) json.step = stepQuantities;
  return { json, text: seliText(prediction, n, stepQuantities) };
}

function seliText(p: SeliPrediction, n: readonly number[], step: (Record<string, number | null>) | null): string {
  const lines = [
    `theory seli: ${SELI_HANDLER.summary}`,
    `K = ${p.K}, N = ${p.N}, n = (${n.join(', ')}); UF-SVM scale (every margin 1)`,
    '',
    formatTable(['k', 'n_k', '‖w_k‖', '‖h̄_k‖'], p.classifierNorms.map((w, k) => [String(k + 1), String(n[k]), formatNumber(w), formatNumber(p.featureNorms[k])]), { align: ['right', 'right'] }),
    '',
    matrixText('classifierGram W Wᵀ = (P D P)^{1/2}', p.classifierGram),
    '',
    matrixText('featureGram ⟨h̄_k, h̄_l⟩', p.featureGram),
  ];
  if (step !== null) {
    lines.push('', `(R, ρ)-STEP: K = ${step.K}, ρ = ${step.rho}, R = ${step.R} (majorities first, minority size m = ${step.m})`);
    for (const key of ['wNormRatio', 'hNormRatio', 'cosWMajMaj', 'cosWMinMin', 'cosWMajMin', 'cosHMajMaj', 'cosHMinMin', 'cosHMajMin']) {
      const v = step[key];
      lines.push(`  ${key.padEnd(11)} ${v === null ? 'n/a (one class of that kind)' : formatNumber(v as number, 12)}`);
    }
  }
  return lines.join('\n');
}

/** `--theory seli`: SELI Grams (Thrampoulidis et al. 2022), from --n or --step K,rho,R. */
export const SELI_HANDLER: TheoryHandler = {
  summary: 'SELI, UFM with CE as λ → 0 (Thrampoulidis, Kini, Vakilian, Behnia, NeurIPS 2022), THEORY.md §3; --n or --step K,rho,R',
  predict: predictSeliFlags,
};

// --- mse-deep-linear, mse-bias ------------------------------------------------------------------

/** --n, --lw, --lh and --layers (default 1), validated under the flag names. */
function readMseInstance(flags: ParsedFlags, theory: string): { n: number[]; lambdaW: number; lambdaH: number; layers: number } {
  rejectFlags(flags, ['d', 'step'], theory, 'the prediction does not depend on it');
  const n = validateClassSizes(parseIntegerList(requireFlag(flags, 'n'), '--n'), '--n');
  const lambdaW = validateRegulariser(parseNumber(requireFlag(flags, 'lw'), '--lw'), '--lw');
  const lambdaH = validateRegulariser(parseNumber(requireFlag(flags, 'lh'), '--lh'), '--lh');
  const layers = typeof flags.layers === 'string' ? parseInteger(flags.layers, '--layers') : 1;
  if (layers < 1 || layers > 100) throw new InputError('--layers', 'the number of weight matrices M must be an integer in [1, 100]', `got ${layers}`);
  return { n, lambdaW, lambdaH, layers };
}

function mseDeepLinearText(p: MseDeepLinearPrediction, lambdaW: number, lambdaH: number): string {
  const rows = p.classes.map((c, k) => [
    String(k + 1), String(c.nk), c.alive ? 'yes' : 'no', formatNumber(c.x), formatNumber(c.wNormSquared), formatNumber(c.hNormSquared), formatNumber(c.wDotH),
  ]);
  return [
    `theory mse-deep-linear: ${MSE_DEEP_LINEAR_HANDLER.summary}`,
    `K = ${p.K}, N = ${p.N}, M = ${p.layers} layers, λ_W = ${formatNumber(lambdaW)}, λ_H = ${formatNumber(lambdaH)}`,
    `β = M N (N λ_W^M λ_H)^{1/M} = ${formatNumber(p.beta)}; class k alive iff n_k > ${formatNumber(p.collapseThreshold)}`,
    `optimal objective f* = ${formatNumber(p.objective, 12)}`,
    '',
    formatTable(['k', 'n_k', 'alive', 'x_k', '‖w_k‖²', '‖h̄_k‖²', 'w_kᵀh̄_k'], rows, { align: ['right', 'right', 'left'] }),
  ].join('\n');
}

function predictMseDeepLinearFlags(flags: ParsedFlags): TheoryReport {
  const input = readMseInstance(flags, 'mse-deep-linear');
  const p = predictMseDeepLinear(input);
  return { json: { ...p, lambdaW: input.lambdaW, lambdaH: input.lambdaH }, text: mseDeepLinearText(p, input.lambdaW, input.lambdaH) };
}

/** `--theory mse-deep-linear`: bias-free MSE with M linear layers (Dang et al. 2023). */
export const MSE_DEEP_LINEAR_HANDLER: TheoryHandler = {
  summary: 'MSE, bias-free, M linear layers (Dang et al., ICML 2023), THEORY.md §4(a); --layers M (default 1)',
  predict: predictMseDeepLinearFlags,
};

function mseBiasText(p: MseBiasPrediction, lambdaW: number, lambdaH: number): string {
  const rows = p.singularValues.map((s, i) => [String(i + 1), formatNumber(s), formatNumber(p.predictedSingularValues[i]), p.collapsed[i] ? 'yes' : 'no']);
  return [
    `theory ${p.theory}: ${MSE_BIAS_HANDLER.summary}`,
    ...(p.layers > 1 ? ['EXPERIMENTAL: M ≥ 2 with a bias is derived in docs/theory-mse-L.md §3 and not verified against direct optimisation beyond tiny instances'] : []),
    `K = ${p.K}, N = ${p.N}, M = ${p.layers}, λ_W = ${formatNumber(lambdaW)}, λ_H = ${formatNumber(lambdaH)}`,
    `direction i collapses iff σ_i(Ŷ)² ≤ ${formatNumber(p.collapseThreshold)}; bias b = n/N = (${p.bias.map((b) => formatNumber(b)).join(', ')})`,
    `optimal objective f* = ${formatNumber(p.objective, 12)}`,
    '',
    formatTable(['i', 'σ_i(Ŷ)', 'σ_i(W H̄ D^{1/2})', 'collapsed'], rows, { align: ['right', 'right', 'right', 'left'] }),
    '',
    matrixText('classifierGram W Wᵀ', p.classifierGram),
    '',
    matrixText('featureGram ⟨h̄_k, h̄_l⟩', p.featureGram),
  ].join('\n');
}

function predictMseBiasFlags(flags: ParsedFlags): TheoryReport {
  const input = readMseInstance(flags, 'mse-bias');
  const p = input.layers === 1 ? predictMseBias(input) : predictMseBiasDeep(input);
  return { json: { ...p, lambdaW: input.lambdaW, lambdaH: input.lambdaH }, text: mseBiasText(p, input.lambdaW, input.lambdaH) };
}

/** `--theory mse-bias`: MSE with a free bias (Liu 2024); --layers > 1 is experimental. */
export const MSE_BIAS_HANDLER: TheoryHandler = {
  summary: 'MSE with a free bias (H. Liu, arXiv 2411.17278), THEORY.md §4(b); --layers M (default 1; M ≥ 2 experimental)',
  predict: predictMseBiasFlags,
};
