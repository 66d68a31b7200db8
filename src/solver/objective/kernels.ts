/**
 * The products that dominate the cost of f and ∇f on the UFM problem (THEORY.md §1), for
 * row-major Float64Arrays without allocation, on the columns of the classes c0 … c1 − 1 (one
 * column block, see blocks.ts): Z = W H (K×d times d×N), ∇_W = G Hᵀ and ∇_H = Wᵀ G.
 *
 * V8 does not vectorise, so throughput is set by loads per multiply-add: each inner loop is
 * register-blocked (two rows of the output × four of the contracted index: 8 multiply-adds per
 * 6 loads) and the columns are taken CHUNK at a time so that K rows of G (or Z) stay in L2.
 *
 * Sparsity: `lists[c·d …]` holds the coordinates j whose row H[j, class c] is not identically
 * zero (for UFM+ most blocks are zero near a solution: class means have disjoint supports), so
 * Z and ∇_W skip the zero blocks exactly. ∇_H is dense except on frozen blocks (its sign on zero
 * entries decides the KKT test).
 */

/** Column ranges of the classes: class c owns columns offsets[c] … offsets[c+1] − 1. */
export type Offsets = ArrayLike<number>;

/** Columns per pass: K rows of this many doubles (≈ 200 KB at K = 100) stay in L2. */
const CHUNK = 256;

/**
 * For every class c in [c0, c1), the coordinates j with some H[j, i] ≠ 0, i in class c, written
 * into lists[c·d …], their number into counts[c]. Blocks flagged in `frozen` (d×K) are known to
 * be zero and not scanned.
 *
 * @example
 * ```ts
 * blockSupport(H, d, N, offsets, lists, counts, null, 0, K);
 * ```
 */
export function blockSupport(
  H: Float64Array, d: number, N: number, offsets: Offsets, lists: Int32Array, counts: Int32Array,
  frozen: Uint8Array | null, c0: number, c1: number,
): void {
  const K = offsets.length - 1;
  for (let c = c0; c < c1; c++) {
    const o = offsets[c];
    const e = offsets[c + 1];
    let m = 0;
    for (let j = 0; j < d; j++) {
      if (frozen !== null && frozen[j * K + c] === 1) continue;
      const row = j * N;
      for (let i = o; i < e; i++) {
        if (H[row + i] !== 0) { lists[c * d + m++] = j; break; }
      }
    }
    counts[c] = m;
  }
}

/**
 * Z = W H (+ b 1ᵀ) on the columns of classes [c0, c1): Z (K×N), W (K×d), H (d×N), bias b (K)
 * or null. Only the coordinates in the class's support list are read.
 *
 * @example
 * ```ts
 * logits(W, H, b, Z, K, d, N, offsets, lists, counts, 0, K);
 * ```
 */
export function logits(
  W: Float64Array, H: Float64Array, b: Float64Array | null, Z: Float64Array,
  K: number, d: number, N: number, offsets: Offsets, lists: Int32Array, counts: Int32Array, c0: number, c1: number,
): void {
  for (let c = c0; c < c1; c++) {
    const m = counts[c];
    const L = c * d;
    for (let i0 = offsets[c]; i0 < offsets[c + 1]; i0 += CHUNK) {
      const i1 = Math.min(offsets[c + 1], i0 + CHUNK);
      let k = 0;
      for (; k + 1 < K; k += 2) {
        const z0 = k * N, z1 = z0 + N, w0 = k * d, w1 = w0 + d;
        const b0 = b === null ? 0 : b[k], b1 = b === null ? 0 : b[k + 1];
        for (let i = i0; i < i1; i++) { Z[z0 + i] = b0; Z[z1 + i] = b1; }
        let t = 0;
        for (; t + 3 < m; t += 4) {
          const j0 = lists[L + t], j1 = lists[L + t + 1], j2 = lists[L + t + 2], j3 = lists[L + t + 3];
          const a0 = W[w0 + j0], a1 = W[w0 + j1], a2 = W[w0 + j2], a3 = W[w0 + j3];
          const c0_ = W[w1 + j0], c1_ = W[w1 + j1], c2_ = W[w1 + j2], c3_ = W[w1 + j3];
          const h0 = j0 * N, h1 = j1 * N, h2 = j2 * N, h3 = j3 * N;
          for (let i = i0; i < i1; i++) {
            const x0 = H[h0 + i], x1 = H[h1 + i], x2 = H[h2 + i], x3 = H[h3 + i];
            Z[z0 + i] += a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
            Z[z1 + i] += c0_ * x0 + c1_ * x1 + c2_ * x2 + c3_ * x3;
          }
        }
        for (; t < m; t++) {
          const j = lists[L + t];
          const a = W[w0 + j], a1 = W[w1 + j], h = j * N;
          for (let i = i0; i < i1; i++) { const x = H[h + i]; Z[z0 + i] += a * x; Z[z1 + i] += a1 * x; }
        }
      }
      for (; k < K; k++) {
        const z0 = k * N, w0 = k * d;
        const b0 = b === null ? 0 : b[k];
        for (let i = i0; i < i1; i++) Z[z0 + i] = b0;
        for (let t = 0; t < m; t++) {
          const j = lists[L + t];
          const a = W[w0 + j], h = j * N;
          for (let i = i0; i < i1; i++) Z[z0 + i] += a * H[h + i];
        }
      }
    }
  }
}

/**
 * P += G Hᵀ restricted to the columns of classes [c0, c1) (P is K×d, the block's partial of
 * ∇_W; the caller adds λ_W W and the blocks in a fixed order), reading only non-zero blocks of H.
 *
 * @example
 * ```ts
 * gradientWPartial(G, H, P, K, d, N, offsets, lists, counts, 0, K);
 * ```
 */
export function gradientWPartial(
  G: Float64Array, H: Float64Array, P: Float64Array,
  K: number, d: number, N: number, offsets: Offsets, lists: Int32Array, counts: Int32Array, c0: number, c1: number,
): void {
  for (let c = c0; c < c1; c++) {
    const m = counts[c];
    const L = c * d;
    for (let i0 = offsets[c]; i0 < offsets[c + 1]; i0 += CHUNK) {
      const i1 = Math.min(offsets[c + 1], i0 + CHUNK);
      let t = 0;
      for (; t + 1 < m; t += 2) {
        const j0 = lists[L + t], j1 = lists[L + t + 1];
        const h0 = j0 * N, h1 = j1 * N;
        let k = 0;
        for (; k + 3 < K; k += 4) {
          const g0 = k * N, g1 = g0 + N, g2 = g1 + N, g3 = g2 + N;
          let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
          for (let i = i0; i < i1; i++) {
            const x0 = H[h0 + i], x1 = H[h1 + i];
            const y0 = G[g0 + i], y1 = G[g1 + i], y2 = G[g2 + i], y3 = G[g3 + i];
            s00 += y0 * x0; s01 += y1 * x0; s02 += y2 * x0; s03 += y3 * x0;
            s10 += y0 * x1; s11 += y1 * x1; s12 += y2 * x1; s13 += y3 * x1;
          }
          P[k * d + j0] += s00; P[(k + 1) * d + j0] += s01; P[(k + 2) * d + j0] += s02; P[(k + 3) * d + j0] += s03;
          P[k * d + j1] += s10; P[(k + 1) * d + j1] += s11; P[(k + 2) * d + j1] += s12; P[(k + 3) * d + j1] += s13;
        }
        for (; k < K; k++) {
          const g0 = k * N;
          let s0 = 0, s1 = 0;
          for (let i = i0; i < i1; i++) { const y = G[g0 + i]; s0 += y * H[h0 + i]; s1 += y * H[h1 + i]; }
          P[k * d + j0] += s0;
          P[k * d + j1] += s1;
        }
      }
      for (; t < m; t++) {
        const j = lists[L + t];
        const h = j * N;
        for (let k = 0; k < K; k++) {
          const g0 = k * N;
          let s = 0;
          for (let i = i0; i < i1; i++) s += G[g0 + i] * H[h + i];
          P[k * d + j] += s;
        }
      }
    }
  }
}

/**
 * gH = Wᵀ G + λ_H H (d×N) on the columns of classes [c0, c1), except the (coordinate, class)
 * blocks flagged in `frozen` (d×K), which are left untouched — or, with `onlyFrozen`, on those
 * blocks only. `scratch` holds ≥ d indices.
 * Per entry the operations are λ_H H then the four-term sums over k in order, whatever the block,
 * so an entry has the same value whichever blocks are computed with it.
 *
 * @example
 * ```ts
 * gradientH(G, W, H, lambdaH, gH, K, d, N, offsets, null, new Int32Array(d), 0, K);
 * ```
 */
export function gradientH(
  G: Float64Array, W: Float64Array, H: Float64Array, lambdaH: number, gH: Float64Array,
  K: number, d: number, N: number, offsets: Offsets, frozen: Uint8Array | null, scratch: Int32Array, c0: number, c1: number,
  onlyFrozen = false,
): void {
  const C = offsets.length - 1;
  for (let c = c0; c < c1; c++) {
    let m = 0;
    for (let j = 0; j < d; j++) if (frozen === null ? !onlyFrozen : (frozen[j * C + c] === 1) === onlyFrozen) scratch[m++] = j;
    for (let i0 = offsets[c]; i0 < offsets[c + 1]; i0 += CHUNK) {
      const i1 = Math.min(offsets[c + 1], i0 + CHUNK);
      let t = 0;
      for (; t + 1 < m; t += 2) {
        const j0 = scratch[t], j1 = scratch[t + 1];
        const r0 = j0 * N, r1 = j1 * N;
        for (let i = i0; i < i1; i++) { gH[r0 + i] = lambdaH * H[r0 + i]; gH[r1 + i] = lambdaH * H[r1 + i]; }
        let k = 0;
        for (; k + 3 < K; k += 4) {
          const a0 = W[k * d + j0], a1 = W[(k + 1) * d + j0], a2 = W[(k + 2) * d + j0], a3 = W[(k + 3) * d + j0];
          const e0 = W[k * d + j1], e1 = W[(k + 1) * d + j1], e2 = W[(k + 2) * d + j1], e3 = W[(k + 3) * d + j1];
          const g0 = k * N, g1 = g0 + N, g2 = g1 + N, g3 = g2 + N;
          for (let i = i0; i < i1; i++) {
            const y0 = G[g0 + i], y1 = G[g1 + i], y2 = G[g2 + i], y3 = G[g3 + i];
            gH[r0 + i] += a0 * y0 + a1 * y1 + a2 * y2 + a3 * y3;
            gH[r1 + i] += e0 * y0 + e1 * y1 + e2 * y2 + e3 * y3;
          }
        }
        for (; k < K; k++) {
          const a = W[k * d + j0], e = W[k * d + j1], g0 = k * N;
          for (let i = i0; i < i1; i++) { const y = G[g0 + i]; gH[r0 + i] += a * y; gH[r1 + i] += e * y; }
        }
      }
      for (; t < m; t++) {
        const j = scratch[t];
        const r = j * N;
        for (let i = i0; i < i1; i++) gH[r + i] = lambdaH * H[r + i];
        let k = 0;
        for (; k + 3 < K; k += 4) {
          const a0 = W[k * d + j], a1 = W[(k + 1) * d + j], a2 = W[(k + 2) * d + j], a3 = W[(k + 3) * d + j];
          const g0 = k * N, g1 = g0 + N, g2 = g1 + N, g3 = g2 + N;
          for (let i = i0; i < i1; i++) gH[r + i] += a0 * G[g0 + i] + a1 * G[g1 + i] + a2 * G[g2 + i] + a3 * G[g3 + i];
        }
        for (; k < K; k++) {
          const a = W[k * d + j], g0 = k * N;
          for (let i = i0; i < i1; i++) gH[r + i] += a * G[g0 + i];
        }
      }
    }
  }
}
