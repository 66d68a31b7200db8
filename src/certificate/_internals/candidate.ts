/**
 * Everything about a candidate (W, H[, b]) that both certificates (UFM+ and plain UFM) need:
 * validated inputs, the logits, G = −∇L, the objective and its balanced (AM–GM) lower bound.
 */
import { InputError } from '../../errors.ts';
import { type Dense, frobeniusSquared, matmul } from '../../linalg/dense.ts';
import { crossEntropy } from '../../loss/crossEntropy.ts';
import type { Loss } from '../../loss/loss.ts';
import type { ClassLayout } from '../../problem/layout.ts';
import type { Regularisers } from '../../problem/objective.ts';
import { validateRegulariser } from '../../problem/validate.ts';
import { negativeGradient } from './negativeGradient.ts';

/** Options shared by the certificates. */
export interface CandidateOptions {
  /** The data-fit term L (default: cross-entropy). Must be convex; the generic lower bound also needs inf L ≥ 0. */
  loss?: Loss;
  /** A bias b (length K): logits Y = W H + b 1ᵀ. */
  bias?: Float64Array;
  /** λ_b ≥ 0, the bias's regulariser (λ_b/2)‖b‖² in f (default 0: a free bias). Only with `bias`. */
  lambdaB?: number;
}

/** The evaluated candidate. */
export interface Candidate {
  logits: Dense;
  /** G = −∇L(Y). */
  G: Dense;
  /** L(Y). */
  lossValue: number;
  /** f(W, H[, b]) = L(Y) + (λ_W/2)‖W‖² + (λ_H/2)‖H‖² (+ (λ_b/2)‖b‖²). */
  objective: number;
  /** L(Y) + μ Σ_r ‖W e_r‖ ‖H_{r,:}‖ (+ (λ_b/2)‖b‖²): an upper bound of F, and ≤ f by AM–GM. */
  balancedBound: number;
  /** λ_b (0 without a bias or with a free one). */
  lambdaB: number;
  /** ⟨G, Y⟩. */
  innerGY: number;
  /** μ = sqrt(λ_W λ_H). */
  mu: number;
  /** ‖G 1‖ (the bias gradient's norm) when there is a bias, else null. */
  biasResidual: number | null;
  lossName: string;
  /** Cross-entropy: log softmax of the logits (K×N), reused by the Fenchel bound; else null. */
  logSoftmax: Float64Array | null;
}

/**
 * Validates and evaluates a candidate.
 *
 * @param nonNegative - true for UFM+ (H must be entrywise ≥ 0: the gauge bound f ≥ F needs it)
 * @throws {@link InputError} on a shape mismatch, a non-finite entry, a negative feature (UFM+), a bad λ
 */
export function evaluateCandidate(
  W: Dense,
  H: Dense,
  layout: ClassLayout,
  reg: Regularisers,
  options: CandidateOptions,
  nonNegative: boolean,
): Candidate {
  const lambdaW = validateRegulariser(reg.lambdaW, 'lambdaW');
  const lambdaH = validateRegulariser(reg.lambdaH, 'lambdaH');
  validateShapes(W, H, layout, options.bias);
  if (nonNegative) {
    const at = firstNegative(H.data);
    if (at >= 0) {
      throw new InputError('H', 'UFM+ features must be entrywise non-negative (H ≥ 0)', `got H[${Math.floor(at / H.cols)}][${at % H.cols}] = ${H.data[at]}`);
    }
  }
  const lambdaB = validateBiasRegulariser(options);
  const loss = options.loss ?? crossEntropy;
  const logits = matmul(W, H);
  const { K, N } = layout;
  if (options.bias !== undefined) {
    for (let k = 0; k < K; k++) for (let i = 0; i < N; i++) logits.data[k * N + i] += options.bias[k];
  }
  const { value: lossValue, G, logSoftmax } = negativeGradient(logits, layout, loss);
  let biasPenalty = 0;
  if (options.bias !== undefined) for (const bk of options.bias) biasPenalty += 0.5 * lambdaB * bk * bk;
  const objective = lossValue + 0.5 * lambdaW * frobeniusSquared(W) + 0.5 * lambdaH * frobeniusSquared(H) + biasPenalty;
  const mu = Math.sqrt(lambdaW * lambdaH);
  let innerGY = 0;
  for (let i = 0; i < G.data.length; i++) innerGY += G.data[i] * logits.data[i];
  return {
    logits,
    G,
    lossValue,
    objective,
    balancedBound: lossValue + mu * factorNormSum(W, H) + biasPenalty,
    lambdaB,
    innerGY,
    mu,
    biasResidual: options.bias === undefined ? null : rowSumNorm(G),
    lossName: loss.name,
    logSoftmax,
  };
}

function validateBiasRegulariser(options: CandidateOptions): number {
  if (options.lambdaB === undefined) return 0;
  if (options.bias === undefined) throw new InputError('lambdaB', 'only applies with a bias');
  const l = options.lambdaB;
  if (typeof l !== 'number' || !Number.isFinite(l) || l < 0) throw new InputError('lambdaB', 'must be a finite number ≥ 0 (0 = free bias)', `got ${String(l)}`);
  return l;
}

function firstNegative(x: Float64Array): number {
  for (let i = 0; i < x.length; i++) if (x[i] < 0) return i;
  return -1;
}

function allFinite(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return false;
  return true;
}

function validateShapes(W: Dense, H: Dense, layout: ClassLayout, bias: Float64Array | undefined): void {
  if (W.rows !== layout.K) throw new InputError('W', `must have K = ${layout.K} rows (one per class)`, `got ${W.rows}`);
  if (H.cols !== layout.N) throw new InputError('H', `must have N = ${layout.N} columns (one per sample)`, `got ${H.cols}`);
  if (W.cols !== H.rows) throw new InputError('H', `must have d = ${W.cols} rows (W's column count)`, `got ${H.rows}`);
  if (!allFinite(W.data)) throw new InputError('W', 'every entry must be finite');
  if (!allFinite(H.data)) throw new InputError('H', 'every entry must be finite');
  if (bias !== undefined) {
    if (bias.length !== layout.K) throw new InputError('bias', `must have K = ${layout.K} entries`, `got ${bias.length}`);
    if (!allFinite(bias)) throw new InputError('bias', 'every entry must be finite');
  }
}

/** Σ_r ‖W e_r‖ ‖H_{r,:}‖ over the d coordinates. */
function factorNormSum(W: Dense, H: Dense): number {
  let total = 0;
  for (let r = 0; r < W.cols; r++) {
    let w = 0;
    for (let k = 0; k < W.rows; k++) w += W.data[k * W.cols + r] ** 2;
    let h = 0;
    for (let i = 0; i < H.cols; i++) h += H.data[r * H.cols + i] ** 2;
    total += Math.sqrt(w * h);
  }
  return total;
}

function rowSumNorm(G: Dense): number {
  let total = 0;
  for (let k = 0; k < G.rows; k++) {
    let s = 0;
    for (let i = 0; i < G.cols; i++) s += G.data[k * G.cols + i];
    total += s * s;
  }
  return Math.sqrt(total);
}
