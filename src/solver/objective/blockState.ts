import { crossEntropy } from '../../loss/crossEntropy.ts';
import { blockSupport, gradientH, gradientWPartial, logits } from './kernels.ts';

/** Flags of one pass over the column blocks ({@link runBlock}). */
export const PASS = {
  /** Support lists, Z = W H (+ b 1ᵀ), the block's ‖H‖². */
  forward: 1,
  /** The block's loss sum (cross-entropy's column sums; else the caller evaluates L on all of Z). */
  loss: 2,
  /** With `loss`: also ∇L's columns into G. */
  lossGradient: 4,
  /** The block's partial of ∇_W and ∇_b, and ∇_H on its columns (needs G). */
  backward: 8,
  /** Skip the H blocks flagged in `frozen`. */
  frozen: 16,
  /**
   * ∇_H on the H blocks flagged in `frozen` only (needs G; no ∇_W, ∇_b): completes a gradient
   * that was evaluated with those blocks skipped, at the same point.
   */
  frozenOnly: 32,
} as const;

/**
 * Everything a column block's evaluation reads and writes, on the main thread or in a worker
 * (then every array lies in a SharedArrayBuffer). Partials are per block (q): the caller adds
 * them in block order.
 */
export interface BlockState {
  readonly K: number;
  readonly d: number;
  readonly N: number;
  readonly bias: boolean;
  readonly lambdaH: number;
  readonly offsets: Int32Array;
  readonly labels: Int32Array;
  /** Class boundaries of the blocks (blocks.ts). */
  readonly bounds: Int32Array;
  /** The point x = [W | H | b]. */
  x: Float64Array;
  /** ∇_H (d×N). */
  gH: Float64Array;
  /** (coordinate, class) flags of known-zero H blocks, d×K. */
  frozen: Uint8Array;
  readonly Z: Float64Array;
  readonly G: Float64Array;
  /** Support lists, K×d (class c at c·d), and their lengths. */
  readonly lists: Int32Array;
  readonly counts: Int32Array;
  /** B×d indices (scratch of gradientH). */
  readonly scratch: Int32Array;
  /** B×K×d partials of G Hᵀ. */
  readonly partialW: Float64Array;
  /** B×K partials of Σ_i G_ki. */
  readonly partialB: Float64Array;
  /** B partial sums of the per-column losses. */
  readonly partialLoss: Float64Array;
  /** B partial sums of ‖H‖² over the block's columns. */
  readonly partialRegH: Float64Array;
}

/**
 * Whether a loss is evaluated block by block (its column sums, in the workers too): only the
 * built-in cross-entropy, whose code a worker can import. Any other loss is evaluated on all of Z
 * by the main thread — for every thread count, so results never depend on it.
 */
export function blockwiseLoss(loss: unknown): boolean {
  return loss === crossEntropy;
}

/**
 * One pass over column block q of the state (see {@link PASS}).
 *
 * @example
 * ```ts
 * for (let q = 0; q + 1 < s.bounds.length; q++) runBlock(s, q, PASS.forward | PASS.loss);
 * ```
 */
export function runBlock(s: BlockState, q: number, flags: number): void {
  const { K, d, N, offsets, bounds } = s;
  const c0 = bounds[q];
  const c1 = bounds[q + 1];
  const hOff = K * d;
  const W = s.x.subarray(0, hOff);
  const H = s.x.subarray(hOff, hOff + d * N);
  const frozen = (flags & PASS.frozen) !== 0 ? s.frozen : null;
  const from = offsets[c0];
  const to = offsets[c1];
  if ((flags & PASS.forward) !== 0) {
    const b = s.bias ? s.x.subarray(hOff + d * N, hOff + d * N + K) : null;
    blockSupport(H, d, N, offsets, s.lists, s.counts, frozen, c0, c1);
    logits(W, H, b, s.Z, K, d, N, offsets, s.lists, s.counts, c0, c1);
    let reg = 0;
    for (let j = 0; j < d; j++) for (let i = j * N + from; i < j * N + to; i++) reg += H[i] * H[i];
    s.partialRegH[q] = reg;
  }
  if ((flags & PASS.loss) !== 0) {
    const grad = (flags & PASS.lossGradient) !== 0 ? s.G : null;
    s.partialLoss[q] = crossEntropy.columnSum?.(s.Z, K, N, s.labels, from, to, grad) ?? NaN;
  }
  if ((flags & PASS.backward) !== 0) {
    const P = s.partialW.subarray(q * K * d, (q + 1) * K * d);
    P.fill(0);
    gradientWPartial(s.G, H, P, K, d, N, offsets, s.lists, s.counts, c0, c1);
    gradientH(s.G, W, H, s.lambdaH, s.gH, K, d, N, offsets, frozen, s.scratch.subarray(q * d, (q + 1) * d), c0, c1);
    if (s.bias) {
      for (let k = 0; k < K; k++) {
        let t = 0;
        for (let i = k * N + from; i < k * N + to; i++) t += s.G[i];
        s.partialB[q * K + k] = t;
      }
    }
  }
  if ((flags & PASS.frozenOnly) !== 0) {
    gradientH(s.G, W, H, s.lambdaH, s.gH, K, d, N, offsets, s.frozen, s.scratch.subarray(q * d, (q + 1) * d), c0, c1, true);
  }
}
