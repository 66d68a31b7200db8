import { norm } from '../linalg/vector.ts';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { Evaluator } from './objective/evaluator.ts';

/** How a point was moved from one feature dimension to another. */
export type CompactionKind = 'pad' | 'drop-unused' | 'merge-parallel' | 'class-means' | 'range';

/** A point in the target dimension and how it was obtained. */
export interface Compacted {
  x: Float64Array;
  kind: CompactionKind;
  /** true when Z = W H (+ b) is unchanged and f did not rise (no re-solve needed in theory). */
  exact: boolean;
}

/** Relative size below which a coordinate or a class mean counts as zero. */
const ZERO = 1e-12;

/**
 * Moves x from `from`'s feature dimension to `to`'s (THEORY.md §2, "compaction"). Every step is a
 * change of basis W ← W Q, H ← Qᵀ H with Q (d_from × r) having orthonormal columns, so
 * ‖Qᵀ H‖ ≤ ‖H‖ and ‖W Q‖ ≤ ‖W‖ (Bessel), and Z is unchanged when the rows of H lie in span(Q):
 *
 * 1. keep only the coordinates j used by Z (W[:, j] ≠ 0 and H[j, :] ≠ 0), zero-padded — exact;
 * 2. merge parallel rows: if H[j, :] = a_j ĥ for j in a group, one coordinate with
 *    q_j = a_j/‖a‖ carries ‖a‖ ĥ and W's column Σ a_j W[:, j]/‖a‖ — exact (Z unchanged, ‖H‖
 *    unchanged; for UFM+ the a_j are > 0, so H stays ≥ 0). At a collapsed point whose class
 *    means have disjoint supports this leaves one coordinate per alive class;
 * 3. if still more than d_to remain, project on a basis that need not contain H's rows — UFM+:
 *    the normalised class means ĥ_k (≥ 0, so Qᵀ H ≥ 0); plain UFM: the top eigenvectors of H Hᵀ.
 *    Reported as inexact: the caller re-solves and certifies again.
 * Returns null when even step 3's basis does not fit (more classes alive than d_to).
 *
 * @example
 * ```ts
 * const c = compact(evWork, x, evFinal); // c.x lives in evFinal's dimension
 * ```
 */
export function compact(from: Evaluator, x: Float64Array, to: Evaluator): Compacted | null {
  const used = usedCoordinates(from, x);
  if (used.length <= to.d) {
    const Q = used.map((j) => unit(from.d, j));
    return { x: project(from, x, to, Q), kind: used.length === from.d && from.d <= to.d ? 'pad' : 'drop-unused', exact: true };
  }
  const groups = parallelGroups(from, x, used);
  if (groups.length <= to.d) return { x: project(from, x, to, groups), kind: 'merge-parallel', exact: true };
  const Q = from.problem.nonNegative ? classMeanBasis(from, x) : rangeBasis(from, x, to.d);
  if (Q.length > to.d) return null;
  return { x: project(from, x, to, Q), kind: from.problem.nonNegative ? 'class-means' : 'range', exact: false };
}

/** Rows of H closer than this (sup norm, after normalisation) count as parallel. */
const PARALLEL = 1e-9;

/**
 * Groups the used rows of H by direction (up to sign for the plain UFM) and returns one basis
 * vector per group: q_j = a_j/‖a‖ with a_j = ⟨H[j, :], ĥ⟩, ĥ the group's first normalised row.
 */
function parallelGroups(ev: Evaluator, x: Float64Array, used: number[]): Float64Array[] {
  const { d, N } = ev;
  const H = ev.H(x);
  const reps: Float64Array[] = [];
  const members: number[][] = [];
  for (const j of used) {
    const row = H.subarray(j * N, (j + 1) * N);
    const dir = Float64Array.from(row);
    const len = norm(dir);
    let lead = 0;
    for (let i = 0; i < N; i++) if (Math.abs(dir[i]) > Math.abs(dir[lead])) lead = i;
    const sign = dir[lead] < 0 ? -1 : 1;
    for (let i = 0; i < N; i++) dir[i] *= sign / len;
    let g = reps.findIndex((r) => maxDiff(r, dir) <= PARALLEL);
    if (g < 0) {
      g = reps.length;
      reps.push(dir);
      members.push([]);
    }
    members[g].push(j);
  }
  return members.map((js, g) => {
    const q = new Float64Array(d);
    for (const j of js) {
      let a = 0;
      for (let i = 0; i < N; i++) a += H[j * N + i] * reps[g][i];
      q[j] = a;
    }
    const len = norm(q);
    return q.map((t) => t / len);
  });
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Coordinates j with W[:, j] ≠ 0 and H[j, :] ≠ 0 (relative to the largest entries). */
function usedCoordinates(ev: Evaluator, x: Float64Array): number[] {
  const { K, d, N } = ev;
  const W = ev.W(x);
  const H = ev.H(x);
  let wMax = 0;
  for (const w of W) wMax = Math.max(wMax, Math.abs(w));
  let hMax = 0;
  for (const h of H) hMax = Math.max(hMax, Math.abs(h));
  const out: number[] = [];
  for (let j = 0; j < d; j++) {
    let w = 0;
    for (let k = 0; k < K; k++) w = Math.max(w, Math.abs(W[k * d + j]));
    let h = 0;
    for (let i = 0; i < N; i++) h = Math.max(h, Math.abs(H[j * N + i]));
    if (w > 0 && h > 0 && !(w <= ZERO * wMax && h <= ZERO * hMax)) out.push(j);
  }
  return out;
}

/** The unit vector e_j of length d. */
function unit(d: number, j: number): Float64Array {
  const e = new Float64Array(d);
  e[j] = 1;
  return e;
}

/** Normalised class means ĥ_k of the classes whose mean is not (relatively) zero. */
function classMeanBasis(ev: Evaluator, x: Float64Array): Float64Array[] {
  const { d, N } = ev;
  const { offsets, sizes, K } = ev.problem.layout;
  const H = ev.H(x);
  const means: Float64Array[] = [];
  let largest = 0;
  for (let c = 0; c < K; c++) {
    const m = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let i = offsets[c]; i < offsets[c + 1]; i++) s += H[j * N + i];
      m[j] = s / sizes[c];
    }
    means.push(m);
    largest = Math.max(largest, norm(m));
  }
  return means.filter((m) => norm(m) > ZERO * largest).map((m) => m.map((t) => t / norm(m)));
}

/** The eigenvectors of H Hᵀ for its largest eigenvalues (at most `r`, and only non-negligible ones). */
function rangeBasis(ev: Evaluator, x: Float64Array, r: number): Float64Array[] {
  const { d, N } = ev;
  const H = ev.H(x);
  const M = new Matrix(d, d);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += H[a * N + i] * H[b * N + i];
      M.set(a, b, s);
      M.set(b, a, s);
    }
  }
  const eig = new EigenvalueDecomposition(M, { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const order = [...values.keys()].sort((p, q) => values[q] - values[p]);
  const top = values[order[0]];
  const keep = order.filter((t) => values[t] > ZERO * top).slice(0, r + 1);
  return keep.map((t) => Float64Array.from(eig.eigenvectorMatrix.getColumn(t)));
}

/** W' = W Q, H' = Qᵀ H (Q given by its columns), bias copied; padded with zero coordinates. */
function project(from: Evaluator, x: Float64Array, to: Evaluator, Q: Float64Array[]): Float64Array {
  const { K, N } = from;
  const dF = from.d;
  const dT = to.d;
  const W = from.W(x);
  const H = from.H(x);
  const y = new Float64Array(to.size);
  const W2 = to.W(y);
  const H2 = to.H(y);
  Q.forEach((q, r) => {
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < dF; j++) s += W[k * dF + j] * q[j];
      W2[k * dT + r] = s;
    }
    for (let j = 0; j < dF; j++) {
      if (q[j] === 0) continue;
      for (let i = 0; i < N; i++) H2[r * N + i] += q[j] * H[j * N + i];
    }
    if (from.problem.nonNegative) for (let i = 0; i < N; i++) H2[r * N + i] = Math.max(H2[r * N + i], 0);
  });
  const b = from.b(x);
  if (b) to.b(y)?.set(b);
  return y;
}
