import { scaledNorm as norm } from '../linalg/vector.ts';

/**
 * Zero-safe cosines for the NC metrics (norm and dot: src/linalg/vector.ts).
 */

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
