import { InputError } from '../errors.ts';
import type { Dense } from '../linalg/dense.ts';
import type { ValidatedProblem } from './problem.ts';
import type { InitialPoint } from './types.ts';

/** A checked warm start: copies of W (K×d), H (d×N, projected on H ≥ 0 under UFM+) and b. */
export interface CheckedInitial {
  readonly W: Float64Array;
  readonly H: Float64Array;
  readonly b: Float64Array | null;
}

/**
 * Validates {@link SolveOptions.initial}: shapes against the problem (W K×d, H d×N, b with K
 * entries when the problem has a bias, absent/null otherwise) and finiteness; under UFM+ the
 * negative entries of H are projected to 0. Returns copies (the caller's arrays are not touched).
 *
 * @throws {@link InputError} naming `initial`, `initial.W`, `initial.H` or `initial.b`
 * @example
 * ```ts
 * const x0 = validateInitial({ W, H }, validateProblem(problem)); // x0.H ≥ 0 for UFM+
 * ```
 */
export function validateInitial(initial: InitialPoint | undefined, p: ValidatedProblem): CheckedInitial | null {
  if (initial === undefined) return null;
  if (typeof initial !== 'object' || initial === null) throw new InputError('initial', 'must be an object { W, H, b? }', `got ${String(initial)}`);
  const { K, N } = p.layout;
  const W = denseData(initial.W, 'initial.W', K, p.d);
  const H = denseData(initial.H, 'initial.H', p.d, N);
  if (p.nonNegative) for (let t = 0; t < H.length; t++) H[t] = Math.max(H[t], 0);
  return { W, H, b: biasData(initial.b, p) };
}

/** A finite rows×cols Dense, copied. */
function denseData(m: Dense | undefined, name: string, rows: number, cols: number): Float64Array {
  if (typeof m !== 'object' || m === null) throw new InputError(name, `must be a ${rows}×${cols} matrix`, `got ${String(m)}`);
  if (m.rows !== rows || m.cols !== cols) throw new InputError(name, `must be ${rows}×${cols}`, `got ${String(m.rows)}×${String(m.cols)}`);
  const data = m.data as ArrayLike<number> | undefined;
  if (data === undefined || data === null || typeof data.length !== 'number' || data.length !== rows * cols) {
    throw new InputError(name, `must hold ${rows * cols} entries`, `got ${String(data?.length)}`);
  }
  return finiteCopy(data, name);
}

/** b: K finite entries with a bias (default 0), absent or null without one. */
function biasData(b: readonly number[] | null | undefined, p: ValidatedProblem): Float64Array | null {
  const { K } = p.layout;
  if (!p.bias) {
    if (b === undefined || b === null) return null;
    throw new InputError('initial.b', 'must be absent or null for a problem without a bias', `got ${String(b.length)} entries`);
  }
  if (b === undefined || b === null) return new Float64Array(K);
  if (typeof b.length !== 'number' || b.length !== K) throw new InputError('initial.b', `must have K = ${K} entries`, `got ${String(b.length)}`);
  return finiteCopy(b, 'initial.b');
}

function finiteCopy(a: ArrayLike<number>, name: string): Float64Array {
  const out = new Float64Array(a.length);
  for (let t = 0; t < a.length; t++) {
    const v = a[t];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(name, 'must have finite entries', `entry ${t} is ${String(v)}`);
    out[t] = v;
  }
  return out;
}
