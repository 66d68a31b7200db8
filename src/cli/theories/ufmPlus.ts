/**
 * The `predict --theory ufm-plus-ce` handler: the closed form of UFM+ with cross-entropy (Dang, Tran,
 * Nguyen, Ho, ICML 2024; THEORY.md §1) and the certificate of its explicit optimum.
 */
import { certifyUfmPlus } from '../../certificate/ufmPlus.ts';
import { classLayout } from '../../problem/layout.ts';
import { validateClassSizes, validateDimension, validateRegulariser } from '../../problem/validate.ts';
import { optimalPair, predictUfmPlus } from '../../theory/ufmPlusCe.ts';
import type { UfmInstance, UfmPlusPrediction } from '../../theory/types.ts';
import { type ParsedFlags, parseInteger, parseIntegerList, parseNumber, requireFlag } from '../args.ts';
import { formatNumber, formatTable } from '../format/table.ts';
import type { TheoryHandler, TheoryReport } from './handler.ts';

const SUMMARY = 'UFM+ with cross-entropy, imbalanced (Dang, Tran, Nguyen, Ho, ICML 2024), THEORY.md §1';

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
    `theory ${p.theory}: ${SUMMARY}`,
    `K = ${p.K}, N = ${p.N}, λ_W = ${formatNumber(p.lambdaW)}, λ_H = ${formatNumber(p.lambdaH)}`,
    `threshold T = N² λ_W λ_H K/(K−1) = ${formatNumber(p.threshold)} (class k alive iff n_k > T): ${alive} of ${p.K} alive`,
    `complete collapse: ${p.completeCollapse ? 'yes (W = H = 0)' : 'no'}`,
    `optimal objective f* = ${formatNumber(p.objective, 12)}`,
    certLine,
    '',
    formatTable(['k', 'n_k', 'alive', 'margin s_k', '‖h̄_k‖', '‖w_k‖'], rows, { align: ['right', 'right', 'left'] }),
  ].join('\n');
}

/** `predict --theory ufm-plus-ce`. */
export const UFM_PLUS_HANDLER: TheoryHandler = { summary: SUMMARY, predict: predictUfmPlusCe };
