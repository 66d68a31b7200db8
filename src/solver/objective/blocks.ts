/**
 * The fixed column-block partition of the objective (src/solver/objective): blocks of whole
 * classes, chosen from the class sizes alone, so that every evaluation adds the blocks' partial
 * sums (of L, ‖H‖², ∇_W, ∇_b) in the same order whatever the number of threads that computed
 * them — the results are bit-identical for 1 or T threads.
 */

/** Blocks per problem (at most; never more than K): enough for dynamic load balance on a few cores. */
export const MAX_BLOCKS = 16;

/**
 * Class boundaries of the blocks: block q holds classes bounds[q] … bounds[q+1] − 1; greedy
 * over the classes in order, closing a block once it holds ≥ N / MAX_BLOCKS columns.
 *
 * @example
 * ```ts
 * classBlocks([0, 5, 10, 30]); // Int32Array [0, 1, 2, 3] (one class per block: K ≤ MAX_BLOCKS)
 * ```
 */
export function classBlocks(offsets: ArrayLike<number>): Int32Array {
  const K = offsets.length - 1;
  const N = offsets[K];
  const target = N / Math.min(K, MAX_BLOCKS);
  const bounds = [0];
  let start = 0;
  for (let c = 0; c < K; c++) {
    if (offsets[c + 1] - offsets[start] >= target && c + 1 < K) {
      bounds.push(c + 1);
      start = c + 1;
    }
  }
  bounds.push(K);
  return Int32Array.from(bounds);
}
