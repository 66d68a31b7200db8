import { InputError } from '../errors.ts';
import type { Dense } from '../linalg/dense.ts';
import type { ClassLayout } from '../problem/layout.ts';

/**
 * Checks features H (d×N, columns grouped by class as in `layout`) and returns max |H_{r,i}|.
 * @throws InputError on a shape mismatch or a non-finite entry
 * @example
 * ```ts
 * checkFeatures(H, classLayout([2, 3])); // max |H_ri|, or throws when H is not d×5
 * ```
 */
export function checkFeatures(H: Dense, layout: ClassLayout): number {
  checkDense(H, 'H');
  if (H.cols !== layout.N) {
    throw new InputError('H', `must have N = ${layout.N} columns (one per sample, grouped by class)`, `got ${H.rows}×${H.cols}`);
  }
  if (H.rows < 1) throw new InputError('H', 'must have at least one feature row (d ≥ 1)', `got ${H.rows}×${H.cols}`);
  return maxAbsFinite(H, 'H');
}

/**
 * Checks a classifier W (K×d) against features of dimension d.
 * @throws InputError on a shape mismatch or a non-finite entry
 * @example
 * ```ts
 * checkClassifier(W, 4, 16); // throws unless W is 4×16 and finite
 * ```
 */
export function checkClassifier(W: Dense, K: number, d: number): void {
  checkDense(W, 'W');
  if (W.rows !== K || W.cols !== d) {
    throw new InputError('W', `must be K×d = ${K}×${d} (one row w_k per class)`, `got ${W.rows}×${W.cols}`);
  }
  maxAbsFinite(W, 'W');
}

/**
 * Checks that data holds rows·cols entries.
 * @example
 * ```ts
 * checkDense({ rows: 2, cols: 2, data: new Float64Array(3) }, 'H'); // throws
 * ```
 */
export function checkDense(A: Dense, name: string): void {
  if (!Number.isInteger(A.rows) || !Number.isInteger(A.cols) || A.rows < 0 || A.cols < 0 || A.data.length !== A.rows * A.cols) {
    throw new InputError(name, 'must be a Dense matrix whose data holds rows·cols entries', `got ${A.rows}×${A.cols} with ${A.data.length} entries`);
  }
}

/** max |A_ij|, throwing on a NaN or infinite entry. */
function maxAbsFinite(A: Dense, name: string): number {
  let m = 0;
  const a = A.data;
  for (let i = 0; i < a.length; i++) {
    const x = Math.abs(a[i]);
    if (!(x <= Number.MAX_VALUE)) {
      throw new InputError(name, 'every entry must be a finite number', `got ${a[i]} at (${Math.floor(i / A.cols)}, ${i % A.cols})`);
    }
    if (x > m) m = x;
  }
  return m;
}
