/**
 * Certified optima of the MSE unconstrained-feature model with one weight matrix (THEORY.md §4: the
 * bias-free model (a) with M = 1, and the free-bias model (b) with L = 1), solved by the float64
 * solver with the {@link mse} loss and H free, and the measured quantities the MSE claims read, each
 * with a PROVEN error bound. Memoised per instance by the optimum layer (./optima.ts).
 *
 * Tolerances (derived, never tuned). Let δ ≥ f(W, H[, b]) − f* (the certificate's Fenchel bound; for
 * the free bias, that of the bias-profiled problem via {@link centredMse}; never below rounding).
 * 1. Logits. F(Z) = L(Z) + μ‖Z‖_* (μ = sqrt(λ_W λ_H)) is the convex bound of THEORY.md §1b, tight at
 *    the optimum (d ≥ K). MSE is (1/N)-strongly convex in Z, so F(Z) − F* ≥ ‖Z − Z*‖²/(2N) and
 *    ‖Z − Z*‖_F ≤ sqrt(2Nδ). With a free bias the bound holds for the centred Z C (C = I − 11ᵀ/N; the
 *    profiled loss is strongly convex there), and the uncentred part Z 11ᵀ/N = W h_G 1ᵀ is bounded
 *    by the block argument below (h_G = 0 for the best H given W): ‖Z − Z*‖_F ≤ e_Z,
 *    e_Z = sqrt(2Nδ) [+ ‖W‖₂ sqrt(2δ/λ_H) with a bias]. Every logit quantity follows: W H̄ D^{1/2} = Z Qᵀ
 *    (Q = D^{−1/2} Y, orthonormal rows) moves by ≤ e_Z in Frobenius norm, its singular values by ≤ e_Z
 *    (Weyl), column k of W H̄ by ≤ e_Z/sqrt(n_k).
 * 2. Grams, via an exact identity. With E = λ_W WᵀW − λ_H H Hᵀ (measured; 0 at every stationary point),
 *    (W Wᵀ)² = (λ_H/λ_W) Z Zᵀ + W E Wᵀ/λ_W, and at the optimum (W*W*ᵀ)² = (λ_H/λ_W) Z* Z*ᵀ. So
 *    ‖(W Wᵀ)² − (W*W*ᵀ)²‖_F ≤ ε_P = (λ_H/λ_W) e_Z (2‖Z‖₂ + e_Z) + ‖W E Wᵀ‖_F/λ_W, and for PSD square roots
 *    ‖A^{1/2} − B^{1/2}‖_F ≤ min( sqrt(K ‖A − B‖₂), ‖A − B‖_F/λ_min(A)^{1/2} ) (operator Hölder bound,
 *    rank ≤ K; Lipschitz bound of the square root away from 0). The first term is what makes the
 *    bound honest at the collapse threshold, where the landscape is flat to fourth order.
 *    Likewise for Ā = H Qᵀ = H̄ D^{1/2} (H_⊥ = H − Ā Q the within-class part):
 *    (ĀᵀĀ)² = (λ_W/λ_H)(Z Qᵀ)ᵀ(Z Qᵀ) − Āᵀ(E/λ_H + H_⊥H_⊥ᵀ)Ā, and ⟨h̄_k, h̄_l⟩ = (ĀᵀĀ)_{kl}/sqrt(n_k n_l).
 * 3. Within-class collapse. For fixed W (and b), f is λ_H-strongly convex in H and its minimiser
 *    H°(W) is collapsed, so ‖H_⊥‖_F ≤ ‖H − H°‖_F ≤ sqrt(2δ/λ_H): class k's variation ≤ sqrt(2δ/(λ_H n_k)).
 *    The bias: f is 1-strongly convex in b and the best b for (W, H) is n/N − W h_G, so
 *    ‖b − n/N‖ ≤ sqrt(2δ) + ‖W‖₂ sqrt(2δ/(λ_H N)).
 */
import { certifyUfm } from '../certificate/ufm.ts';
import { type Dense, matmul, toRows, transpose, zeros } from '../linalg/dense.ts';
import { frobeniusNorm, spectralNorm, symmetricEigenRange } from '../linalg/matrixNorms.ts';
import { centredMse, mse } from '../loss/mse.ts';
import { type ClassLayout, classLayout } from '../problem/layout.ts';
import { solve } from '../solver/solver.ts';
import { admit, claimSolveOptions, DEFAULT_SOLVE, objectiveRoundoff, provenGap, type SolveSettings } from './policy.ts';
import { type Recorder, shape } from './ledger.ts';

/** An MSE instance (one weight matrix); `bias`: a free, unregularised bias b. */
export interface MseInstance {
  readonly n: readonly number[];
  readonly lambdaW: number;
  readonly lambdaH: number;
  readonly d: number;
  readonly bias: boolean;
}

/** The certified optimum and its measured quantities, each with a proven error bound. */
export interface MseOptimum {
  readonly instance: MseInstance;
  readonly layout: ClassLayout;
  readonly W: Dense;
  readonly H: Dense;
  readonly b: number[] | null;
  readonly objective: number;
  /** Whether the solver certified the point (ρ ≤ 1 + 1e-6 and KKT residual ≤ 1e-10); δ is proven either way. */
  readonly certified: boolean;
  /** δ ≥ f − f*. */
  readonly gap: number;
  /** e_Z ≥ ‖Z − Z*‖_F. */
  readonly eZ: number;
  /** W Wᵀ, and t_W ≥ ‖W Wᵀ − W*W*ᵀ‖_F. */
  readonly classifierGram: number[][];
  readonly classifierGramError: number;
  /** ĀᵀĀ = D^{1/2} H̄ᵀH̄ D^{1/2}, and t_A ≥ its Frobenius error. */
  readonly scaledFeatureGram: number[][];
  readonly scaledFeatureGramError: number;
  /** ⟨h̄_k, h̄_l⟩; entry error ≤ t_A/sqrt(n_k n_l). */
  readonly featureGram: number[][];
  /** W H̄ D^{1/2} = Z Qᵀ (K×K); Frobenius error ≤ e_Z. */
  readonly scaledLogits: number[][];
  /** W H̄ (K×K, [c][k]: logit of class c on class k's mean); column k error ≤ e_Z/sqrt(n_k). */
  readonly logits: number[][];
  /** sqrt((1/n_k) Σ_i ‖h_i − h̄_k‖²), and its bound sqrt(2δ/(λ_H n_k)). */
  readonly withinClass: number[];
  readonly withinClassError: number[];
  /** ‖b − b*‖ bound (bias only). */
  readonly biasError: number | null;
}

/** The seed salt of the free-bias model, so that it starts elsewhere than the bias-free one (./policy.ts). */
const BIAS_SALT = 0x5bd1e995;

/** min( sqrt(K ε), ε/sqrt(λ_min(A)) ) with A = X², X = the measured PSD root (λ_min(A) = λ_min(X)²). */
function rootError(epsilon: number, X: number[][]): number {
  const K = X.length;
  const lowest = symmetricEigenRange(X).min;
  const holder = Math.sqrt(K * epsilon);
  return lowest > 0 ? Math.min(holder, epsilon / lowest) : holder;
}

/** M Qᵀ for M with N columns: column k = (Σ_{i ∈ k} M_{:,i})/sqrt(n_k). */
function classSumsScaled(M: Dense, layout: ClassLayout): Dense {
  const out = zeros(M.rows, layout.K);
  for (let r = 0; r < M.rows; r++) {
    for (let k = 0; k < layout.K; k++) {
      let s = 0;
      for (let i = layout.offsets[k]; i < layout.offsets[k + 1]; i++) s += M.data[r * M.cols + i];
      out.data[r * layout.K + k] = s / Math.sqrt(layout.sizes[k]);
    }
  }
  return out;
}

/**
 * The certified optimum of an MSE instance with its proven error bounds (module comment).
 *
 * @throws UncertifiedError when the point is neither certified nor has a small proven gap (./policy.ts)
 * @example
 * ```ts
 * const o = solveMse({ n: [3, 12, 20, 40], lambdaW: 3.6e-2, lambdaH: 2.5e-2, d: 4, bias: false }, () => {});
 * o.classifierGram[0][0]; // ≈ 0: class 1 (n = 3 ≤ N²λ_Wλ_H = 5.06) collapses
 * ```
 */
export function solveMse(instance: MseInstance, record: Recorder, settings: SolveSettings = DEFAULT_SOLVE): MseOptimum {
  const { n, lambdaW, lambdaH, d, bias } = instance;
  const layout = classLayout(n);
  const { K, N } = layout;
  const options = claimSolveOptions(settings, { n, lambdaW, lambdaH, d }, bias ? BIAS_SALT : 0);
  const seed = options.seed;
  const r = solve({ n, lambdaW, lambdaH, d, nonNegative: false, bias, loss: mse }, options);
  record({ family: 'mse', ...shape(n, d), certified: r.certified, certifiable: true, insideAssumptions: true, escapes: r.escapes, restarts: r.restarts, route: 'float64', settings: settings.name });
  const reg = { lambdaW, lambdaH };
  let lower: number | null = bias ? certifyUfm(r.W, r.H, layout, reg, { loss: centredMse }).lowerBound : null;
  if (!bias && r.certificate.objectiveGap !== null) lower = r.objective - r.certificate.objectiveGap;
  const gap = provenGap(lower === null ? null : r.objective - lower, objectiveRoundoff({ N, K, d }, r.objective));
  admit({ certified: r.certified, gap, objective: r.objective }, true, () => `the MSE instance ${JSON.stringify(instance)}: ${r.reason} (ρ = ${r.certificate.dualNormRatio})`);
  const { W, H } = r;
  const Z = matmul(W, H);
  const wNorm = spectralNorm(W);
  const eZ = Math.sqrt(2 * N * gap) + (bias ? wNorm * Math.sqrt((2 * gap) / lambdaH) : 0);
  // E = λ_W WᵀW − λ_H H Hᵀ.
  const WtW = matmul(transpose(W), W);
  const HHt = matmul(H, transpose(H));
  const E = zeros(d, d);
  for (let t = 0; t < d * d; t++) E.data[t] = lambdaW * WtW.data[t] - lambdaH * HHt.data[t];
  const gram = matmul(W, transpose(W));
  const epsP = (lambdaH / lambdaW) * eZ * (2 * spectralNorm(Z) + eZ) + frobeniusNorm(matmul(matmul(W, E), transpose(W))) / lambdaW;
  // Features: Ā = H Qᵀ, H_⊥ = H − Ā Q.
  const Abar = classSumsScaled(H, layout);
  const Hperp = zeros(d, N);
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < K; k++) {
      const mean = Abar.data[j * K + k] / Math.sqrt(layout.sizes[k]);
      for (let i = layout.offsets[k]; i < layout.offsets[k + 1]; i++) Hperp.data[j * N + i] = H.data[j * N + i] - mean;
    }
  }
  const inner = matmul(Hperp, transpose(Hperp));
  for (let t = 0; t < d * d; t++) inner.data[t] += E.data[t] / lambdaH;
  const ZQ = classSumsScaled(Z, layout);
  const epsQ = (lambdaW / lambdaH) * eZ * (2 * spectralNorm(ZQ) + eZ) + frobeniusNorm(matmul(matmul(transpose(Abar), inner), Abar));
  const AtA = toRows(matmul(transpose(Abar), Abar));
  const root = n.map(Math.sqrt);
  const within = Array.from({ length: K }, (_, k) => {
    let s = 0;
    for (let j = 0; j < d; j++) for (let i = layout.offsets[k]; i < layout.offsets[k + 1]; i++) s += Hperp.data[j * N + i] ** 2;
    return Math.sqrt(s / n[k]);
  });
  const scaledLogits = toRows(ZQ);
  return {
    instance,
    layout,
    W, H, b: r.b,
    objective: r.objective,
    certified: r.certified,
    gap,
    eZ,
    classifierGram: toRows(gram),
    classifierGramError: rootError(epsP, toRows(gram)),
    scaledFeatureGram: AtA,
    scaledFeatureGramError: rootError(epsQ, AtA),
    featureGram: AtA.map((row, k) => row.map((a, l) => a / (root[k] * root[l]))),
    scaledLogits,
    logits: scaledLogits.map((row) => row.map((z, k) => z / root[k])),
    withinClass: within,
    withinClassError: n.map((nk) => Math.sqrt((2 * gap) / (lambdaH * nk))),
    biasError: bias ? Math.sqrt(2 * gap) + wNorm * Math.sqrt((2 * gap) / (lambdaH * N)) : null,
  };
}
