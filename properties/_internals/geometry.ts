import type { Dense } from '../../src/linalg/dense.ts';

/** Row k of a matrix (a classifier w_k of W). */
export function row(M: Dense, k: number): Float64Array {
  return M.data.slice(k * M.cols, (k + 1) * M.cols);
}

/** Column k of a matrix (a class mean h̄_k of H̄). */
export function column(M: Dense, k: number): Float64Array {
  const out = new Float64Array(M.rows);
  for (let r = 0; r < M.rows; r++) out[r] = M.data[r * M.cols + k];
  return out;
}

/** ⟨a, b⟩. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** ‖a‖₂. */
export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

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
