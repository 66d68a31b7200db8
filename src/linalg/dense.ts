/**
 * A dense real matrix stored row-major in a Float64Array: entry (i, j) is `data[i * cols + j]`.
 * The solver and the certificate work on this type directly (no allocation in hot loops);
 * ml-matrix is used where a decomposition is needed.
 */
import { dot } from './vector.ts';

export interface Dense {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/**
 * A rows×cols matrix of zeros.
 *
 * @example
 * ```ts
 * const W = zeros(4, 8); // W.data.length === 32
 * ```
 */
export function zeros(rows: number, cols: number): Dense {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/**
 * A matrix from an array of rows (all of the same length).
 *
 * @example
 * ```ts
 * fromRows([[1, 2], [3, 4]]).data; // Float64Array [1, 2, 3, 4]
 * ```
 */
export function fromRows(rows: readonly (readonly number[])[]): Dense {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const m = zeros(r, c);
  rows.forEach((row, i) => {
    if (row.length !== c) throw new RangeError(`fromRows: row ${i} has ${row.length} entries, expected ${c}`);
    m.data.set(row, i * c);
  });
  return m;
}

/**
 * The matrix as an array of rows (for JSON and for ml-matrix).
 *
 * @example
 * ```ts
 * toRows(fromRows([[1, 2]])); // [[1, 2]]
 * ```
 */
export function toRows(m: Dense): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/**
 * A deep copy.
 *
 * @example
 * ```ts
 * const B = clone(A); B.data[0] = 1; // A is unchanged
 * ```
 */
export function clone(m: Dense): Dense {
  return { rows: m.rows, cols: m.cols, data: new Float64Array(m.data) };
}

/**
 * C = A B (A: r×k, B: k×c), written into `out` when given.
 *
 * @example
 * ```ts
 * const Z = matmul(W, H); // K×N logits
 * ```
 */
export function matmul(A: Dense, B: Dense, out: Dense = zeros(A.rows, B.cols)): Dense {
  if (A.cols !== B.rows) throw new RangeError(`matmul: ${A.rows}×${A.cols} times ${B.rows}×${B.cols}`);
  const { rows: r, cols: k } = A;
  const c = B.cols;
  const a = A.data;
  const b = B.data;
  const o = out.data;
  o.fill(0);
  for (let i = 0; i < r; i++) {
    const oi = i * c;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      if (aip === 0) continue;
      const bp = p * c;
      for (let j = 0; j < c; j++) o[oi + j] += aip * b[bp + j];
    }
  }
  return out;
}

/**
 * The squared Frobenius norm ‖A‖_F².
 *
 * @example
 * ```ts
 * frobeniusSquared(fromRows([[3, 4]])); // 25
 * ```
 */
export function frobeniusSquared(A: Dense): number {
  return dot(A.data, A.data);
}

/**
 * The transpose Aᵀ.
 *
 * @example
 * ```ts
 * transpose(fromRows([[1, 2]])).rows; // 2
 * ```
 */
export function transpose(A: Dense): Dense {
  const T = zeros(A.cols, A.rows);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) T.data[j * A.rows + i] = A.data[i * A.cols + j];
  return T;
}

/**
 * Row k of a matrix (a classifier w_k of W), copied.
 *
 * @example
 * ```ts
 * row(fromRows([[1, 2], [3, 4]]), 1); // Float64Array [3, 4]
 * ```
 */
export function row(M: Dense, k: number): Float64Array {
  return M.data.slice(k * M.cols, (k + 1) * M.cols);
}

/**
 * Column k of a matrix (a class mean h̄_k of H̄), copied.
 *
 * @example
 * ```ts
 * column(fromRows([[1, 2], [3, 4]]), 1); // Float64Array [2, 4]
 * ```
 */
export function column(M: Dense, k: number): Float64Array {
  const out = new Float64Array(M.rows);
  for (let r = 0; r < M.rows; r++) out[r] = M.data[r * M.cols + k];
  return out;
}
