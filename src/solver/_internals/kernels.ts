/**
 * The three products that dominate the cost of f and ∇f on the UFM problem, written for
 * row-major Float64Arrays without allocation: Z = W H (K×d times d×N), ∇_W = G Hᵀ and
 * ∇_H = Wᵀ G. Loops are unrolled by four (V8 does not vectorise; four independent
 * multiply-adds per pass roughly double the throughput measured on Node 20).
 *
 * Sparsity: `support[c]` lists the coordinates j whose row H[j, class c] is not identically
 * zero (for UFM+ most blocks are zero near a solution: class means have disjoint supports), so
 * Z and ∇_W skip the zero blocks exactly. ∇_H is always dense (its sign on zero entries decides
 * the KKT test).
 */

/** Column ranges of the classes: class c owns columns offsets[c] … offsets[c+1] − 1. */
export type Offsets = readonly number[];

/** Chunk length over samples: four rows of H plus one row of Z stay in L1/L2. */
const CHUNK = 512;

/**
 * For every class c, the coordinates j with some H[j, i] ≠ 0, i in class c; written into
 * `lists` (K arrays of capacity d), lengths into `counts`. Blocks flagged in `frozen` (d×K) are
 * known to be zero and not scanned. Returns the total number of non-zero (j, c) blocks.
 *
 * @example
 * ```ts
 * const nnzBlocks = blockSupport(H, d, N, offsets, lists, counts);
 * ```
 */
export function blockSupport(
  H: Float64Array, d: number, N: number, offsets: Offsets, lists: Int32Array[], counts: Int32Array, frozen: Uint8Array | null = null,
): number {
  const K = offsets.length - 1;
  let total = 0;
  for (let c = 0; c < K; c++) {
    const o = offsets[c];
    const e = offsets[c + 1];
    let m = 0;
    const list = lists[c];
    for (let j = 0; j < d; j++) {
      if (frozen !== null && frozen[j * K + c] === 1) continue;
      const row = j * N;
      for (let i = o; i < e; i++) {
        if (H[row + i] !== 0) {
          list[m++] = j;
          break;
        }
      }
    }
    counts[c] = m;
    total += m;
  }
  return total;
}

/**
 * Z = W H (+ b 1ᵀ): Z (K×N), W (K×d), H (d×N), bias b (K) or null. Only the coordinates in
 * `lists[c]` (first `counts[c]`) are read for the columns of class c.
 *
 * @example
 * ```ts
 * logits(W, H, b, Z, K, d, N, offsets, lists, counts);
 * ```
 */
export function logits(
  W: Float64Array, H: Float64Array, b: Float64Array | null, Z: Float64Array,
  K: number, d: number, N: number, offsets: Offsets, lists: Int32Array[], counts: Int32Array,
): void {
  for (let c = 0; c < K; c++) {
    const list = lists[c];
    const m = counts[c];
    for (let i0 = offsets[c]; i0 < offsets[c + 1]; i0 += CHUNK) {
      const i1 = Math.min(offsets[c + 1], i0 + CHUNK);
      for (let k = 0; k < K; k++) {
        const zr = k * N;
        const bk = b === null ? 0 : b[k];
        for (let i = i0; i < i1; i++) Z[zr + i] = bk;
        const wr = k * d;
        let t = 0;
        for (; t + 3 < m; t += 4) {
          const j0 = list[t], j1 = list[t + 1], j2 = list[t + 2], j3 = list[t + 3];
          const a0 = W[wr + j0], a1 = W[wr + j1], a2 = W[wr + j2], a3 = W[wr + j3];
          const h0 = j0 * N, h1 = j1 * N, h2 = j2 * N, h3 = j3 * N;
          for (let i = i0; i < i1; i++) Z[zr + i] += a0 * H[h0 + i] + a1 * H[h1 + i] + a2 * H[h2 + i] + a3 * H[h3 + i];
        }
        for (; t < m; t++) {
          const j = list[t];
          const a = W[wr + j];
          const h = j * N;
          for (let i = i0; i < i1; i++) Z[zr + i] += a * H[h + i];
        }
      }
    }
  }
}

/**
 * gW = G Hᵀ + λ_W W (K×d), reading only the non-zero blocks of H.
 *
 * @example
 * ```ts
 * gradientW(G, H, W, lambdaW, gW, K, d, N, offsets, lists, counts);
 * ```
 */
export function gradientW(
  G: Float64Array, H: Float64Array, W: Float64Array, lambdaW: number, gW: Float64Array,
  K: number, d: number, N: number, offsets: Offsets, lists: Int32Array[], counts: Int32Array,
): void {
  for (let t = 0; t < K * d; t++) gW[t] = lambdaW * W[t];
  for (let c = 0; c < K; c++) {
    const o = offsets[c];
    const e = offsets[c + 1];
    const list = lists[c];
    for (let t = 0; t < counts[c]; t++) {
      const j = list[t];
      const h = j * N;
      let k = 0;
      for (; k + 3 < K; k += 4) {
        const g0 = k * N, g1 = g0 + N, g2 = g1 + N, g3 = g2 + N;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let i = o; i < e; i++) {
          const x = H[h + i];
          s0 += G[g0 + i] * x;
          s1 += G[g1 + i] * x;
          s2 += G[g2 + i] * x;
          s3 += G[g3 + i] * x;
        }
        gW[k * d + j] += s0;
        gW[(k + 1) * d + j] += s1;
        gW[(k + 2) * d + j] += s2;
        gW[(k + 3) * d + j] += s3;
      }
      for (; k < K; k++) {
        const g0 = k * N;
        let s = 0;
        for (let i = o; i < e; i++) s += G[g0 + i] * H[h + i];
        gW[k * d + j] += s;
      }
    }
  }
}

/**
 * gH = Wᵀ G + λ_H H (d×N), dense except for the (coordinate, class) blocks flagged in `frozen`
 * (d×K), which are left untouched.
 *
 * @example
 * ```ts
 * gradientH(G, W, H, lambdaH, gH, K, d, N, offsets, null);
 * ```
 */
export function gradientH(
  G: Float64Array, W: Float64Array, H: Float64Array, lambdaH: number, gH: Float64Array,
  K: number, d: number, N: number, offsets: Offsets, frozen: Uint8Array | null,
): void {
  const C = offsets.length - 1;
  for (let j = 0; j < d; j++) {
    const r = j * N;
    for (let c = 0; c < C; c++) {
      if (frozen !== null && frozen[j * C + c] === 1) continue;
      for (let i0 = offsets[c]; i0 < offsets[c + 1]; i0 += CHUNK) {
        const i1 = Math.min(offsets[c + 1], i0 + CHUNK);
        for (let i = i0; i < i1; i++) gH[r + i] = lambdaH * H[r + i];
        let k = 0;
        for (; k + 3 < K; k += 4) {
          const a0 = W[k * d + j], a1 = W[(k + 1) * d + j], a2 = W[(k + 2) * d + j], a3 = W[(k + 3) * d + j];
          const g0 = k * N, g1 = g0 + N, g2 = g1 + N, g3 = g2 + N;
          for (let i = i0; i < i1; i++) gH[r + i] += a0 * G[g0 + i] + a1 * G[g1 + i] + a2 * G[g2 + i] + a3 * G[g3 + i];
        }
        for (; k < K; k++) {
          const a = W[k * d + j];
          const g0 = k * N;
          for (let i = i0; i < i1; i++) gH[r + i] += a * G[g0 + i];
        }
      }
    }
  }
}
