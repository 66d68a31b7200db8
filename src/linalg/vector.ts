/**
 * The float64 vector primitives of ncverify (one copy each): ⟨a, b⟩, ‖a‖, normalisation, and an
 * overflow-safe norm. Sums run left to right over the index (the rounding every caller was
 * written against).
 */

/**
 * ⟨a, b⟩ = Σ_i a_i b_i over the length of a.
 *
 * @example
 * ```ts
 * dot([1, 2], [3, 4]); // 11
 * ```
 */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * ‖a‖ = sqrt(⟨a, a⟩) (no overflow guard: see {@link scaledNorm}).
 *
 * @example
 * ```ts
 * norm([3, 4]); // 5
 * ```
 */
export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/**
 * Scales a to unit norm in place (unchanged when it is zero); returns the old norm.
 *
 * @example
 * ```ts
 * const v = Float64Array.of(3, 4);
 * normalise(v); // 5, v = (0.6, 0.8)
 * ```
 */
export function normalise(a: Float64Array): number {
  const n = norm(a);
  if (n > 0) for (let t = 0; t < a.length; t++) a[t] /= n;
  return n;
}

/**
 * The Euclidean norm of `a[start … start + len)` with stride `stride`, scaled against overflow.
 *
 * @example
 * ```ts
 * scaledNorm([3, 4]); // 5
 * scaledNorm([1e200, 1e200]); // 1.414…e200 (no overflow)
 * ```
 */
export function scaledNorm(a: ArrayLike<number>, start = 0, len = a.length, stride = 1): number {
  let scale = 0;
  for (let i = 0; i < len; i++) scale = Math.max(scale, Math.abs(a[start + i * stride]));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < len; i++) {
    const x = a[start + i * stride] / scale;
    s += x * x;
  }
  return scale * Math.sqrt(s);
}
