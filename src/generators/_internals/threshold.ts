/**
 * The minority-collapse threshold T = N² λ_W λ_H K / (K−1) of UFM+ with cross-entropy
 * (Dang et al., ICML 2024; THEORY.md §1, "Collapse test": class k is alive iff n_k > T).
 *
 * Kept here, independent of src/theory, so that generated instances and the properties that use them do
 * not share code with the implementation under test. Evaluated left to right in exactly this order; the
 * side guarantees of {@link regularisersForThreshold} refer to this evaluation.
 * @example
 * ```ts
 * thresholdOf(1000, 5, 1e-3, 1e-3); // 1.25 (up to rounding)
 * ```
 */
export function thresholdOf(N: number, K: number, lambdaW: number, lambdaH: number): number {
  return (N * N * lambdaW * lambdaH * K) / (K - 1);
}

/**
 * The next double above x (x finite, > 0).
 * @example
 * ```ts
 * nextUp(1) - 1; // Number.EPSILON
 * ```
 */
export function nextUp(x: number): number {
  const f = new Float64Array([x]);
  const u = new BigInt64Array(f.buffer);
  u[0] += 1n;
  return f[0];
}

/**
 * The next double below x (x finite, > 0).
 * @example
 * ```ts
 * 1 - nextDown(1); // Number.EPSILON / 2
 * ```
 */
export function nextDown(x: number): number {
  const f = new Float64Array([x]);
  const u = new BigInt64Array(f.buffer);
  u[0] -= 1n;
  return f[0];
}

/**
 * Regularisers (λ_W, λ_H) that put the threshold at `target`: λ_W λ_H = target (K−1)/(N² K), split as
 * λ_W = sqrt(λ_W λ_H) · 10^s, λ_H = λ_W λ_H / λ_W, with s = skew · s_max, skew ∈ [−1, 1] and
 * s_max = min(1, log10(range.max/g), log10(g/range.min)) for g = sqrt(λ_W λ_H) — so both λ's stay in `range`
 * whenever g does (s_max < 0, g outside the range: s = 0). Rounding is then corrected by moving λ_H one ulp at
 * a time so that {@link thresholdOf} lands on the requested side: `'atLeast'` → T ≥ target,
 * `'atMost'` → T ≤ target. The corrected T is within a few ulp of `target` (relative error ≲ 1e-15).
 * @example
 * ```ts
 * const { lambdaW, lambdaH } = regularisersForThreshold(100, 4, 7, 0, 'atLeast', { min: 1e-5, max: 1e-1 });
 * thresholdOf(100, 4, lambdaW, lambdaH) >= 7; // true
 * ```
 */
export function regularisersForThreshold(
  N: number,
  K: number,
  target: number,
  skew: number,
  side: 'atLeast' | 'atMost',
  range: { min: number; max: number },
): { lambdaW: number; lambdaH: number } {
  const product = (target * (K - 1)) / (N * N * K);
  const g = Math.sqrt(product);
  const sMax = Math.min(1, Math.log10(range.max / g), Math.log10(g / range.min));
  const lambdaW = sMax > 0 ? g * 10 ** (skew * sMax) : g;
  let lambdaH = product / lambdaW;
  // A handful of iterations at most: each ulp of λ_H moves T by about one ulp.
  for (let i = 0; i < 64; i++) {
    const T = thresholdOf(N, K, lambdaW, lambdaH);
    if (side === 'atLeast' ? T >= target : T <= target) return { lambdaW, lambdaH };
    lambdaH = side === 'atLeast' ? nextUp(lambdaH) : nextDown(lambdaH);
  }
  throw new Error(`regularisersForThreshold: could not place T on the ${side} side of ${target}`);
}
