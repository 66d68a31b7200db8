/**
 * The written NC-metric convention of ncverify (THEORY.md §5). Public NC codebases disagree under
 * imbalance; these are the choices made here, and {@link describeConvention} states them in one line for
 * every report.
 */

/**
 * Relative cut-off of the pseudo-inverse Σ_B†: eigenvalues of Σ_B below this times λ_max(Σ_B) are dropped
 * (and at most K−1 are kept). 1e-10 on eigenvalues is 1e-5 on the singular values of the centred means,
 * which the SVD computes to about 1e-16 · s_max absolute, so every kept value has relative error ≲ 1e-11.
 */
export const PINV_RELATIVE_CUTOFF = 1e-10;

/**
 * A class mean counts as zero (minority-collapse indicator) when ‖h̄_k‖ ≤ this times max_m ‖h̄_m‖.
 */
export const ZERO_MEAN_RELATIVE_CUTOFF = 1e-6;

/** Tunable cut-offs of the NC metrics (defaults: the constants above). */
export interface NcOptions {
  /** Relative eigenvalue cut-off of Σ_B† (default {@link PINV_RELATIVE_CUTOFF}). */
  readonly pinvRelativeCutoff?: number;
  /** Relative norm cut-off for a zero class mean (default {@link ZERO_MEAN_RELATIVE_CUTOFF}). */
  readonly zeroMeanRelativeCutoff?: number;
}

/**
 * The one-line statement of the convention with the cut-offs in force.
 *
 * @example
 * ```ts
 * describeConvention({ pinvRelativeCutoff: 1e-10, zeroMeanRelativeCutoff: 1e-6 });
 * ```
 */
export function describeConvention(c: Required<NcOptions>): string {
  return (
    'NC1 = (1/K) tr(Σ_W Σ_B†) (Papyan et al. 2020); Σ_W = (1/N) Σ_i (h_i − h̄_{y_i})(h_i − h̄_{y_i})ᵀ; ' +
    'Σ_B = (1/K) Σ_k (h̄_k − h_G)(h̄_k − h_G)ᵀ, unweighted over classes, h_G = (1/N) Σ_i h_i the sample-weighted ' +
    `global mean; Σ_B† truncated to rank ≤ K−1, dropping eigenvalues < ${c.pinvRelativeCutoff.toExponential()} · λ_max(Σ_B); ` +
    'if Σ_B = 0, NC1 = 0 when Σ_W = 0 and +∞ otherwise; class means uncentred for norms, cosines and Gram; ' +
    `a class mean is zero when ‖h̄_k‖ ≤ ${c.zeroMeanRelativeCutoff.toExponential()} · max_m ‖h̄_m‖ (cosine 0); ` +
    'NC3 target a_k = K sqrt(n_k) h̄_k − Σ_m sqrt(n_m) h̄_m; float64'
  );
}
