import { type Dense, zeros } from '../../linalg/dense.ts';
import type { Evaluator } from './evaluator.ts';

/**
 * W (K×d), H (d×N) and b out of a flat x = [W | H | b] in the evaluator's dimension, as copies
 * (the caller may keep them while x moves on).
 *
 * @example
 * ```ts
 * const { W, H, b } = unpack(ev, x);
 * ```
 */
export function unpack(ev: Evaluator, x: Float64Array): { W: Dense; H: Dense; b: number[] | null } {
  const W = zeros(ev.K, ev.d);
  W.data.set(ev.W(x));
  const H = zeros(ev.d, ev.N);
  H.data.set(ev.H(x));
  const b = ev.b(x);
  return { W, H, b: b === null ? null : Array.from(b) };
}

/**
 * W and H as views of x (no copy: for a reader that finishes before x changes, such as the
 * certificate; d×N doubles saved at d = 512).
 *
 * @example
 * ```ts
 * const { W, H, b } = view(ev, x);
 * ```
 */
export function view(ev: Evaluator, x: Float64Array): { W: Dense; H: Dense; b: number[] | null } {
  const b = ev.b(x);
  return {
    W: { rows: ev.K, cols: ev.d, data: ev.W(x) },
    H: { rows: ev.d, cols: ev.N, data: ev.H(x) },
    b: b === null ? null : Array.from(b),
  };
}
