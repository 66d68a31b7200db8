/**
 * Small float64 vector helpers shared by the NC metrics (overflow-safe norms, zero-safe cosines).
 */

/**
 * The Euclidean norm of `a[start … start + len)` with stride `stride`, scaled against overflow.
 * @example
 * ```ts
 * norm([3, 4]); // 5
 * norm([1e200, 1e200]); // 1.414…e200 (no overflow)
 * ```
 */
export function norm(a: ArrayLike<number>, start = 0, len = a.length, stride = 1): number {
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

/**
 * ⟨a, b⟩ for two equal-length arrays.
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
 * cos(a, b) = ⟨a, b⟩/(‖a‖‖b‖), clamped to [−1, 1]; zero-safe: 1 when both vectors are exactly zero (they
 * agree), 0 when exactly one is.
 * @example
 * ```ts
 * cosine([1, 0], [1, 1]); // 0.7071…
 * cosine([0, 0], [0, 0]); // 1
 * cosine([0, 0], [1, 0]); // 0
 * ```
 */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = norm(a);
  const nb = norm(b);
  if (na === 0 || nb === 0) return na === nb ? 1 : 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] / na) * (b[i] / nb);
  return Math.max(-1, Math.min(1, s));
}
