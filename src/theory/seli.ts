/**
 * SELI — Simplex-Encoded-Labels Interpolation (Thrampoulidis, Kini, Vakilian, Behnia, "Imbalance
 * Trouble: Revisiting Neural-Collapse Geometry", NeurIPS 2022, arXiv 2208.05512). THEORY.md §3.
 *
 * The UFM with cross-entropy, H unconstrained and vanishing regularisation λ → 0: normalised
 * solutions converge in direction to the solution of the UF-SVM
 *   min ½‖W‖² + ½‖H‖²  s.t.  (e_{y_i} − e_c)ᵀ W h_i ≥ 1  for all i and c ≠ y_i,
 * whose logits interpolate the simplex-encoded label matrix Ẑ = P Y (P = I_K − (1/K) 1 1ᵀ,
 * Y ∈ {0,1}^{K×N} one-hot, D = diag(n)). Every quantity below is the UF-SVM solution itself
 * (margins exactly 1), so norms carry that scale; ratios and cosines are scale-free.
 *
 * Notation of the paper's SVD: Ẑ = V Λ Uᵀ (compact, rank K − 1), W = V Λ^{1/2} R,
 * H = Rᵀ Λ^{1/2} Uᵀ for any partial orthonormal R (d ≥ K − 1).
 *
 * Pure functions, no I/O. Columns of H (and of Ẑ) follow {@link classLayout}: grouped by class.
 */
import { InputError } from '../errors.ts';
import { zeros, type Dense } from '../linalg/dense.ts';
import { classLayout } from '../problem/layout.ts';
import { MAX_CLASSES, validateClassSizes } from '../problem/validate.ts';
import { gramToCosines, psdSqrt, thinSvd } from './_internals/spectral.ts';

/** Largest K·N for which {@link simplexEncodedLabels} materialises Ẑ (80 MB of float64). */
export const MAX_MATERIALISED_ENTRIES = 10_000_000;

/**
 * The simplex-encoded label matrix Ẑ = P Y (K×N, paper's Ẑ): column i is e_{y_i} − (1/K) 1.
 * Columns are grouped by class ({@link classLayout}). Ẑ has only K distinct columns — the columns
 * of P — so for large N use {@link seliSvd} / the Gram functions, which work with K×K matrices only.
 *
 * @throws {@link InputError} on invalid `n`, or when K·N exceeds {@link MAX_MATERIALISED_ENTRIES}
 * @example
 * ```ts
 * const Z = simplexEncodedLabels([1, 2]); // 2×3: columns (½, −½), (−½, ½), (−½, ½)
 * ```
 */
export function simplexEncodedLabels(n: readonly number[]): Dense {
  const layout = classLayout(n);
  const { K, N, labels } = layout;
  if (K * N > MAX_MATERIALISED_ENTRIES) {
    throw new InputError('n', `K·N must be at most ${MAX_MATERIALISED_ENTRIES} to materialise Ẑ (use seliSvd)`, `got K·N = ${K * N}`);
  }
  const Z = zeros(K, N);
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < K; c++) Z.data[c * N + i] = (c === labels[i] ? 1 : 0) - 1 / K;
  }
  return Z;
}

/** The compact SVD Ẑ = V Λ Uᵀ in K×K form (nothing N×N or K×N is formed). */
export interface SeliSvd {
  /** rank(Ẑ) = K − 1 (exact: P D^{1/2} has null space span(√n) only). */
  readonly rank: number;
  /** diag(Λ) = σ_1 ≥ … ≥ σ_{K−1} > 0, the singular values of Ẑ. */
  readonly singularValues: number[];
  /** V, K×(K−1) (row k, column j): left singular vectors of Ẑ. */
  readonly V: number[][];
  /**
   * K×(K−1): row k is the row of U shared by every sample of class k, so U = Yᵀ · classU
   * (U is N×(K−1) with orthonormal columns; expand it with the class layout).
   */
  readonly classU: number[][];
}

/**
 * The compact SVD of Ẑ (paper's Ẑ = V Λ Uᵀ). Route: Ẑ = (P D^{1/2}) Q with Q = D^{−1/2} Y having
 * orthonormal rows, so the SVD of the K×K matrix P D^{1/2} = V Λ Ũᵀ gives Ẑ = V Λ (Qᵀ Ũ)ᵀ, i.e.
 * U = Yᵀ D^{−1/2} Ũ; Ẑ Ẑᵀ = P D P. The one zero singular value (exact) is dropped.
 *
 * @example
 * ```ts
 * seliSvd([5, 5, 5]).singularValues; // [√5, √5] (balanced: Λ = √(N/K) I)
 * ```
 */
export function seliSvd(n: readonly number[]): SeliSvd {
  const sizes = validateClassSizes(n);
  const K = sizes.length;
  const root = sizes.map(Math.sqrt);
  const PD = Array.from({ length: K }, (_, i) => root.map((r, j) => ((i === j ? 1 : 0) - 1 / K) * r));
  const svd = thinSvd(PD);
  const keep = K - 1;
  const V = Array.from({ length: K }, (_, k) => svd.left.slice(0, keep).map((v) => v[k]));
  const classU = Array.from({ length: K }, (_, k) => svd.right.slice(0, keep).map((u) => u[k] / root[k]));
  return { rank: keep, singularValues: svd.values.slice(0, keep), V, classU };
}

/** P D P for positive (not necessarily integer) sizes. */
function pdp(sizes: readonly number[]): number[][] {
  const K = sizes.length;
  const N = sizes.reduce((a, b) => a + b, 0);
  // (P D P)_{kl} = n_k δ_kl − (n_k + n_l)/K + N/K².
  return sizes.map((nk, k) => sizes.map((nl, l) => (k === l ? nk : 0) - (nk + nl) / K + N / (K * K)));
}

/** W Wᵀ = (P D P)^{1/2} for positive real sizes (no validation). */
function classifierGramOf(sizes: readonly number[]): number[][] {
  return psdSqrt(pdp(sizes), sizes.map(() => 1));
}

/** ⟨h̄_k, h̄_l⟩ for positive real sizes (no validation). */
function featureGramOf(sizes: readonly number[]): number[][] {
  const K = sizes.length;
  const root = sizes.map(Math.sqrt);
  // D^{1/2} P D^{1/2}: entries √(n_k n_l)(δ_kl − 1/K); null vector D^{−1/2} 1 (P kills only 1).
  const M = root.map((rk, k) => root.map((rl, l) => rk * rl * ((k === l ? 1 : 0) - 1 / K)));
  const S = psdSqrt(M, root.map((r) => 1 / r));
  return S.map((row, k) => row.map((s, l) => s / (root[k] * root[l])));
}

/**
 * The SELI classifier Gram W Wᵀ = (Ẑ Ẑᵀ)^{1/2} = (P D P)^{1/2} (THEORY.md §3; paper's W = V Λ^{1/2} R).
 * Computed by a symmetric eigendecomposition with the known null vector 1 deflated (see psdSqrt).
 *
 * @example
 * ```ts
 * seliClassifierGram([4, 4]); // [[1, −1], [−1, 1]] (= √4 · P)
 * ```
 */
export function seliClassifierGram(n: readonly number[]): number[][] {
  return classifierGramOf(validateClassSizes(n));
}

/**
 * The SELI class-mean Gram ⟨h̄_k, h̄_l⟩ = [(D^{1/2} P D^{1/2})^{1/2}]_{kl} / √(n_k n_l)
 * (THEORY.md §3; from Hᵀ H = (Ẑᵀ Ẑ)^{1/2}, paper's H = Rᵀ Λ^{1/2} Uᵀ; within-class collapse holds).
 *
 * @example
 * ```ts
 * seliFeatureGram([4, 4]); // [[¼, −¼], [−¼, ¼]] (= P/√4)
 * ```
 */
export function seliFeatureGram(n: readonly number[]): number[][] {
  return featureGramOf(validateClassSizes(n));
}

/**
 * The SELI logits per class, K×K: entry [c][k] is the logit of class c on every sample of class k,
 * i.e. column k of W H̄ = P (= e_k − (1/K) 1), since W H = Ẑ.
 *
 * @example
 * ```ts
 * seliLogitMatrix([3, 7]); // [[½, −½], [−½, ½]]
 * ```
 */
export function seliLogitMatrix(n: readonly number[]): number[][] {
  const K = validateClassSizes(n).length;
  return Array.from({ length: K }, (_, c) => Array.from({ length: K }, (_, k) => (c === k ? 1 : 0) - 1 / K));
}

/**
 * The SELI margins, K×K: entry [k][c] = z_k − z_c for a sample of class k (UF-SVM constraint
 * (e_k − e_c)ᵀ W h ≥ 1): every margin with c ≠ k is active (= 1); the diagonal is 0.
 *
 * @example
 * ```ts
 * seliMargins([3, 7]); // [[0, 1], [1, 0]]
 * ```
 */
export function seliMargins(n: readonly number[]): number[][] {
  const Z = seliLogitMatrix(n);
  return Z.map((_, k) => Z.map((__, c) => Z[k][k] - Z[c][k]));
}

/** The SELI prediction for one class-size vector. */
export interface SeliPrediction {
  readonly theory: 'seli';
  readonly K: number;
  readonly N: number;
  /** W Wᵀ = (P D P)^{1/2}. */
  readonly classifierGram: number[][];
  /** ⟨h̄_k, h̄_l⟩. */
  readonly featureGram: number[][];
  /** ‖w_k‖. */
  readonly classifierNorms: number[];
  /** ‖h̄_k‖. */
  readonly featureNorms: number[];
  /** cos(w_k, w_l). */
  readonly classifierCosines: number[][];
  /** cos(h̄_k, h̄_l). */
  readonly featureCosines: number[][];
}

/**
 * Everything SELI predicts for class sizes n (Thrampoulidis et al. 2022; THEORY.md §3), at the
 * UF-SVM scale (all margins 1). Balanced n gives a simplex ETF for both W and the class means.
 *
 * @example
 * ```ts
 * const p = predictSeli({ n: [10, 20, 40, 80] });
 * p.classifierNorms; // grows with n_k; p.classifierCosines[0][1] ≈ cosine of two minorities
 * ```
 */
export function predictSeli(input: { readonly n: readonly number[] }): SeliPrediction {
  const sizes = validateClassSizes(input.n);
  const classifierGram = classifierGramOf(sizes);
  const featureGram = featureGramOf(sizes);
  return {
    theory: 'seli',
    K: sizes.length,
    N: sizes.reduce((a, b) => a + b, 0),
    classifierGram,
    featureGram,
    classifierNorms: classifierGram.map((row, k) => Math.sqrt(row[k])),
    featureNorms: featureGram.map((row, k) => Math.sqrt(row[k])),
    classifierCosines: gramToCosines(classifierGram),
    featureCosines: gramToCosines(featureGram),
  };
}

/** Validated (K, ρ, R) of a STEP imbalance; returns the number of minority classes ρK. */
function validateStep(K: unknown, rho: unknown, R: unknown): number {
  if (typeof K !== 'number' || !Number.isInteger(K) || K < 2 || K > MAX_CLASSES) {
    throw new InputError('K', `must be an integer in [2, ${MAX_CLASSES}]`, `got ${String(K)}`);
  }
  if (typeof rho !== 'number' || !Number.isFinite(rho) || rho <= 0 || rho >= 1) {
    throw new InputError('rho', 'the minority fraction ρ must be a number in (0, 1)', `got ${String(rho)}`);
  }
  const minorities = Math.round(rho * K);
  // ρK is computed in floating point (0.3·10 = 3.0000000000000004): accept a relative slack of 1e-9.
  if (Math.abs(rho * K - minorities) > 1e-9 * K || minorities < 1 || minorities > K - 1) {
    throw new InputError('rho', 'ρK (the number of minority classes) must be an integer in [1, K − 1]', `got ρK = ${rho * K}`);
  }
  if (typeof R !== 'number' || !Number.isFinite(R) || R < 1) {
    throw new InputError('R', 'the imbalance ratio R = n_maj/n_min must be a finite number ≥ 1', `got ${String(R)}`);
  }
  return minorities;
}

/**
 * Class sizes of the (R, ρ)-STEP imbalance (Thrampoulidis et al. 2022): (1 − ρ)K majority classes
 * of size R·m FIRST (classes 1 … (1 − ρ)K), then ρK minority classes of size m.
 *
 * @param K - number of classes (integer ≥ 2)
 * @param rho - minority fraction ρ ∈ (0, 1); ρK must be an integer in [1, K − 1]
 * @param R - imbalance ratio ≥ 1; R·m must be an integer
 * @param m - minority size (positive integer), default 1
 * @throws {@link InputError} naming K, rho, R or m
 * @example
 * ```ts
 * stepSizes(5, 0.4, 10, 2); // [20, 20, 20, 2, 2]
 * ```
 */
export function stepSizes(K: number, rho: number, R: number, m = 1): number[] {
  const minorities = validateStep(K, rho, R);
  if (!Number.isInteger(m) || m < 1) throw new InputError('m', 'the minority size m must be a positive integer', `got ${String(m)}`);
  const major = Math.round(R * m);
  if (Math.abs(R * m - major) > 1e-9 * R * m) {
    throw new InputError('R', 'R·m (the majority size) must be an integer', `got R·m = ${R * m}`);
  }
  const sizes = [...new Array<number>(K - minorities).fill(major), ...new Array<number>(minorities).fill(m)];
  return validateClassSizes(sizes, 'n');
}

/** SELI geometry of an (R, ρ)-STEP imbalance (scale-free). */
export interface SeliStep {
  /** ‖w_maj‖² / ‖w_min‖². */
  readonly wNormRatio: number;
  /** ‖h̄_maj‖² / ‖h̄_min‖². */
  readonly hNormRatio: number;
  /** cos(w, w′) for two distinct majorities; null when there is only one majority class. */
  readonly cosWMajMaj: number | null;
  /** cos(w, w′) for two distinct minorities; null when there is only one minority class. */
  readonly cosWMinMin: number | null;
  /** cos(w_maj, w_min). */
  readonly cosWMajMin: number;
  /** cos(h̄, h̄′) for two distinct majorities; null when there is only one majority class. */
  readonly cosHMajMaj: number | null;
  /** cos(h̄, h̄′) for two distinct minorities; null when there is only one minority class. */
  readonly cosHMinMin: number | null;
  /** cos(h̄_maj, h̄_min). */
  readonly cosHMajMin: number;
}

/**
 * SELI norm ratios (of SQUARED norms, majority over minority) and cosines for the (R, ρ)-STEP
 * imbalance (Thrampoulidis et al. 2022, THEORY.md §3), read off the SELI Grams of the sizes
 * (R, …, R, 1, …, 1). They are invariant to scaling n, so the minority size m does not matter and
 * R may be any real ≥ 1. A same-kind cosine is null when that kind has a single class.
 *
 * @throws {@link InputError} naming K, rho or R
 * @example
 * ```ts
 * seliStep(4, 0.5, 1); // balanced: ratios 1, every cosine −1/3
 * seliStep(10, 0.5, 100).wNormRatio; // > 1: majorities get larger classifiers
 * ```
 */
export function seliStep(K: number, rho: number, R: number): SeliStep {
  const minorities = validateStep(K, rho, R);
  const majorities = K - minorities;
  const sizes = [...new Array<number>(majorities).fill(R), ...new Array<number>(minorities).fill(1)];
  const read = (G: number[][]) => {
    const C = gramToCosines(G);
    const maj = 0;
    const min = K - 1;
    return {
      ratio: G[maj][maj] / G[min][min],
      majMaj: majorities >= 2 ? C[0][1] : null,
      minMin: minorities >= 2 ? C[K - 2][K - 1] : null,
      majMin: C[maj][min],
    };
  };
  const w = read(classifierGramOf(sizes));
  const h = read(featureGramOf(sizes));
  return {
    wNormRatio: w.ratio,
    hNormRatio: h.ratio,
    cosWMajMaj: w.majMaj,
    cosWMinMin: w.minMin,
    cosWMajMin: w.majMin,
    cosHMajMaj: h.majMaj,
    cosHMinMin: h.minMin,
    cosHMajMin: h.majMin,
  };
}
