/**
 * The vector helpers the claims read geometry with: one copy each, from src/linalg and src/metrics.
 */
export { column, row } from '../../src/linalg/dense.ts';
export { dot, norm } from '../../src/linalg/vector.ts';

/** ‖a − b‖₂. */
export function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

/** The indices 0..K−1. */
export function classes(K: number): number[] {
  return Array.from({ length: K }, (_, k) => k);
}

/** All pairs j < k of 0..K−1. */
export function pairs(K: number): [number, number][] {
  const out: [number, number][] = [];
  for (let j = 0; j < K; j++) for (let k = j + 1; k < K; k++) out.push([j, k]);
  return out;
}
